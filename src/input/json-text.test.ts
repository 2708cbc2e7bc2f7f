/**
 * The one-byte JSON text (json-text.ts) must be invisible: for any file, `parseSource` (one-byte path first) and the
 * plain path (decode as UTF-8, then parse) give the same value, format, digest, error (message, line, column), and
 * the same line and column for every JSON pointer of the document. Checked on hand-picked tricky texts and on
 * random ones (fixed seed; JRT0185_FUZZ_SEEDS=N for more) built from the pieces that could tell them apart:
 * byte-order mark, 2-, 3- and 4-byte characters (surrogate pairs), `\uXXXX` escapes of the same characters,
 * escaped quotes and backslashes, CRLF, U+2028, repeated keys after the first non-ASCII character, invalid UTF-8,
 * a backslash before a non-ASCII character, non-ASCII outside strings, Unicode space before the first bracket, and
 * texts cut short. Each text is read both with room to escape in place and without.
 */
import { describe, expect, it } from 'vitest';
import { createLocator } from '../collectors/openapi/locate.js';
import { parsePlainSource, parseSource, SourceError, type SourceFile } from '../collectors/openapi/source.js';
import { escapeRoom, jsonText } from './json-text.js';

function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
}

const STRING_PIECES = ['a', 'key', ' ', 'é', '€', '😀', '値', '\\u00e9', '\\u20ac', '\\ud83d\\ude00', '\\"', '\\\\', '\\n', '\u2028', '~1', '/', 'Ä'];
const SPACES = [' ', '\n', '\r\n', '\t', '  ', ''];

function randomJson(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const str = (): string => {
    let s = '';
    const n = Math.floor(next() * 5);
    for (let i = 0; i < n; i++) s += pick(STRING_PIECES);
    return `"${s}"`;
  };
  const value = (depth: number): string => {
    const r = next();
    if (depth > 3 || r < 0.3) return pick([str(), '1', '-2.5e3', 'true', 'null', str()]);
    const ws = () => pick(SPACES);
    if (r < 0.45) return `[${ws()}${Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1)).join(`,${ws()}`)}${ws()}]`;
    const keys: string[] = [];
    for (let i = Math.floor(next() * 5); i > 0; i--) keys.push(next() < 0.1 && keys.length > 0 ? pick(keys) : str());
    return `{${ws()}${keys.map((k) => `${k}${pick([':', ' :', ': '])}${ws()}${value(depth + 1)}`).join(`,${ws()}`)}${ws()}}`;
  };
  return value(0);
}

/** Byte-level changes that may break validity or the one-byte path's preconditions. */
function mutate(bytes: Buffer, next: () => number): Buffer {
  const at = Math.floor(next() * (bytes.length + 1));
  const insert = (b: Buffer) => Buffer.concat([bytes.subarray(0, at), b, bytes.subarray(at)]);
  switch (Math.floor(next() * 9)) {
    case 0:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 1:
      return insert(Buffer.from([0xff]));
    case 2:
      return insert(Buffer.from([0xc3])); // a character cut short
    case 3:
      return insert(Buffer.from('\\é'));
    case 4:
      return insert(Buffer.from('é'));
    case 5:
      return Buffer.concat([Buffer.from('\u00a0'), bytes]);
    case 6:
      return bytes.subarray(0, at);
    case 7:
      return insert(Buffer.from([0x80]));
    default:
      return bytes;
  }
}

type Outcome = { error: { file: string; line?: number; column?: number; hint: string } } | { source: SourceFile };

function outcome(read: () => SourceFile): Outcome {
  try {
    return { source: read() };
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    return { error: { file: e.file, line: e.line, column: e.column, hint: e.hint } };
  }
}

