import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { assertNoJsonDuplicateKeys, assertNoYamlDuplicateKeys, findJsonDuplicateKey, findYamlDuplicateKey, mayHaveJsonDuplicateKeys } from './duplicate-keys.js';

describe('duplicate keys in JSON', () => {
  it.each([
    ['{"a": 1, "b": 2}', undefined],
    ['{"a": 1, "a": 2}', 'a'],
    ['{"a": {"x": 1}, "b": {"x": 2}}', undefined],
    ['[{"x": 1}, {"x": 2}]', undefined],
    ['{"a": [{"x": 1, "y": {"z": 1, "z": 2}}]}', 'z'],
    ['{"a": "b\\": 1, \\"a", "c": 1}', undefined],
    ['{"\\u0061": 1, "a": 2}', 'a'],
    ['{"k\\\\": 1, "k\\\\": 2}', 'k\\'],
    ['{"a": "}", "b": "{", "a": 3}', 'a'],
    [`{${Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "k7": 0}`, 'k7'],
  ])('%s → %s', (text, key) => {
    JSON.parse(text); // every case is valid JSON
    expect(findJsonDuplicateKey(text)?.key).toBe(key);
    expect(mayHaveJsonDuplicateKeys(text, JSON.parse(text))).toBe(key !== undefined);
  });
  it('names both lines, pointing at the repeated key', () => {
    const text = '{\n  "servers": [],\n  "paths": {},\n  "servers": [1]\n}';
    expect(() => assertNoJsonDuplicateKeys('spec.json', text, JSON.parse(text))).toThrow(
      'spec.json:4:3: duplicate key "servers" (lines 2 and 4): readers disagree on which one wins, so the file means different things to different tools; keep one',
    );
  });
  it('the cheap count clears a text with "a" : spacing by the full scan, not by a false alarm', () => {
    const text = '{"a" : 1, "b" : {"c" : 2}}';
    expect(mayHaveJsonDuplicateKeys(text, JSON.parse(text))).toBe(true);
    expect(() => assertNoJsonDuplicateKeys('x.json', text, JSON.parse(text))).not.toThrow();
  });
});

describe('duplicate keys in YAML', () => {
  it('finds a repeated key at any depth, in block and flow style, but lets `<<` merge keys repeat', () => {
    const find = (t: string) => findYamlDuplicateKey(parseDocument(t, { uniqueKeys: false }))?.key;
    expect(find('a: 1\nb:\n  c: 1\n  c: 2\n')).toBe('c');
    expect(find('a: [{x: 1, x: 2}]\n')).toBe('x');
    expect(find('- a: 1\n- a: 2\n')).toBeUndefined();
    expect(find('base: &b {x: 1}\nother: &o {y: 1}\nm:\n  <<: *b\n  <<: *o\n')).toBeUndefined();
  });
  it('names both lines and the column of the repeated key', () => {
    const text = 'plugins:\n  - name: rate-limiting\n    config: {}\n    name: key-auth\n';
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    expect(() => assertNoYamlDuplicateKeys('kong.yaml', text, doc, lines)).toThrow('kong.yaml:4:5: duplicate key "name" (lines 2 and 4)');
  });
});
