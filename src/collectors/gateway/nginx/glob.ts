/**
 * `include` globs as nginx expands them (glob(3) with no flags): `*`, `?` and `[…]` per path segment,
 * hidden files not matched by a leading wildcard, results sorted in byte order, no match is not an error.
 */
import { readdirSync, statSync } from 'node:fs';
import { sep } from 'node:path';

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

interface Item {
  /** A literal character, `?` (any one) or a character class. */
  kind: 'char' | 'any' | 'class';
  ch?: string;
  negated?: boolean;
  /** Class members: single characters and ranges. */
  ranges?: [string, string][];
}

/** One path segment's pattern: items separated by stars (`a*b?c` → [[a], [b, ?, c]] with stars between). */
function compileSegment(segment: string): Item[][] {
  const parts: Item[][] = [[]];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    const cur = parts[parts.length - 1]!;
    if (c === '*') parts.push([]);
    else if (c === '?') cur.push({ kind: 'any' });
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) cur.push({ kind: 'char', ch: '[' });
      else {
        let body = segment.slice(i + 1, close);
        const negated = body.startsWith('!');
        if (negated) body = body.slice(1);
        const ranges: [string, string][] = [];
        for (let j = 0; j < body.length; j++) {
          const a = body[j] === '\\' && j + 1 < body.length ? body[++j]! : body[j]!;
          if (body[j + 1] === '-' && j + 2 < body.length) {
            ranges.push([a, body[j + 2]!]);
            j += 2;
          } else ranges.push([a, a]);
        }
        cur.push({ kind: 'class', negated, ranges });
        i = close;
      }
    } else if (c === '\\' && i + 1 < segment.length) cur.push({ kind: 'char', ch: segment[++i]! });
    else cur.push({ kind: 'char', ch: c });
  }
  return parts;
}

function itemMatches(item: Item, ch: string): boolean {
  if (item.kind === 'any') return ch !== '/';
  if (item.kind === 'char') return item.ch === ch;
  const inside = item.ranges!.some(([lo, hi]) => ch >= lo && ch <= hi);
  return item.negated ? !inside : inside;
}

function partAt(part: Item[], name: string, at: number): boolean {
  for (let k = 0; k < part.length; k++) if (!itemMatches(part[k]!, name[at + k]!)) return false;
  return true;
}

/**
 * Whether a file name matches one glob segment. WHY not a RegExp: `include a*a*a*a*b` over a long name makes a
 * backtracking engine explode. Between stars each literal run is placed at its leftmost fit (greedy leftmost is
 * optimal for `*`-separated runs), so the work is at most name length × pattern length, with no backtracking.
 */
export function matchSegment(pattern: string, name: string): boolean {
  const parts = compileSegment(pattern);
  const first = parts[0]!;
  if (parts.length === 1) return first.length === name.length && partAt(first, name, 0);
  if (first.length > name.length || !partAt(first, name, 0)) return false;
  const last = parts[parts.length - 1]!;
  const end = name.length - last.length;
  if (end < first.length || !partAt(last, name, end)) return false;
  let pos = first.length;
  for (let p = 1; p < parts.length - 1; p++) {
    const part = parts[p]!;
    let found = -1;
    for (let at = pos; at + part.length <= end; at++) {
      if (partAt(part, name, at)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + part.length;
  }
  return true;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Absolute glob → matching paths (files or directories at the last segment), sorted. */
export function expandGlob(pattern: string): string[] {
  const segments = pattern.split(sep);
  let bases = [segments[0] === '' ? sep : segments[0]!];
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '') continue;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      const join = base.endsWith(sep) ? base : base + sep;
      if (!hasGlob(seg)) {
        const p = join + seg;
        if (last ? exists(p) : isDir(p)) next.push(p);
        continue;
      }
      let entries: string[];
      try {
        entries = readdirSync(base);
      } catch {
        continue;
      }
      for (const e of entries.sort()) {
        if (e.startsWith('.') && !seg.startsWith('.')) continue;
        if (!matchSegment(seg, e)) continue;
        const p = join + e;
        if (last || isDir(p)) next.push(p);
      }
    }
    bases = next;
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
