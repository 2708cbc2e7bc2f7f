/**
 * personalDataInExample carries each leaf's naming key down the walk instead of reading it back from the leaf's path
 * with a regular expression (a GitHub-sized description has ~10^5 example leaves). The key decides verdicts
 * (`phone: '13812345678'`), so the two must agree everywhere: checked here against the walk as it was (key read from
 * the path at every leaf) on random examples whose keys include dots, brackets, digits and empty names.
 */
import { describe, expect, it } from 'vitest';
import { exampleKeyOfPath, personalDataInExample, personalDataInNamedValue, type ExampleHit } from '../src/checks/openapi/example-values.js';

/** The walk before the change, kept as the oracle: the key of every leaf read from its path. */
function oracle(example: unknown, maxDepth = 64, maxLeaves = 100_000): { hits: ExampleHit[]; cut: boolean } {
  const hits: ExampleHit[] = [];
  let leaves = 0;
  let cut = false;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: example, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      if (++leaves > maxLeaves) {
        cut = true;
        break;
      }
      const key = /([^.[\]]+)(?:\[\d+\])*$/.exec(path)?.[1];
      const category = personalDataInNamedValue(value, key);
      if (category) hits.push({ path, category, value: String(value) });
      continue;
    }
    if (depth >= maxDepth) {
      cut = true;
      continue;
    }
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    else {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: path === '' ? entries[i]![0] : `${path}.${entries[i]![0]}`, depth: depth + 1 });
    }
  }
  return { hits, cut };
}

// Names that a verdict depends on (a number named `order`, `trace`, `ref` is not personal), and names that split a path
// in odd ways, with those words on either side of the split.
const KEYS = ['phone', 'mobile', 'order', 'trace', 'orderNo', 'idCard', 'cardNumber', 'id', 'data', 'items', 'order.phone', 'phone.order', 'x]', '[0]', 'trace[1]', 'ref]', ']', '[', '.', '', '0', '12', 'card.ref', 'ref.card'];
const VALUES = ['13812345678', '11010519491231002X', '4111111111111111', 'Zhang San', '张三', 'jane@example.com', 'ok', 42, 6222021234567890123, true, null];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function example(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 4 || r < 0.3) return VALUES[Math.floor(rnd() * VALUES.length)];
  if (r < 0.5) return Array.from({ length: Math.floor(rnd() * 4) }, () => example(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) o[KEYS[Math.floor(rnd() * KEYS.length)]!] = example(rnd, depth + 1);
  return o;
}

describe('example leaves are named by the same key as before', () => {
  it('on 3000 random examples with odd keys', () => {
    let hits = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const value = example(random(seed), 0);
      const expected = oracle(value);
      expect(personalDataInExample(value)).toEqual(expected);
      hits += expected.hits.length;
    }
    expect(hits).toBeGreaterThan(100); // the examples do exercise verdicts
  });

  it('with the depth and leaf limits', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = example(random(seed), 0);
      expect(personalDataInExample(value, 2, 3)).toEqual(oracle(value, 2, 3));
    }
  });

  it('reads keys from paths as documented', () => {
    expect(exampleKeyOfPath('')).toBeUndefined();
    expect(exampleKeyOfPath('[0]')).toBeUndefined();
    expect(exampleKeyOfPath('data.phones[0][1]')).toBe('phones');
    expect(exampleKeyOfPath('a.b')).toBe('b');
    expect(exampleKeyOfPath('x]')).toBeUndefined();
  });
});
