import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReadError, readInputFile, readInputFileSync, readInputFileWithRoomSync, readInputTextSync } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'jrt-read-'));

describe('readInputFile / readInputFileSync', () => {
  it('reads a regular file whole, and text without its byte-order mark', async () => {
    const f = join(dir, 'a.yaml');
    writeFileSync(f, '\ufeffkey: 値\n');
    expect(readInputTextSync(f)).toBe('key: 値\n');
    expect((await readInputFile(f)).toString('utf8')).toBe('\ufeffkey: 値\n');
  });
  it('caps the bytes actually read, not what stat says (a /proc file says 0 bytes)', async () => {
    expect(statSync('/proc/self/status').size).toBe(0);
    expect(() => readInputFileSync('/proc/self/status', { maxBytes: 16, what: 'probe config' })).toThrow(
      '/proc/self/status: probe config is larger than 16 bytes; refusing to read more',
    );
    await expect(readInputFile('/proc/self/status', { maxBytes: 16 })).rejects.toMatchObject({ code: 'too-large' });
    expect(readInputFileSync('/proc/self/status', { maxBytes: 1024 * 1024 }).length).toBeGreaterThan(16);
  });
  it('a file exactly at the cap is read; one byte more is refused before reading when stat already says so', () => {
    const f = join(dir, 'exact');
    writeFileSync(f, 'x'.repeat(64));
    expect(readInputFileSync(f, { maxBytes: 64 }).length).toBe(64);
    expect(() => readInputFileSync(f, { maxBytes: 63 })).toThrow(/larger than 63 bytes/);
  });
  it.each([
    ['/dev/zero', 'is a device, not a regular file'],
    ['/dev/null', 'is a device, not a regular file'],
    [dir, 'is a directory, not a file'],
  ])('refuses %s', async (path, why) => {
    expect(() => readInputFileSync(path, { what: 'waiver file' })).toThrow(`${path}: waiver file ${why}`);
    await expect(readInputFile(path, { what: 'waiver file' })).rejects.toThrow(`${path}: waiver file ${why}`);
  });
  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readInputFileSync(fifo)).toThrow('file is a named pipe (FIFO), not a regular file');
    await expect(readInputFile(fifo)).rejects.toMatchObject({ code: 'not-regular' });
  });
  it('refuses a unix socket', async () => {
    const { createServer } = await import('node:net');
    const sock = join(dir, 's.sock');
    const server = createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      expect(() => readInputFileSync(sock)).toThrow(/is a socket/);
    } finally {
      server.close();
    }
  });
  it('a missing file keeps its errno code for callers to word', () => {
    try {
      readInputFileSync(join(dir, 'nope'), { what: 'rule file' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputReadError);
      expect((e as InputReadError).code).toBe('ENOENT');
      expect((e as Error).message).toBe(`${join(dir, 'nope')}: cannot read rule file: ENOENT`);
    }
  });
  it('with room: the same bytes and cap, and room after them in the same memory', () => {
    const f = join(dir, 'room');
    writeFileSync(f, 'x'.repeat(64));
    const { bytes, whole } = readInputFileWithRoomSync(f, { maxBytes: 64 }, (size) => size * 2);
    expect(bytes.toString()).toBe('x'.repeat(64));
    expect(whole.length).toBeGreaterThanOrEqual(64 + 128);
    whole[0] = 0x79;
    expect(bytes[0]).toBe(0x79); // one memory
    expect(() => readInputFileWithRoomSync(f, { maxBytes: 63 }, () => 1000)).toThrow(/larger than 63 bytes/);
    // /proc says 0 bytes: the buffer grows, and the room follows it.
    const proc = readInputFileWithRoomSync('/proc/self/status', { maxBytes: 1024 * 1024 }, () => 7);
    expect(proc.bytes.toString()).toContain('Name:');
    expect(proc.whole.length).toBeGreaterThanOrEqual(proc.bytes.length + 7);
  });
});
