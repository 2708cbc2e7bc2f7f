/**
 * Lazy pointer → line/column resolution. Nothing is computed until a finding asks: a full position
 * map of a 13 MB spec costs more than the whole assessment (DESIGN.md, "Measured on this machine").
 *
 * Where a pointer lands: an object member / mapping entry resolves to the start of its key; an array
 * element / sequence item to the start of its value; the root to the first character of the document.
 * Lines and columns are 1-based; columns count UTF-16 code units (as editors and SARIF do).
 */
import type { Locator } from '../../model/evidence.js';
import type { Utf16Offsets } from '../../input/json-text.js';
import { splitPointer } from './pointer.js';
import type { SourceFormat } from './source.js';

type Position = { line: number; column: number };

/**
 * `offsets`: the text is a JSON file with characters past ASCII written as escapes (src/input/json-text.ts); columns
 * are counted in the file as written.
 */
export function createLocator(file: string, text: string, format: SourceFormat, offsets?: Utf16Offsets): Locator {
  const resolver = format === 'json' ? new JsonPointerScanner(text, offsets) : new YamlPointerScanner(text);
  return {
    file,
    locate(pointers: readonly string[]): Map<string, Position> {
      return resolver.locate(pointers);
    },
  };
}

// ------------------------------------------------------------------------------------------------
// JSON: a container's members are indexed (key offset, value offset) the first time a pointer goes
// through it, by one pass over that container that skips every member value with a bracket/string
// matcher. Only containers some pointer passes through are ever indexed; each is indexed once.
// ------------------------------------------------------------------------------------------------

interface JsonEntry {
  /** Where the member's key (or the element's value) starts. */
  offset: number;
  /** Where its value starts. */
  valueOffset: number;
}

const WS = new Uint8Array(128);
WS[0x20] = 1;
WS[0x09] = 1;
WS[0x0a] = 1;
WS[0x0d] = 1;

class JsonPointerScanner {
  private readonly members = new Map<number, Map<string, JsonEntry>>();
  constructor(
    private readonly text: string,
    private readonly offsets?: Utf16Offsets,
  ) {}

  locate(pointers: readonly string[]): Map<string, Position> {
    const start = this.skipWs(0);
    const result = new Map<string, Position>();
    for (const pointer of pointers) {
      let current: JsonEntry = { offset: start, valueOffset: start };
      for (const segment of splitPointer(pointer)) {
        const entry = this.membersOf(current.valueOffset).get(segment);
        if (!entry) break;
        current = entry;
      }
      result.set(pointer, this.position(current.offset));
    }
    return result;
  }