function pointers(value: unknown, limit = 400): string[] {
  const out: string[] = [''];
  const walk = (v: unknown, p: string): void => {
    if (out.length >= limit || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      const q = `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      out.push(q);
      walk(child, q);
    }
  };
  walk(value, '');
  out.push('/no/such/member');
  return out;
}

/** Asserts that both paths agree on `bytes` read as `file`; returns whether the one-byte text escaped something. */
function agree(file: string, bytes: Buffer): boolean {
  const plain = outcome(() => parsePlainSource(file, Buffer.from(bytes)));
  const withRoom = Buffer.alloc(bytes.length + escapeRoom(bytes.length), 0x21);
  bytes.copy(withRoom);
  for (const fast of [
    outcome(() => parseSource(file, Buffer.from(bytes))),
    outcome(() => parseSource(file, withRoom.subarray(0, bytes.length), undefined, withRoom)),
  ]) {
    if ('error' in plain) {
      expect(fast, bytes.toString('latin1')).toEqual(plain);
      continue;
    }
    expect('source' in fast, bytes.toString('latin1')).toBe(true);
    if (!('source' in fast)) return false;
    const a = plain.source;
    const b = fast.source;
    expect([b.file, b.format, b.sha256], bytes.toString('latin1')).toEqual([a.file, a.format, a.sha256]);
    expect(b.value).toEqual(a.value);
    const list = pointers(a.value);
    const located = createLocator(file, b.text, b.format, b.offsets).locate(list);
    expect(located, bytes.toString('latin1')).toEqual(createLocator(file, a.text, a.format).locate(list));
  }
  return jsonText(Buffer.from(bytes))?.offsets !== undefined;
}

describe('one-byte JSON text', () => {
  it('escapes each character past ASCII, maps offsets back, and decodes to what Buffer#toString gives', () => {
    const pad = 'x'.repeat(2000);
    const bytes = Buffer.from(`\ufeff{"é": "a😀b", "€": ["x", "値"], "pad": "${pad}"}`, 'utf8');
    const one = jsonText(Buffer.from(bytes))!;
    expect(one.text).toBe(`{"\\u00e9": "a\\ud83d\\ude00b", "\\u20ac": ["x", "\\u5024"], "pad": "${pad}"}`);
    expect(one.decoded()).toBe(`{"é": "a😀b", "€": ["x", "値"], "pad": "${pad}"}`);
    const decoded = one.decoded();
    for (const probe of ['{', '"a', '"\\u20ac"', '["x"', '"x"']) {
      const at = one.text.indexOf(probe);
      expect(one.offsets!.utf16(at)).toBe(decoded.indexOf(probe.replace('\\u20ac', '€').replace('"a', '"a')));
    }
    // In place: the same text, written over the bytes.
    const whole = Buffer.alloc(bytes.length + escapeRoom(bytes.length));
    bytes.copy(whole);
    expect(jsonText(whole.subarray(0, bytes.length), whole)!.text).toBe(one.text);
    const ascii = jsonText(Buffer.from('{"a": 1}'))!;
    expect([ascii.text, ascii.offsets, ascii.decoded()]).toEqual(['{"a": 1}', undefined, '{"a": 1}']);
  });

  it('declines what it cannot prove the same: invalid UTF-8, a backslash before a non-ASCII character, dense non-ASCII', () => {
    expect(jsonText(Buffer.from([0x7b, 0xff, 0x7d]))).toBeUndefined();
    expect(jsonText(Buffer.from('["\\é"]'))).toBeUndefined();
    expect(jsonText(Buffer.from(`["${'値'.repeat(50)}"]`))).toBeUndefined();
  });

  it.each([
    ['plain ASCII', '{"a": [1, {"b": "c"}]}'],
    ['CRLF and non-ASCII before a member', '{\r\n  "é": "😀",\r\n  "b": {"c": 1}\r\n}'],
    ['a repeated key after non-ASCII', '{"x": "é€😀", "y": {"k": 1, "\\u006b": 2}}'],
    ['a repeated key written once escaped and once raw', '{"é": 1, "\\u00e9": 2}'],
    ['byte-order mark', '\ufeff{"a": "é"}'],
    ['two byte-order marks', '\ufeff\ufeff{"a": 1}'],
    ['Unicode space before the bracket', '\u00a0{"a": 1}'],
    ['a non-ASCII character outside strings', '{"a": 1é}'],
    ['a backslash before a non-ASCII character', '{"a": "\\é"}'],
    ['an escaped backslash before a non-ASCII character', '{"a": "\\\\é", "b": 2}'],
    ['invalid JSON after non-ASCII', '{"é": 1,, "b": 2}'],
    ['U+2028 in a string', '{"a": "x\u2028y", "b": [1]}'],
    ['minified with columns after escapes', '{"é":{"€":{"😀":[1,2,{"x":"値値"}]}},"z":0}'],
  ])('%s', (_, text) => {
    for (const file of ['t.json', 't.yaml', 't']) agree(file, Buffer.from(text, 'utf8'));
  });

  it('agrees with the plain path on random texts', () => {
    const seeds = Number(process.env.JRT0185_FUZZ_SEEDS ?? 1);
    for (let seed = 1; seed <= seeds; seed++) {
      const next = rng(0x5eed + seed);
      let escaped = 0;
      for (let i = 0; i < 400; i++) {
        // Padded with ASCII (not always first) so that most texts are sparse enough for the one-byte path.
        const doc = randomJson(next);
        const pad = `"${'p'.repeat(Math.floor(next() * 6000))}"`;
        let bytes: Buffer = Buffer.from(next() < 0.5 ? `[${pad}, ${doc}]` : `[${doc},\n${pad}]`, 'utf8');
        if (next() < 0.5) bytes = mutate(bytes, next);
        if (agree(next() < 0.8 ? 'fuzz.json' : 'fuzz.yaml', bytes)) escaped++;
      }
      expect(escaped).toBeGreaterThan(60);
    }
  });
});
