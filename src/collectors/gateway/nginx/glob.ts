/**
 * `include` globs as nginx expands them (glob(3) with no flags): `*`, `?` and `[…]` per path segment,
 * hidden files not matched by a leading wildcard, results sorted in byte order, no match is not an error.
 */
import { readdirSync, statSync } from 'node:fs';
import { sep } from 'node:path';

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let cls = segment.slice(i + 1, close);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
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
      const re = segmentRegex(seg);
      for (const e of entries) {
        if (e.startsWith('.') && !seg.startsWith('.')) continue;
        if (!re.test(e)) continue;
        const p = join + e;
        if (last || isDir(p)) next.push(p);
      }
    }
    bases = next;
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
