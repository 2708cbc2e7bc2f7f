/**
 * A memo keyed by a span of a text, looked up without cutting the span out: the log scanners meet the same few keys
 * and labels on every line, and a string per lookup was most of their garbage. Direct-mapped (one entry per slot, a
 * newer key replaces an older one), so its size is fixed; a hit is checked character by character, so a collision
 * only costs a recomputation. `tag` tells apart spans whose answer depends on more than their characters.
 */
export class SpanMemo {
  private readonly keys: (string | undefined)[];
  private readonly tags: Uint8Array;
  private readonly values: Int8Array;
  private readonly mask: number;

  /** `size`: a power of two. */
  constructor(size: number) {
    this.keys = new Array<string | undefined>(size);
    this.tags = new Uint8Array(size);
    this.values = new Int8Array(size);
    this.mask = size - 1;
  }

  /** The answer for `text[from, to)` under `tag`: remembered, or `compute(span, tag)` (-128…127). */
  get(text: string, from: number, to: number, tag: number, compute: (span: string, tag: number) => number): number {
    let h = tag * 65599 + to - from;
    for (let i = from; i < to; i += 1) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    const slot = (h ^ (h >>> 13)) & this.mask;
    if (this.tags[slot] === tag && spanIs(text, from, to, this.keys[slot])) return this.values[slot]!;
    const span = text.slice(from, to);
    const value = compute(span, tag);
    this.keys[slot] = span;
    this.tags[slot] = tag;
    this.values[slot] = value;
    return value;
  }
}

/** Whether `text[from, to)` is `known`, compared in place (no string cut out). */
export function spanIs(text: string, from: number, to: number, known: string | undefined): boolean {
  if (known === undefined || known.length !== to - from) return false;
  for (let i = 0; i < known.length; i += 1) if (known.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}
