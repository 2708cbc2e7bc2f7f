/**
 * The text of a JSON file as a one-byte string: what JSON.parse and every scan after it (duplicate keys, lines,
 * brackets) read fastest.
 *
 * WHY: `Buffer#toString('utf8')` of a file holding even one character past ASCII gives a two-byte string. GitHub's
 * 13 MB description holds 140 such bytes: it decoded to 26 MB in ~0.1 s, and JSON.parse and the scans then read twice
 * the bytes. In JSON a character past ASCII can only stand inside a string (anywhere else the text is invalid), where
 * its `\uXXXX` escape means the same character. So the file with each such character written as its escape is pure
 * ASCII, is read as Latin-1 at copy speed, and JSON.parse makes the same value of it. Positions move only after an
 * escape, by a known amount: `Utf16Offsets` maps them back to the file's UTF-16 offsets, so lines and columns stay
 * exact.
 *
 * Taken only when provably the same as decoding the file: it is valid UTF-8 (else the decoder's U+FFFD replacements
 * decide what the text says), no such character follows a backslash (`"\é"` is invalid JSON, `"\\u00e9"` is not), and
 * they are few (a file dense in them is smaller as the two-byte string). Otherwise undefined: decode as before.
 */
import { isAscii, isUtf8 } from 'node:buffer';

export interface JsonText {
  /** The text, every character past ASCII written as `\uXXXX`; a byte-order mark dropped. */
  text: string;
  /** Present when some character was escaped: maps offsets in `text` to offsets in the decoded file. */
  offsets?: Utf16Offsets;
  /** The file decoded as UTF-8 without its byte-order mark, as `Buffer#toString` gives it (the bytes may be gone). */
  decoded(): string;
}

/** Bytes checked at a time by the native ASCII test before looking byte by byte. */
const CHUNK = 4096;
const BACKSLASH = 0x5c;
/** At most one byte in this many past ASCII: denser, the escapes would outgrow the two-byte string. */
const SPARSE = 64;

/**
 * Room the escapes may need after a file of `size` bytes: a character of k bytes past ASCII becomes 6 (k = 2, 3) or
 * 12 (k = 4) characters, at most 2 more per byte, and at most one byte in SPARSE is past ASCII.
 */
export function escapeRoom(size: number): number {
  return Math.ceil((2 * size) / SPARSE) + 16;
}

/**
 * The text of `bytes` (a file read whole) as one-byte JSON text, or undefined when it must be decoded instead.
 * `whole`: the same memory as `bytes` and room after it (src/input/read.ts `readInputFileWithRoomSync`); the escapes
 * are then written in place, and the bytes are no longer the file's.
 */
/** Length of the UTF-8 byte-order mark `bytes` start with (3), or 0. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

export function jsonText(bytes: Buffer, whole?: Buffer): JsonText | undefined {
  const start = bomLength(bytes);
  const body = bytes.subarray(start);
  if (isAscii(body)) {
    const text = body.toString('latin1');
    return { text, decoded: () => text };
  }
  if (!isUtf8(body)) return undefined;
  const n = body.length;
  // Maximal runs of bytes past ASCII: in valid UTF-8 each is whole characters (an ASCII byte never continues one).
  const runs: number[] = [];
  let pastAscii = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(i + CHUNK, n);
    if (isAscii(body.subarray(i, end))) {
      i = end;
      continue;
    }
    while (body[i]! < 0x80) i++;
    if (i > 0 && body[i - 1] === BACKSLASH) return undefined;
    let j = i + 1;
    while (j < n && body[j]! >= 0x80) j++;
    pastAscii += j - i;
    if (pastAscii * SPARSE > n) return undefined;
    runs.push(i, j);
    i = j;
  }
  const count = runs.length / 2;
  const chars: string[] = [];
  const escapes: string[] = [];
  let extra = 0;
  for (let r = 0; r < count; r++) {
    const decoded = body.toString('utf8', runs[2 * r], runs[2 * r + 1]);
    let escaped = '';
    for (let k = 0; k < decoded.length; k++) escaped += `\\u${decoded.charCodeAt(k).toString(16).padStart(4, '0')}`;
    chars.push(decoded);
    escapes.push(escaped);
    extra += escaped.length - (runs[2 * r + 1]! - runs[2 * r]!);
  }
  const inPlace = whole !== undefined && start + n + extra <= whole.length;
  const out = inPlace ? whole.subarray(start, start + n + extra) : Buffer.allocUnsafe(n + extra);
  if (!inPlace) body.copy(out, 0, 0, runs[0]);
  // From the last run back: in place, each piece then moves right onto bytes already moved or not needed any more.
  // `added`: how many bytes the escapes before run r add.
  let added = extra;
  for (let r = count - 1; r >= 0; r--) {
    const runStart = runs[2 * r]!;
    const runEnd = runs[2 * r + 1]!;
    const next = r + 1 < count ? runs[2 * r + 2]! : n;
    if (inPlace) out.copyWithin(runEnd + added, runEnd, next);
    else body.copy(out, runEnd + added, runEnd, next);
    added -= escapes[r]!.length - (runEnd - runStart);
    out.write(escapes[r]!, runStart + added, 'latin1');
  }
  const text = out.toString('latin1');
  // Where each escape ends in the text, and how many characters all escapes up to it add (6k for k UTF-16 units).
  const ends = new Int32Array(count);
  const shifts = new Int32Array(count);
  let escapedBefore = 0;
  let shift = 0;
  for (let r = 0; r < count; r++) {
    ends[r] = runs[2 * r]! + escapedBefore + escapes[r]!.length;
    escapedBefore += escapes[r]!.length - (runs[2 * r + 1]! - runs[2 * r]!);
    shift += escapes[r]!.length - chars[r]!.length;
    shifts[r] = shift;
  }
  return {
    text,
    offsets: new Utf16Offsets(ends, shifts),
    decoded: () => {
      let decoded = '';
      let from = 0;
      for (let r = 0; r < count; r++) {
        decoded += text.slice(from, ends[r]! - escapes[r]!.length) + chars[r];
        from = ends[r]!;
      }
      return decoded + text.slice(from);
    },
  };
}

/** Offsets in an escaped text → offsets in the decoded file (UTF-16 code units). */
export class Utf16Offsets {
  /**
   * @param ends where each escape ends in the escaped text, ascending
   * @param shifts how many characters the escapes up to and including that one added
   */
  constructor(
    private readonly ends: Int32Array,
    private readonly shifts: Int32Array,
  ) {}

  /** The decoded offset of `offset`, which is not inside an escape. */
  utf16(offset: number): number {
    // The last escape ending at or before `offset`.
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? offset : offset - this.shifts[lo - 1]!;
  }
}
