import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sm2Sign, sm2Verify } from './sm2.js';

const run = promisify(execFile);
let dir: string;
const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
const privPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const pubPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const message = 'POST\n/api/v1/a2/transfers\n1700000000\nn-1\nAPP20240001\nabc';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jrt0185-sm2-'));
  await writeFile(path.join(dir, 'key.pem'), privPem);
  await writeFile(path.join(dir, 'pub.pem'), pubPem);
  await writeFile(path.join(dir, 'msg'), message);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('SM2 with SM3 and the GM/T 0009 default identifier', () => {
  it('signs what openssl verifies with distid 1234567812345678 (and not without it)', async () => {
    await writeFile(path.join(dir, 'sig'), sm2Sign(message, privPem));
    const ok = await run('openssl', ['dgst', '-sm3', '-verify', 'pub.pem', '-sigopt', 'distid:1234567812345678', '-signature', 'sig', 'msg'], { cwd: dir });
    expect(ok.stdout).toContain('Verified OK');
    await expect(run('openssl', ['dgst', '-sm3', '-verify', 'pub.pem', '-signature', 'sig', 'msg'], { cwd: dir })).rejects.toThrow(/Command failed/);
  });

  it('verifies what openssl signs with the default identifier; rejects a changed message or another key', async () => {
    await run('openssl', ['dgst', '-sm3', '-sign', 'key.pem', '-sigopt', 'distid:1234567812345678', '-out', 'osig', 'msg'], { cwd: dir });
    const sig = await readFile(path.join(dir, 'osig'));
    expect(sm2Verify(message, pubPem, sig)).toBe(true);
    expect(sm2Verify(`${message}x`, pubPem, sig)).toBe(false);
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' }).publicKey;
    expect(sm2Verify(message, other, sig)).toBe(false);
    expect(sm2Verify(message, pubPem, Buffer.from('3006020101020101', 'hex'))).toBe(false);
  });
});