  /** The members of the container whose value starts at `i` (its offset names it: no path to build per step). */
  private membersOf(i: number): Map<string, JsonEntry> {
    const cached = this.members.get(i);
    if (cached) return cached;
    const members = new Map<string, JsonEntry>();
    this.members.set(i, members);
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 0x7b) {
      i = this.skipWs(i + 1);
      if (t.charCodeAt(i) === 0x7d) return members;
      while (i < t.length && t.charCodeAt(i) === 0x22) {
        const keyStart = i;
        const keyEnd = this.skipString(i);
        const raw = t.slice(keyStart + 1, keyEnd - 1);
        const key = raw.includes('\\') ? (JSON.parse(t.slice(keyStart, keyEnd)) as string) : raw;
        i = this.skipWs(keyEnd);
        i = this.skipWs(i + 1); // ':'
        // Duplicate keys: JSON.parse keeps the last one, so does this index.
        members.set(key, { offset: keyStart, valueOffset: i });
        i = this.skipWs(this.skipValue(i));
        if (t.charCodeAt(i) !== 0x2c) break;
        i = this.skipWs(i + 1);
      }
    } else if (c === 0x5b) {
      i = this.skipWs(i + 1);
      if (t.charCodeAt(i) === 0x5d) return members;
      let index = 0;
      while (i < t.length) {
        members.set(String(index++), { offset: i, valueOffset: i });
        i = this.skipWs(this.skipValue(i));
        if (t.charCodeAt(i) !== 0x2c) break;
        i = this.skipWs(i + 1);
      }
    }
    return members;
  }

  private skipWs(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c >= 128 || WS[c] === 0) break;
      i++;
    }
    return i;
  }

  /** i is at an opening quote; returns the index after the closing quote. */
  private skipString(i: number): number {
    const t = this.text;
    let j = i + 1;
    for (;;) {
      const q = t.indexOf('"', j);
      if (q === -1) return t.length;
      let backslashes = 0;
      for (let k = q - 1; k > i && t.charCodeAt(k) === 0x5c; k--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /** Offsets of every `{`/`[` outside strings, ascending, and of the end of each (after its closing bracket). */
  private opens: Int32Array | undefined;
  private ends: Int32Array | undefined;
  /** Offsets where lines start. */
  private lineStarts: Int32Array | undefined;

  private position(offset: number): Position {
    if (!this.lineStarts) this.scan();
    const starts = this.lineStarts!;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    // An escape holds no line break, so lines are the file's; a column counts what the escapes stand for.
    const o = this.offsets;
    const lineStart = starts[lo]!;
    return { line: lo + 1, column: o ? o.utf16(offset) - o.utf16(lineStart) + 1 : offset - lineStart + 1 };
  }

  /**
   * Where the container opened at `i` ends. Indexing a container skips each member's value; a pointer into a deep
   * schema used to rescan every byte once per indexed ancestor (3 to 6 times on Stripe's and GitHub's specs). One
   * pass pairs all brackets instead (the text parsed as JSON, so strings and brackets nest properly), and each skip
   * is a binary search.
   */
  private containerEnd(i: number): number {
    if (!this.opens) this.scan();
    const opens = this.opens!;
    let lo = 0;
    let hi = opens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = opens[mid]!;
      if (at === i) return this.ends![mid]!;
      if (at < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.text.length;
  }

  /**
   * One pass over the text pairs its brackets and finds where its lines start: a JSON text holds line breaks only
   * between tokens (a string may not hold one unescaped), so the pass sees each one while skipping strings whole.
   * Typed arrays grown by doubling: GitHub's 13 MB has 90,000 containers and 350,000 lines.
   */
  private scan(): void {
    const t = this.text;
    const n = t.length;
    let opens: Int32Array = new Int32Array(1024);
    let ends: Int32Array = new Int32Array(1024);
    let count = 0;
    let lines: Int32Array = new Int32Array(1024);
    let lineCount = 1;
    const stack: number[] = [];
    let i = 0;
    while (i < n) {
      const c = t.charCodeAt(i);
      // White space first: most of what lies between strings in pretty-printed JSON.
      if (c <= 0x20) {
        if (c === 0x0a) {
          if (lineCount === lines.length) lines = grow(lines);
          lines[lineCount++] = i + 1;
        }
        i++;
        continue;
      }
      if (c === 0x22) {
        i = this.skipString(i);
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        if (count === opens.length) {
          opens = grow(opens);
          ends = grow(ends);
        }
        opens[count] = i;
        ends[count] = n; // unclosed: the end of the text, as a scan would find
        stack.push(count++);
      } else if (c === 0x7d || c === 0x5d) {
        const k = stack.pop();
        if (k !== undefined) ends[k] = i + 1;
      }
      i++;
    }
    this.opens = opens.subarray(0, count);
    this.ends = ends.subarray(0, count);
    this.lineStarts = lines.subarray(0, lineCount);
  }

  private skipValue(i: number): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 0x22) return this.skipString(i);
    if (c === 0x7b || c === 0x5b) return this.containerEnd(i);
    while (i < t.length) {
      const d = t.charCodeAt(i);
      if (d === 0x2c || d === 0x7d || d === 0x5d || (d < 128 && WS[d] === 1)) break;
      i++;
    }
    return i;
  }
}

function grow(a: Int32Array): Int32Array {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

// ------------------------------------------------------------------------------------------------
// YAML: block-style documents (what OpenAPI YAML is in practice) located from indentation alone.
// Children of each mapping/sequence are listed once and cached; flow collections ({…}, […]) and
// other rare forms resolve to their nearest located ancestor.
// ------------------------------------------------------------------------------------------------

interface YamlNode {
  line: number; // 0-based
  col: number; // 0-based
  /** Where the node's own content may begin inline (after `key:` or `- `), -1 when it can only be below. */
  inlineCol: number;
  /** Exclusive end line of this node's region. */
  end: number;
  children?: Map<string, YamlNode>;
}

class YamlPointerScanner {
  private lines: string[] | undefined;
  private indents: Int32Array | undefined;
  private root: YamlNode | undefined;
  constructor(private readonly text: string) {}

  locate(pointers: readonly string[]): Map<string, Position> {
    this.prepare();
    const result = new Map<string, Position>();
    for (const pointer of pointers) {
      let node = this.root!;
      for (const segment of splitPointer(pointer)) {
        const child = this.childrenOf(node).get(segment);
        if (!child) break;
        node = child;
      }
      result.set(pointer, { line: node.line + 1, column: node.col + 1 });
    }
    return result;
  }

  private prepare(): void {
    if (this.lines) return;
    const lines = this.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const indents = new Int32Array(lines.length);
    let first = 0;
    let sawDocStart = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      let k = 0;
      while (k < line.length && line.charCodeAt(k) === 0x20) k++;
      // -1 marks lines that hold no node: blank, comment-only, directives and document markers.
      const ch = line[k];
      if (k === line.length || ch === '#') indents[i] = -1;
      else if (k === 0 && (ch === '%' || /^(---|\.\.\.)(\s|$)/.test(line))) {
        indents[i] = -1;
        if (!sawDocStart && line.startsWith('---')) {
          sawDocStart = true;
          first = i + 1;
          const rest = line.slice(3).trim();
          if (rest !== '' && !rest.startsWith('#')) first = i; // `--- {…}` keeps content on the marker line
        }
      } else indents[i] = k;
    }
    this.lines = lines;
    this.indents = indents;
    let rootLine = first;
    while (rootLine < lines.length && indents[rootLine] < 0) rootLine++;
    this.root = {
      line: Math.min(rootLine, Math.max(lines.length - 1, 0)),
      col: rootLine < lines.length ? indents[rootLine] : 0,
      inlineCol: -1,
      end: lines.length,
    };
    // The root's children are listed from the line before its first content.
    this.rootStart = first - 1;
  }

  private rootStart = -1;

  private childrenOf(node: YamlNode): Map<string, YamlNode> {
    if (node.children) return node.children;
    const children = new Map<string, YamlNode>();
    node.children = children;
    const lines = this.lines!;
    const indents = this.indents!;
    const isRoot = node === this.root;
    const after = isRoot ? this.rootStart : node.line;

    // First content of the node's value: inline on its own line, else the next content line.
    let firstLine = -1;
    let firstCol = -1;
    if (!isRoot && node.inlineCol >= 0) {
      const rest = stripComment(lines[node.line].slice(node.inlineCol));
      const trimmed = rest.trimStart();
      const col = node.inlineCol + (rest.length - trimmed.length);
      const valueStart = skipProperties(trimmed);
      if (valueStart.length > 0) {
        if (!isDash(valueStart) && parseKey(lines[node.line], col + (trimmed.length - valueStart.length)) === undefined) {
          return children; // scalar, block scalar or flow collection
        }
        firstLine = node.line;
        firstCol = col + (trimmed.length - valueStart.length);
      }
    }
    if (firstLine < 0) {
      for (let l = after + 1; l < node.end; l++) {
        if (indents[l] >= 0) {
          firstLine = l;
          firstCol = indents[l];
          break;
        }
      }
      if (firstLine < 0) return children;
      // A nested value must be more indented than its key (a sequence may sit at the key's indent).
      if (!isRoot && firstCol < node.col) return children;
      if (!isRoot && firstCol === node.col && !isDash(lines[firstLine].slice(firstCol))) return children;
    }

    const starts: { line: number; col: number; key?: string; inlineCol: number }[] = [];
    const sequence = isDash(lines[firstLine].slice(firstCol));
    const consider = (l: number, col: number): void => {
      const line = lines[l];
      if (sequence) {
        if (!isDash(line.slice(col))) return;
        let c = col + 1;
        while (c < line.length && line.charCodeAt(c) === 0x20) c++;
        starts.push({ line: l, col: c < line.length && line[c] !== '#' ? c : col, inlineCol: c });
      } else {
        const key = parseKey(line, col);
        if (key) starts.push({ line: l, col, key: key.key, inlineCol: key.valueCol });
      }
    };
    consider(firstLine, firstCol);
    for (let l = firstLine + 1; l < node.end; l++) {
      const indent = indents[l];
      if (indent < 0) continue;
      if (indent < firstCol) break;
      if (indent === firstCol) consider(l, firstCol);
    }
    starts.forEach((s, i) => {
      const end = i + 1 < starts.length ? starts[i + 1].line : node.end;
      children.set(s.key ?? String(i), { line: s.line, col: s.col, inlineCol: s.inlineCol, end });
    });
    return children;
  }
}

function isDash(s: string): boolean {
  return s.charCodeAt(0) === 0x2d && (s.length === 1 || s[1] === ' ');
}

/** Skips anchors (&a) and tags (!t) in front of a value. */
function skipProperties(s: string): string {
  let rest = s;
  while (rest.startsWith('&') || rest.startsWith('!')) {
    const space = rest.indexOf(' ');
    if (space === -1) return '';
    rest = rest.slice(space + 1).trimStart();
  }
  return rest;
}

function stripComment(s: string): string {
  if (s.trimStart().startsWith('#')) return '';
  const m = /\s#/.exec(s);
  return m ? s.slice(0, m.index) : s;
}

/** A mapping key written at `col` of `line`: plain, 'single' or "double" quoted, followed by `:`. */
function parseKey(line: string, col: number): { key: string; valueCol: number } | undefined {
  const ch = line[col];
  if (ch === undefined || ch === '#' || ch === '?' || isDash(line.slice(col))) return undefined;
  let key: string;
  let i: number;
  if (ch === '"') {
    let j = col + 1;
    while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
    try {
      key = JSON.parse(line.slice(col, j + 1)) as string;
    } catch {
      key = line.slice(col + 1, j);
    }
    i = j + 1;
  } else if (ch === "'") {
    let j = col + 1;
    for (;;) {
      const q = line.indexOf("'", j);
      if (q === -1) return undefined;
      if (line[q + 1] === "'") {
        j = q + 2;
        continue;
      }
      j = q;
      break;
    }
    key = line.slice(col + 1, j).replace(/''/g, "'");
    i = j + 1;
  } else {
    const m = /:(\s|$)/.exec(line.slice(col));
    if (!m) return undefined;
    key = line.slice(col, col + m.index).trimEnd();
    if (key.startsWith('{') || key.startsWith('[')) return undefined;
    return { key, valueCol: col + m.index + 1 };
  }
  while (i < line.length && line[i] === ' ') i++;
  if (line[i] !== ':' || (i + 1 < line.length && line[i + 1] !== ' ')) return undefined;
  return { key, valueCol: i + 1 };
}
