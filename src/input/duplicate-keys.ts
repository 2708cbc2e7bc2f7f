/**
 * Duplicate keys in JSON and YAML inputs are input errors naming both lines.
 *
 * WHY: readers disagree on which of two equal keys wins (JSON.parse and js-yaml's json mode keep the last, others the
 * first or refuse), so a reviewer reading the file and the gateway or generator deploying it can see different
 * configurations. JSON.parse cannot report them, so JSON text gets a scan of its own: one pass, strings skipped with
 * indexOf, keys compared per object (a short array, a Set only for large objects). It runs on text JSON.parse has
 * already accepted, so it need not validate.
 */
import type { Document, LineCounter, Node } from 'yaml';
import { InputError } from '../errors.js';
import { offsetToLineColumn } from './position.js';

export interface DuplicateKey {
  key: string;
  /** Offsets (UTF-16) of the first and the repeated key. */
  first: number;
  second: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
/** Keys per object compared by a linear search before switching to a Map (most objects are small). */
const SMALL = 12;

interface ObjectFrame {
  keys: string[];
  offsets: number[];
  map?: Map<string, number>;
  expectKey: boolean;
}

/**
 * Whether a JSON text may repeat a key, given the value JSON.parse made of it: the text's unescaped `":` (every key
 * ends so, and inside a string a quote is escaped) against the keys the value holds (a repeated key collapses into
 * one). Equal counts prove there is none; a difference (a repeat, or `"a" : 1` spacing) sends the text to the full
 * scan. Two native-speed passes instead of the scan's key-by-key bookkeeping: the OpenAPI JSON path is hot.
 */
export function mayHaveJsonDuplicateKeys(text: string, value: unknown): boolean {
  let inText = 0;
  for (let i = text.indexOf('":'); i !== -1; i = text.indexOf('":', i + 2)) if (!isEscaped(text, i)) inText++;
  let inValue = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const key in node) {
        inValue++;
        const item = (node as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') stack.push(item);
      }
    }
  }
  return inText !== inValue;
}

/** The first duplicate key of a valid JSON text, or undefined. Linear in the text. */
export function findJsonDuplicateKey(text: string): DuplicateKey | undefined {
  // null marks an array frame.
  const stack: (ObjectFrame | null)[] = [];
  let top: ObjectFrame | null = null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = text.indexOf('"', i + 1);
      // An escaped quote is preceded by an odd number of backslashes.
      while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) return undefined;
      if (top !== null && top.expectKey) {
        top.expectKey = false;
        const raw = text.slice(i + 1, j);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        const seen = lookup(top, key);
        if (seen !== undefined) return { key, first: seen, second: i };
        remember(top, key, i);
      }
      i = j + 1;
      continue;
    }
    if (c === LBRACE) {
      top = { keys: [], offsets: [], expectKey: true };
      stack.push(top);
    } else if (c === LBRACKET) {
      top = null;
      stack.push(null);
    } else if (c === RBRACE || c === RBRACKET) {
      stack.pop();
      top = stack.length > 0 ? stack[stack.length - 1]! : null;
    } else if (c === COMMA && top !== null) {
      top.expectKey = true;
    }
    i++;
  }
  return undefined;
}

function isEscaped(text: string, quote: number): boolean {
  let k = quote - 1;
  while (text.charCodeAt(k) === BACKSLASH) k--;
  return (quote - 1 - k) % 2 === 1;
}

function lookup(frame: ObjectFrame, key: string): number | undefined {
  if (frame.map) return frame.map.get(key);
  const at = frame.keys.indexOf(key);
  return at === -1 ? undefined : frame.offsets[at];
}

function remember(frame: ObjectFrame, key: string, offset: number): void {
  if (frame.map) {
    frame.map.set(key, offset);
    return;
  }
  frame.keys.push(key);
  frame.offsets.push(offset);
  if (frame.keys.length > SMALL) {
    frame.map = new Map(frame.keys.map((k, x) => [k, frame.offsets[x]!]));
  }
}

/** The first duplicate key of a parsed YAML document (`uniqueKeys: false`), with offsets, or undefined. */
export function findYamlDuplicateKey(doc: Document): DuplicateKey | undefined {
  const seen = new Set<unknown>();
  const walk = (node: unknown): DuplicateKey | undefined => {
    if (!node || typeof node !== 'object' || seen.has(node)) return undefined;
    seen.add(node);
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return undefined;
    const keys = new Map<string, number>();
    for (const item of items) {
      const pair = item as { key?: unknown; value?: unknown };
      if (pair && typeof pair === 'object' && 'key' in pair) {
        const keyNode = pair.key as (Node & { value?: unknown; source?: string }) | null;
        const scalar = keyNode && typeof keyNode === 'object' && 'value' in keyNode && !('items' in keyNode);
        if (scalar) {
          const key = String(keyNode.value);
          const offset = keyNode.range?.[0] ?? 0;
          // `<<` merge keys may repeat by design.
          if (key !== '<<') {
            const first = keys.get(key);
            if (first !== undefined) return { key, first, second: offset };
            keys.set(key, offset);
          }
        } else {
          const inKey = walk(pair.key);
          if (inKey) return inKey;
        }
        const inValue = walk(pair.value);
        if (inValue) return inValue;
      } else {
        const inItem = walk(item);
        if (inItem) return inItem;
      }
    }
    return undefined;
  };
  return walk(doc.contents);
}

export function duplicateKeyMessage(dup: DuplicateKey, firstLine: number, secondLine: number): string {
  const key = JSON.stringify(dup.key.length > 80 ? `${dup.key.slice(0, 79)}…` : dup.key);
  return `duplicate key ${key} (lines ${firstLine} and ${secondLine}): readers disagree on which one wins, so the file means different things to different tools; keep one`;
}

/**
 * Throws an InputError at the repeated key, naming both lines, when a JSON text repeats a key in one object. With
 * the value JSON.parse made of the text, most texts are cleared by the cheap count (mayHaveJsonDuplicateKeys).
 */
export function assertNoJsonDuplicateKeys(file: string, text: string, value?: unknown): void {
  if (value !== undefined && !mayHaveJsonDuplicateKeys(text, value)) return;
  const dup = findJsonDuplicateKey(text);
  if (dup) throw duplicateKeyError(file, text, dup);
}

/** Same for a YAML document; `lines` maps offsets when the caller has one. */
export function assertNoYamlDuplicateKeys(file: string, text: string, doc: Document, lines?: LineCounter): void {
  const dup = findYamlDuplicateKey(doc);
  if (!dup) return;
  if (!lines) throw duplicateKeyError(file, text, dup);
  const a = lines.linePos(dup.first);
  const b = lines.linePos(dup.second);
  throw new InputError(file, b.line, duplicateKeyMessage(dup, a.line, b.line), b.col);
}

export function duplicateKeyError(file: string, text: string, dup: DuplicateKey): InputError {
  const a = offsetToLineColumn(text, dup.first).line;
  const b = offsetToLineColumn(text, dup.second).line;
  const lineStart = text.lastIndexOf('\n', dup.second - 1) + 1;
  return new InputError(file, b, duplicateKeyMessage(dup, a, b), dup.second - lineStart + 1);
}
