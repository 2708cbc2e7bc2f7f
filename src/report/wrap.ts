/**
 * Wrapping terminal lines to the window's width, counting columns as terminals do: East Asian wide and fullwidth
 * characters take two columns (a Chinese message is twice as wide as its length), combining marks and zero-width
 * characters none, colour codes none. A wrapped line continues under its text, not under its bullet (hanging indent).
 */

/** SGR colour codes (all chalk writes). */
const SGR = /\u001b\[[0-9;]*m/y;

/** Columns a code point takes in a terminal. */
export function codePointWidth(cp: number): number {
  if (cp === 0 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff) return 0;
  if (isWide(cp)) return 2;
  return 1;
}

/** East Asian Wide (W) and Fullwidth (F) blocks, and the emoji blocks terminals draw two columns wide. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns a string takes, colour codes excluded. */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; ) {
    SGR.lastIndex = i;
    if (SGR.test(s)) {
      i = SGR.lastIndex;
      continue;
    }
    const cp = s.codePointAt(i)!;
    w += codePointWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/** Markers after which a wrapped line's text continues (bullets and the report's status marks). */
const BULLET = /^(\s*)((?:\u001b\[[0-9;]*m)*[•✗!⚠~→·-](?:\u001b\[[0-9;]*m)* )/u;

type Token = { text: string; width: number; space: boolean };

/** Splits into colour codes, runs of blanks, wide characters (each may start a line) and other words. */
function tokens(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    SGR.lastIndex = i;
    if (SGR.test(s)) {
      out.push({ text: s.slice(i, SGR.lastIndex), width: 0, space: false });
      i = SGR.lastIndex;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    if (cp === 0x20) {
      let j = i;
      while (s.charCodeAt(j) === 0x20) j++;
      out.push({ text: s.slice(i, j), width: j - i, space: true });
      i = j;
    } else if (isWide(cp)) {
      out.push({ text: s.slice(i, i + len), width: 2, space: false });
      i += len;
    } else {
      let j = i;
      let width = 0;
      while (j < s.length) {
        const c = s.codePointAt(j)!;
        if (c === 0x20 || c === 0x1b || isWide(c)) break;
        width += codePointWidth(c);
        j += c > 0xffff ? 2 : 1;
      }
      out.push({ text: s.slice(i, j), width, space: false });
      i = j;
    }
  }
  return out;
}

/** One line wrapped to `width` columns, continuation lines indented under the text after the bullet. */
export function wrapLine(line: string, width: number): string[] {
  if (width <= 0 || displayWidth(line) <= width) return [line];
  const bullet = BULLET.exec(line);
  const lead = bullet ? displayWidth(bullet[1]! + bullet[2]!) : /^ */.exec(line)![0].length;
  // A hanging indent wider than half the window would leave too little room: fall back to a small one.
  const indent = ' '.repeat(lead > width / 2 ? 2 : lead);
  const lines: string[] = [];
  let current = '';
  let used = 0;
  let pendingSpace = '';
  const flush = () => {
    lines.push(current);
    current = indent;
    used = indent.length;
    pendingSpace = '';
  };
  for (const t of tokens(line)) {
    if (t.space) {
      if (used > indent.length || lines.length === 0) pendingSpace += t.text;
      continue;
    }
    if (t.width === 0) {
      current += t.text;
      continue;
    }
    if (used + pendingSpace.length + t.width <= width) {
      current += pendingSpace + t.text;
      used += pendingSpace.length + t.width;
      pendingSpace = '';
      continue;
    }
    if (used > indent.length || (lines.length === 0 && used > 0)) flush();
    // A word longer than a whole line is cut by columns.
    let rest = t.text;
    while (used + displayWidth(rest) > width) {
      let cut = 0;
      let w = 0;
      for (const ch of rest) {
        const cw = codePointWidth(ch.codePointAt(0)!);
        if (used + w + cw > width) break;
        w += cw;
        cut += ch.length;
      }
      if (cut === 0) break;
      current += rest.slice(0, cut);
      rest = rest.slice(cut);
      flush();
    }
    current += rest;
    used += displayWidth(rest);
  }
  lines.push(current);
  return lines;
}

/** Every line of a report wrapped; `width` undefined or 0 leaves them as they are (files, pipes, tests). */
export function wrapLines(lines: string[], width: number | undefined): string[] {
  if (!width || width < 20) return lines;
  return lines.flatMap((l) => l.split('\n').flatMap((x) => wrapLine(x, width)));
}
