/**
 * Glob patterns over `/`-separated paths, matched in time linear in the path for a given pattern (at most
 * pattern tokens × path characters steps), with no backtracking and no regular expression built from user text.
 *
 * WHY: patterns come from users and from files under assessment (waivers, configs); a regex translation such as
 * `a*a*a*…b` → `^a[^/]*a[^/]*…b$` backtracks exponentially on a long name that almost matches. Here the pattern is a
 * small automaton whose states are token positions, and the path is read once, left to right, keeping the set of
 * positions reachable so far (Thompson's construction).
 *
 * Syntax: `*` any run of characters within one path segment; `**` as a whole segment any number of segments
 * (zero included: `a/**\/b` matches `a/b`); `?` one character other than `/`; `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]`
 * one character of (or not of) a class, never `/`; `\x` the character x itself. Dots are ordinary characters.
 */

type Token =
  | { t: 'char'; c: string }
  | { t: 'one' }
  | { t: 'class'; negate: boolean; ranges: [string, string][] }
  | { t: 'star' }
  /** `**` not followed by `/` (e.g. at the end): any characters, `/` included. */
  | { t: 'any' }
  /** `**\/`: nothing, or any characters ending in `/`. */
  | { t: 'dirs' };

/** Longest pattern accepted: patterns are typed by people, and the match cost grows with the token count. */
export const MAX_GLOB_LENGTH = 4096;

export interface Glob {
  readonly pattern: string;
  /** True when the path (with `\` read as `/`, a leading `./` dropped) matches the whole pattern. */
  match(path: string): boolean;
}

/** True when the text uses glob syntax (an unescaped `*`, `?` or `[`). */
export function isGlob(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      tokens.push({ t: 'char', c: pattern[i + 1]! });
      i += 2;
    } else if (c === '*') {
      let j = i;
      while (pattern[j] === '*') j += 1;
      const atSegmentStart = i === 0 || pattern[i - 1] === '/';
      if (j - i >= 2 && atSegmentStart && pattern[j] === '/') {
        tokens.push({ t: 'dirs' });
        j += 1;
      } else if (j - i >= 2 && atSegmentStart && j === pattern.length) tokens.push({ t: 'any' });
      // `a**b` is not a whole segment: it means what `a*b` means, as in bash without globstar.
      else if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' });
      i = j;
    } else if (c === '?') {
      tokens.push({ t: 'one' });
      i += 1;
    } else if (c === '[') {
      const parsed = parseClass(pattern, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        // An unclosed `[` is an ordinary character, as in POSIX fnmatch.
        tokens.push({ t: 'char', c });
        i += 1;
      }
    } else {
      tokens.push({ t: 'char', c });
      i += 1;
    }
  }
  return tokens;
}

function parseClass(pattern: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i += 1;
  }
  const ranges: [string, string][] = [];
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    let lo = pattern[i]!;
    if (lo === '\\' && i + 1 < pattern.length) lo = pattern[++i]!;
    i += 1;
    let hi = lo;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      hi = pattern[i + 1]!;
      if (hi === '\\' && i + 2 < pattern.length) {
        hi = pattern[i + 2]!;
        i += 1;
      }
      i += 2;
    }
    ranges.push([lo, hi]);
    first = false;
  }
  if (pattern[i] !== ']') return undefined;
  return { token: { t: 'class', negate, ranges }, end: i + 1 };
}

function inClass(token: Extract<Token, { t: 'class' }>, c: string): boolean {
  if (c === '/') return false;
  let hit = false;
  for (const [lo, hi] of token.ranges) {
    if (c >= lo && c <= hi) {
      hit = true;
      break;
    }
  }
  return hit !== token.negate;
}

/** Path as matched: `\` read as `/` (Windows separators), a leading `./` dropped. */
export function normalisePath(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.startsWith('./') ? p.slice(2) : p;
}

export function compileGlob(pattern: string): Glob {
  if (pattern.length > MAX_GLOB_LENGTH) throw new RangeError(`glob pattern longer than ${MAX_GLOB_LENGTH} characters`);
  const tokens = tokenize(pattern.startsWith('./') ? pattern.slice(2) : pattern);
  const n = tokens.length;
  // Positions that can be skipped without reading a character (their token may match nothing).
  const nullable = tokens.map((t) => t.t === 'star' || t.t === 'any' || t.t === 'dirs');

  /** Adds `from` and every position reachable from it by skipping nullable tokens. */
  const close = (set: Uint8Array, from: number): void => {
    let p = from;
    while (p <= n && !set[p]) {
      set[p] = 1;
      if (p < n && nullable[p]) p += 1;
      else break;
    }
  };

  return {
    pattern,
    match(rawPath: string): boolean {
      const path = normalisePath(rawPath);
      // `at[p]`: the next character may start token p; `inside[p]`: inside a `**/` token, past its start (no longer
      // skippable: it must end with a `/`).
      let at = new Uint8Array(n + 1);
      let next = new Uint8Array(n + 1);
      let inside = new Uint8Array(n + 1);
      let nextInside = new Uint8Array(n + 1);
      close(at, 0);
      for (let k = 0; k < path.length; k++) {
        const c = path[k]!;
        next.fill(0);
        nextInside.fill(0);
        let alive = false;
        for (let p = 0; p < n; p++) {
          const tok = tokens[p]!;
          if (inside[p] || (at[p] && tok.t === 'dirs')) {
            nextInside[p] = 1;
            if (c === '/') close(next, p + 1);
            alive = true;
            continue;
          }
          if (!at[p]) continue;
          switch (tok.t) {
            case 'char':
              if (c === tok.c) (close(next, p + 1), (alive = true));
              break;
            case 'one':
              if (c !== '/') (close(next, p + 1), (alive = true));
              break;
            case 'class':
              if (inClass(tok, c)) (close(next, p + 1), (alive = true));
              break;
            case 'star':
              if (c !== '/') (close(next, p), (alive = true));
              break;
            case 'any':
              close(next, p);
              alive = true;
              break;
          }
        }
        if (!alive) return false;
        [at, next] = [next, at];
        [inside, nextInside] = [nextInside, inside];
      }
      return at[n] === 1;
    },
  };
}

/** One-off match; compile once with compileGlob when matching many paths. */
export function globMatch(pattern: string, path: string): boolean {
  return compileGlob(pattern).match(path);
}

/** The directory part of a pattern before its first segment with glob syntax (`specs/v2/*.yaml` → `specs/v2`). */
export function globBase(pattern: string): string {
  // `\` escapes in a pattern: only `/` separates its segments.
  const segments = (pattern.startsWith('./') ? pattern.slice(2) : pattern).split('/');
  const literal: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (isGlob(s)) break;
    literal.push(s);
  }
  if (literal.length === 0) return pattern.startsWith('/') ? '/' : '.';
  const base = literal.join('/');
  return base === '' ? '/' : base.replace(/\\(.)/g, '$1');
}
