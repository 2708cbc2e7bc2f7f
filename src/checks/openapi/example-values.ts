/**
 * What an example value shows, whatever the field is called (7.2.2): a card number (Luhn-valid, with the prefix of a
 * real issuer), a resident ID number (GB 11643, valid check character) or a mainland mobile number, in clear. A masked
 * value (`6222****1234`, `138****5678`) shows nothing. The validators are the log detectors' (src/detectors).
 */
import { idCardValid, issuerPlausible, looksLikeMillisTimestamp, looksLikeMobile, luhnValid } from '../../detectors/validate.js';
import { nameTokens, type PersonalCategory } from './vocabulary.js';

const MASK_CHARS = /[*•xX#]{2,}|\*/;

/** Names of numbers that are something else: a trace, reference or order number that happens to pass Luhn or look like a mobile is neither. */
const OTHER_NUMBER_WORDS = new Set([
  'trace', 'reference', 'ref', 'order', 'transaction', 'txn', 'id', 'sequence', 'seq', 'batch', 'routing', 'invoice',
  'tracking', 'serial', 'token', 'uuid', 'timestamp', 'time', 'date', 'amount', 'balance', 'count', 'code', 'hash', 'nonce',
]);

/** The personal data an example value shows in clear, if any; `name` (the field's or the example key's) may rule a card out. */
export function personalDataInNamedValue(value: unknown, name: string | undefined): PersonalCategory | undefined {
  const category = personalDataInValue(value);
  if (category === undefined || name === undefined) return category;
  const tokens = nameTokens(name);
  // `idNo` may hold an ID number: only the words that name another kind of number rule an ID number out.
  if (tokens.some((t) => OTHER_NUMBER_WORDS.has(t) && (category !== 'id-number' || (t !== 'id' && t !== 'code')))) return undefined;
  return category;
}

/** The personal data an example value shows in clear, if any. */
export function personalDataInValue(value: unknown): PersonalCategory | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (text.length < 11 || text.length > 24 || MASK_CHARS.test(text)) return undefined;
  if (/^\d{17}[\dXx]$/.test(text)) return idCardValid(text.toUpperCase()) ? 'id-number' : undefined;
  if (!/^\+?[\d][\d -]*\d$/.test(text)) return undefined;
  const digits = text.replace(/[^\d]/g, '');
  // A mainland mobile: 11 digits from 13–19, or with +86 / 0086 written. `+15555555555` is a US number, not one.
  if (looksLikeMobile(digits) && (text.startsWith('+') ? text.startsWith('+86') : true)) return 'mobile-number';
  if (digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && !looksLikeMillisTimestamp(digits)
    && luhnValid(digits) && issuerPlausible(digits)) {
    return 'card-number';
  }
  return undefined;
}

export interface ExampleHit {
  /** Key path inside the example (`data.card.no`, `items[0].phone`). */
  path: string;
  category: PersonalCategory;
  value: string;
}

/**
 * Every leaf of an example that shows personal data in clear, walked iteratively to a depth and a leaf budget; `cut`
 * says the walk stopped there and the rest was not examined (then the check warns, never calls the example clean).
 */
export function personalDataInExample(example: unknown, maxDepth = 64, maxLeaves = 100_000): { hits: ExampleHit[]; cut: boolean } {
  const hits: ExampleHit[] = [];
  let leaves = 0;
  let cut = false;
  // `key` is the leaf's naming key, exampleKeyOfPath(path), carried down instead of read back from every leaf's path.
  const stack: { value: unknown; path: string; key: string | undefined; depth: number }[] = [{ value: example, path: '', key: undefined, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, key, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      if (++leaves > maxLeaves) {
        cut = true;
        break;
      }
      const category = personalDataInNamedValue(value, key);
      if (category) hits.push({ path, category, value: String(value) });
      continue;
    }
    if (depth >= maxDepth) {
      cut = true;
      continue;
    }
    // An item is named by its array's key (`phones[0]` → phones).
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, key, depth: depth + 1 });
    else {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const name = entries[i]![0];
        const childPath = path === '' ? name : `${path}.${name}`;
        stack.push({ value: entries[i]![1], path: childPath, key: isPlainKey(name) ? name : exampleKeyOfPath(childPath), depth: depth + 1 });
      }
    }
  }
  return { hits, cut };
}

/** The key naming a leaf at `path`: its last property name, array indexes after it skipped (`a.phones[0]` → phones). */
export function exampleKeyOfPath(path: string): string | undefined {
  return /([^.[\]]+)(?:\[\d+\])*$/.exec(path)?.[1];
}

/** A name that is its own path's key (no `.`, `[` or `]` to split it): exampleKeyOfPath(`${any}.${name}`) === name. */
function isPlainKey(name: string): boolean {
  if (name === '') return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e || c === 0x5b || c === 0x5d) return false;
  }
  return true;
}
