/**
 * The per-line work of the log collector, on blocks of complete lines. Runs in the main thread for
 * small files and in worker threads, one per byte range, for large ones; its result is plain data so
 * that it crosses a worker boundary and merges.
 *
 * Line numbers here are relative to the first line the scanner saw (1-based); the caller shifts them.
 */
import { isAscii } from 'node:buffer';
import { classifyKey } from '../../detectors/keys.js';
import { spanIs } from '../../detectors/span-memo.js';
import { detectInText, detectInValue, type Detection } from '../../detectors/index.js';
import { candidateOffsets, LABEL_END_SOURCE, labelMayBeTrusted, labelWorthALook } from '../../detectors/prefilter.js';
import { COMBINED_RE, DOCKER_PREFIX, LOGFMT_KEYS, nginxFormatRegex, type FormatInfo } from './formats.js';
import { FieldMatcher, REQUIRED_FIELDS, type RequiredField } from './fields.js';

export interface ScanConfig {
  info: FormatInfo;
  sampleCap: number;
  fieldMap?: Partial<Record<RequiredField, string[]>>;
  /** Original nginx log_format (a RegExp does not cross a worker boundary). */
  nginxLogFormat?: string;
  /** Longer lines are skipped and counted, never examined (default 1 MiB). */
  maxLineChars?: number;
}

export const DEFAULT_MAX_LINE = 1024 * 1024;

export interface PartialSample {
  excerpt: string;
  field?: string;
  line: number;
}

export interface PartialResult {
  lines: number;
  records: number;
  structuredRecords: number;
  malformedLines: number;
  /** Lines longer than the cap: skipped unread; the first 20 line numbers. */
  skippedLines: number;
  skipped: number[];
  detections: Record<string, { count: number; samples: PartialSample[] }>;
  fields: { present: number; examined: number; names: string[]; missing: number[] }[];
  problems: { message: string; line: number }[];
}

const MAX_PROBLEMS = 20;
const ALL_FIELDS = (1 << REQUIRED_FIELDS.length) - 1;
const COMBINED_PRESENT = (1 << REQUIRED_FIELDS.indexOf('timestamp')) | (1 << REQUIRED_FIELDS.indexOf('result'));
const MAX_RECORD_CHARS = 32 * 1024 * 1024;
/** Bytes of lines decoded at a time by pushBytes: under V8's large-object threshold (128 KiB). */
const PIECE_BYTES = 64 * 1024;
const NON_ASCII = /[^\x00-\x7f]/g;

/**
 * COMBINED_RE run in place on a block from a line's start (sticky): no part of it may cross the line's newline,
 * so it answers what COMBINED_RE answers on the line cut out (a `\r` before the newline ends no token it needs).
 */
const COMBINED_LINE = new RegExp(combinedLineSource(), 'y');

/** COMBINED_RE's source unanchored, its two bracket classes kept off the newline; fails if it is written otherwise. */
function combinedLineSource(): string {
  const source = COMBINED_RE.source;
  if (!source.startsWith('^')) throw new Error('COMBINED_RE is no longer anchored: update COMBINED_LINE');
  return ([['[^\\]]', '[^\\]\\n]'], ['[^"\\\\]', '[^"\\\\\\n]']] as const).reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`COMBINED_RE no longer has ${from}: update COMBINED_LINE`);
    return text.replace(from, to);
  }, source.slice(1));
}

/** What String.prototype.trim removes, on an ASCII line. */
function isAsciiBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Offset of the first character ≥ 0x80 in `text` at or after `from`, or the text's length. */
function nonAsciiFrom(text: string, from: number): number {
  NON_ASCII.lastIndex = from;
  return NON_ASCII.test(text) ? NON_ASCII.lastIndex - 1 : text.length;
}

export function emptyResult(): PartialResult {
  return {
    lines: 0,
    records: 0,
    structuredRecords: 0,
    malformedLines: 0,
    skippedLines: 0,
    skipped: [],
    detections: {},
    fields: REQUIRED_FIELDS.map(() => ({ present: 0, examined: 0, names: [], missing: [] })),
    problems: [],
  };
}

interface KeyScan {
  matcher: FieldMatcher;
  keyRe: RegExp;
  fieldKeysMayHide: boolean;
}

const keyScans = new Map<string, KeyScan>();

/**
 * The field matcher and key scan for a field map, made once per process (a scan worker makes a scanner per block).
 * The regex is shared: every push resets it and runs it to the end without yielding.
 */
function keyScanFor(fieldMap: ScanConfig['fieldMap']): KeyScan {
  const id = JSON.stringify(fieldMap ?? null);
  let scan = keyScans.get(id);
  if (!scan) {
    const matcher = new FieldMatcher(fieldMap);
    scan = {
      matcher,
      keyRe: new RegExp(`${matcher.jsonKeyTestSource()}|${LABEL_END_SOURCE}`, 'gi'),
      // None of the built-in spellings is a label a detector trusts; a field map may name one (`apiKey`), whose `:`
      // the key scan steps over: then its separator is looked at as LABEL_END would.
      fieldKeysMayHide: matcher.jsonKeyVariants().some(labelMayBeTrusted),
    };
    if (keyScans.size < 16) keyScans.set(id, scan);
  }
  return scan;
}

export class LineScanner {
  readonly result: PartialResult = emptyResult();
  private line = 0;
  private readonly matcher: FieldMatcher;
  private readonly keyRe: RegExp;
  private readonly info: FormatInfo;
  private columns: string[] | undefined;
  private columnFields: number[] = [];
  private labelledColumns: number[] = [];
  private readonly names: Set<string>[] = REQUIRED_FIELDS.map(() => new Set<string>());
  /** The spelling last added per field: the same key on the next line is no new name, and is not cut out again. */
  private readonly lastName: (string | undefined)[] = REQUIRED_FIELDS.map(() => undefined);
  // Pretty-printed JSON: the record being assembled.
  private record: string[] = [];
  private recordStart = 0;
  private recordChars = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  private readonly maxLine: number;
  private readonly fieldKeysMayHide: boolean;

  constructor(private readonly cfg: ScanConfig) {
    this.maxLine = cfg.maxLineChars ?? DEFAULT_MAX_LINE;
    const shared = keyScanFor(cfg.fieldMap);
    this.matcher = shared.matcher;
    // JSON keys of the 7.3.3 fields and label ends (creditCardCvv:, password=) in one scan: measured 25%
    // cheaper than two. A hit ending on a quote is a key (its `:` is then stepped over, as a match of
    // `"key"\s*:` would), any other hit is a label end.
    this.keyRe = shared.keyRe;
    this.fieldKeysMayHide = shared.fieldKeysMayHide;
    this.info = { ...cfg.info };
    if (cfg.nginxLogFormat && !this.info.nginx) this.info.nginx = nginxFormatRegex(cfg.nginxLogFormat);
    this.setColumns(this.info.columns ?? (this.info.nginx ? this.info.nginx.variables : undefined));
  }

  private setColumns(columns: string[] | undefined): void {
    this.columns = columns;
    // W3C `date` and `time` both count as the timestamp: IIS writes the day and the time of day apart.
    this.columnFields = (columns ?? []).map((c) => this.matcher.match(c.replace(/^\$/, '')));
    // Columns named like a secret or a CVV (Zeek's `password`) are judged by name, as JSON keys are.
    this.labelledColumns = (columns ?? []).flatMap((c, i) => {
      const kind = classifyKey(c);
      return kind && kind !== 'non-personal-id' && kind !== 'name-generic' && kind !== 'mobile' && kind !== 'id-card' ? [i] : [];
    });
  }

  /**
   * Feeds complete lines as UTF-8 bytes (the last one may lack its newline only at end of input), without
   * decoding them as UTF-8 first. They are read as Latin-1, one character per byte, in pieces of at most
   * PIECE_BYTES cut at a newline:
   * - Latin-1 decoding is a plain copy, where UTF-8 decoding of a 1 MiB block cost a third of the scan of a
   *   JSON-lines log (V8 builds a two-byte string as soon as one CJK character occurs);
   * - a piece under V8's large-object size (128 KiB) is an ordinary young-generation string, where every
   *   1 MiB string was a fresh mmap'd page, faulted in and unmapped again (half the scan's system time).
   * For a line of ASCII bytes the Latin-1 text IS its UTF-8 text, character for character, so every test
   * on it gives what it gave on the UTF-8 text. A line holding any byte ≥ 0x80 is decoded as UTF-8 and
   * scanned alone, on its own text, exactly as before (see pushJsonLines / pushTextLines). Pretty-printed
   * JSON, whose records span lines, is decoded as UTF-8 piece by piece.
   */
  pushBytes(bytes: Buffer): void {
    const n = bytes.length;
    let a = 0;
    while (a < n) {
      let b = n;
      if (n - a > PIECE_BYTES) {
        b = bytes.lastIndexOf(10, a + PIECE_BYTES - 1) + 1;
        if (b <= a) {
          // One line longer than a piece: it is a piece of its own.
          const nl = bytes.indexOf(10, a + PIECE_BYTES);
          b = nl < 0 ? n : nl + 1;
        }
      }
      if (this.info.format === 'json') this.push(bytes.toString('utf8', a, b));
      else if (this.info.format === 'jsonl') this.pushJsonLines(bytes.toString('latin1', a, b), bytes, a);
      else this.pushTextLines(bytes.toString('latin1', a, b), bytes, a);
      a = b;
    }
  }

  /** Feeds a block of complete lines (the last one may lack its newline only at end of input). */
  push(block: string): void {
    if (block.length === 0) return;
    if (this.info.format === 'json') this.pushPrettyJson(block);
    else if (this.info.format === 'jsonl') this.pushJsonLines(block);
    else this.pushTextLines(block);
  }

  /** Call once at end of input. */
  finish(): PartialResult {
    if (this.record.length > 0) {
      const text = this.record.join('\n');
      if (text.trim().length > 0) {
        this.result.records += 1;
        this.malformed(this.recordStart, 'JSON record not closed at end of file');
        this.addDetections(detectInText(text), this.recordStart);
      }
      this.record = [];
    }
    this.result.fields.forEach((f, i) => {
      f.names = [...this.names[i]!].slice(0, 10);
      f.examined += this.allPresent;
      f.present += this.allPresent;
    });
    this.allPresent = 0;
    return this.result;
  }

  // -------------------------------------------------------------------------------------------

  private addDetections(ds: Detection[], line: number | ((d: Detection) => number)): void {
    for (const d of ds) {
      let entry = this.result.detections[d.detector];
      if (!entry) entry = this.result.detections[d.detector] = { count: 0, samples: [] };
      entry.count += 1;
      if (entry.samples.length < this.cfg.sampleCap) {
        entry.samples.push({
          excerpt: d.excerpt,
          ...(d.field !== undefined ? { field: d.field } : {}),
          line: typeof line === 'number' ? line : line(d),
        });
      }
    }
  }

  /**
   * A line over the cap: counted and its number kept, its content never read (a 1 GB line of one JSON string
   * must not cost 1 GB of memory or quadratic time). Also called by the block reader for a line it dropped
   * before it was complete.
   */
  skipLine(line = this.line + 1): void {
    if (line > this.line) this.line = line;
    this.result.lines = this.line;
    this.result.skippedLines += 1;
    if (this.result.skipped.length < MAX_PROBLEMS) this.result.skipped.push(line);
  }

  private malformed(line: number, message: string): void {
    this.result.malformedLines += 1;
    if (this.result.problems.length < MAX_PROBLEMS) this.result.problems.push({ message, line });
  }

  private allPresent = 0;
  private namesBudget = 10_000;

  private coverage(line: number, present: number): void {
    if (present === ALL_FIELDS) {
      // The common case of a well-formed log, counted once and folded in by finish().
      this.allPresent += 1;
      return;
    }
    for (let i = 0; i < REQUIRED_FIELDS.length; i += 1) {
      const f = this.result.fields[i]!;
      f.examined += 1;
      if (present & (1 << i)) f.present += 1;
      else if (f.missing.length < this.cfg.sampleCap) f.missing.push(line);
    }
  }

  /**
   * The next hit of the key scan in `block`: the offset of a label end (`=`, `:`), or of the closing quote of a
   * 7.3.3 key, whose `:` is stepped over; -1 at the end.
   */
  private nextKey(block: string): number {
    const keyRe = this.keyRe;
    if (!keyRe.test(block)) return -1;
    const end = keyRe.lastIndex;
    if (block.charCodeAt(end - 1) !== 34) return end - 1;
    let colon = end;
    while (block.charCodeAt(colon) !== 58) colon += 1;
    keyRe.lastIndex = colon + 1;
    return end - 1;
  }

  /**
   * `block` is the text of complete lines; or, with `bytes`, the Latin-1 reading of `bytes` from `base` (see
   * pushBytes). The block-wide scans (candidates, keys) attribute every hit to the line holding its offset,
   * and no hit depends on another line's characters (each pattern stops at a newline, or, for a key's
   * `\s*` before its `:`, crosses it only into blanks, which are ASCII on an ASCII line), so the result for an
   * ASCII line is the same in either reading. A line with a byte ≥ 0x80 is skipped by them and scanned alone
   * from its UTF-8 text.
   */
  private pushJsonLines(block: string, bytes?: Buffer, base = 0): void {
    const candidates = candidateOffsets(block, { labels: false, json: true });
    let ci = 0;
    const keyRe = this.keyRe;
    keyRe.lastIndex = 0;
    let key = this.nextKey(block);
    const prefix = this.info.dockerPrefix === true;
    let ls = 0;
    const n = block.length;
    let high = bytes && !isAscii(bytes.subarray(base, base + n)) ? nonAsciiFrom(block, 0) : n;
    while (ls < n) {
      let le = block.indexOf('\n', ls);
      if (le < 0) le = n;
      if (high < le) {
        while (key >= 0 && key < le) key = this.nextKey(block);
        while (ci < candidates.length && candidates[ci]! < le) ci += 1;
        const resume = keyRe.lastIndex;
        this.pushJsonLines(bytes!.toString('utf8', base + ls, base + le));
        keyRe.lastIndex = resume;
        high = nonAsciiFrom(block, le + 1);
        ls = le + 1;
        continue;
      }
      this.line += 1;
      const lineNo = this.line;
      if (le - ls > this.maxLine) {
        this.skipLine(lineNo);
        while (key >= 0 && key < le) key = this.nextKey(block);
        while (ci < candidates.length && candidates[ci]! < le) ci += 1;
        ls = le + 1;
        continue;
      }
      let cs = ls;
      while (cs < le && (block.charCodeAt(cs) === 32 || block.charCodeAt(cs) === 9)) cs += 1;
      if (prefix && block.charCodeAt(cs) !== 123) {
        const m = DOCKER_PREFIX.exec(block.slice(cs, Math.min(le, cs + 80)));
        if (m) cs += m[0].length;
      }
      let ce = le;
      while (ce > cs && (block.charCodeAt(ce - 1) === 13 || block.charCodeAt(ce - 1) === 32 || block.charCodeAt(ce - 1) === 9)) ce -= 1;
      let present = 0;
      let candidate = false;
      // Spellings are collected from the first lines only: a Set insert per key of every record costs
      // more than the scan of the key itself.
      const collectNames = this.namesBudget > 0;
      if (collectNames) this.namesBudget -= 1;
      while (key >= 0 && key < le) {
        if (block.charCodeAt(key) !== 34) {
          if (!candidate && labelWorthALook(block, key)) candidate = true;
        } else {
          // A 7.3.3 key; `key` is its closing quote, its `:` the separator nextKey stepped over.
          const open = block.lastIndexOf('"', key - 1);
          const f = this.matcher.matchSpan(block, open + 1, key);
          if (f >= 0) {
            present |= 1 << f;
            if (collectNames && this.names[f]!.size < 10 && !spanIs(block, open + 1, key, this.lastName[f])) {
              const name = block.slice(open + 1, key);
              this.names[f]!.add(name);
              this.lastName[f] = name;
            }
          }
          if (this.fieldKeysMayHide && !candidate && labelWorthALook(block, keyRe.lastIndex - 1)) candidate = true;
        }
        key = this.nextKey(block);
      }
      while (ci < candidates.length && candidates[ci]! < le) {
        if (candidates[ci]! >= ls) candidate = true;
        ci += 1;
      }
      if (ce > cs) {
        this.result.records += 1;
        const structured = block.charCodeAt(cs) === 123 && block.charCodeAt(ce - 1) === 125;
        if (structured && !candidate) {
          this.result.structuredRecords += 1;
          if (present === ALL_FIELDS) this.allPresent += 1;
          else this.coverage(lineNo, present);
        } else if (structured) {
          const text = block.slice(cs, ce);
          let parsed: unknown;
          let ok = true;
          try {
            parsed = JSON.parse(text);
          } catch {
            ok = false;
          }
          if (ok) {
            this.result.structuredRecords += 1;
            this.coverage(lineNo, present);
            this.addDetections(detectInValue(parsed), lineNo);
          } else {
            this.malformed(lineNo, 'not a complete JSON object');
            this.addDetections(detectInText(text), lineNo);
          }
        } else {
          this.malformed(lineNo, 'not a JSON object');
          if (candidate) this.addDetections(detectInText(block.slice(ls, le)), lineNo);
        }
      }
      ls = le + 1;
    }
    this.result.lines = this.line;
  }

  /** `block`, `bytes` and `base` as for pushJsonLines: a line with a byte ≥ 0x80 is scanned alone from its UTF-8 text. */
  private pushTextLines(block: string, bytes?: Buffer, base = 0): void {
    const candidates = candidateOffsets(block);
    let ci = 0;
    const format = this.info.format;
    let ls = 0;
    const n = block.length;
    let high = bytes && !isAscii(bytes.subarray(base, base + n)) ? nonAsciiFrom(block, 0) : n;
    while (ls < n) {
      let le = block.indexOf('\n', ls);
      if (le < 0) le = n;
      if (high < le) {
        while (ci < candidates.length && candidates[ci]! < le) ci += 1;
        this.pushTextLines(bytes!.toString('utf8', base + ls, base + le));
        high = nonAsciiFrom(block, le + 1);
        ls = le + 1;
        continue;
      }
      this.line += 1;
      const lineNo = this.line;
      if (le - ls > this.maxLine) {
        this.skipLine(lineNo);
        while (ci < candidates.length && candidates[ci]! < le) ci += 1;
        ls = le + 1;
        continue;
      }
      let candidate = false;
      while (ci < candidates.length && candidates[ci]! < le) {
        if (candidates[ci]! >= ls) candidate = true;
        ci += 1;
      }
      if (format === 'text') {
        // Plain text has no structure to read: only lines the prefilter points at are cut out of the block.
        let cs = ls;
        while (cs < le && block.charCodeAt(cs) <= 32) cs += 1;
        const from = ls;
        ls = le + 1;
        if (cs === le) continue;
        this.result.records += 1;
        if (candidate) this.addDetections(detectInText(block.slice(from, block.charCodeAt(le - 1) === 13 ? le - 1 : le)), lineNo);
        continue;
      }
      if (format === 'combined' && bytes !== undefined) {
        // An ASCII line of an access log: read in place, never cut out unless the prefilter points at it.
        const from = ls;
        const end = block.charCodeAt(le - 1) === 13 ? le - 1 : le;
        let cs = from;
        while (cs < end && isAsciiBlank(block.charCodeAt(cs))) cs += 1;
        ls = le + 1;
        if (cs === end) continue;
        this.result.records += 1;
        if (candidate) this.addDetections(detectInText(block.slice(from, end)), lineNo);
        COMBINED_LINE.lastIndex = from;
        this.combinedRecord(lineNo, COMBINED_LINE.test(block));
        continue;
      }
      let line = block.slice(ls, le);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      ls = le + 1;
      if (line.trim().length === 0) continue;
      if ((format === 'w3c' || format === 'zeek') && line.startsWith('#')) {
        if (format === 'w3c' && line.startsWith('#Fields:')) this.setColumns(line.slice(8).trim().split(/\s+/));
        if (format === 'zeek' && line.startsWith('#fields')) this.setColumns(line.split(this.info.separator ?? '\t').slice(1));
        continue;
      }
      this.result.records += 1;
      if (candidate) this.addDetections(detectInText(line), lineNo);
      switch (format) {
        case 'combined':
          this.combinedRecord(lineNo, COMBINED_RE.test(line));
          break;
        case 'custom-nginx': {
          const m = this.info.nginx?.regex.exec(line);
          if (m?.groups) this.columnRecord(lineNo, Object.keys(m.groups).map((g) => m.groups![g]!));
          else this.malformed(lineNo, 'does not match the given nginx log_format');
          break;
        }
        case 'w3c':
        case 'zeek': {
          const values = format === 'w3c' ? line.split(' ') : line.split(this.info.separator ?? '\t');
          if (this.columns && values.length === this.columns.length) this.columnRecord(lineNo, values);
          else this.malformed(lineNo, `expected ${this.columns?.length ?? '?'} columns, found ${values.length}`);
          break;
        }
        case 'logfmt': {
          let present = 0;
          let any = false;
          LOGFMT_KEYS.lastIndex = 0;
          for (let m = LOGFMT_KEYS.exec(line); m !== null; m = LOGFMT_KEYS.exec(line)) {
            any = true;
            const f = this.matcher.match(m[1]!);
            if (f >= 0) {
              present |= 1 << f;
              if (this.names[f]!.size < 10) this.names[f]!.add(m[1]!);
            }
          }
          if (any) {
            this.result.structuredRecords += 1;
            this.coverage(lineNo, present);
          } else this.malformed(lineNo, 'no key=value pairs');
          break;
        }
        default:
          break;
      }
    }
    this.result.lines = this.line;
  }

  private combinedRecord(lineNo: number, matches: boolean): void {
    if (matches) {
      this.result.structuredRecords += 1;
      // $time_local and $status: the default formats carry no serial number, App_ID, U_API_ID or duration.
      this.coverage(lineNo, COMBINED_PRESENT);
      this.names[REQUIRED_FIELDS.indexOf('timestamp')]!.add('$time_local');
      this.names[REQUIRED_FIELDS.indexOf('result')]!.add('$status');
    } else this.malformed(lineNo, 'not a common/combined access log line');
  }

  /** A record of a column format: fields by column name, labelled columns (password, cvv …) judged by name. */
  private columnRecord(lineNo: number, values: string[]): void {
    this.result.structuredRecords += 1;
    let present = 0;
    values.forEach((v, i) => {
      const f = this.columnFields[i] ?? -1;
      if (f >= 0 && v !== '-' && v !== '' && v !== '(empty)') {
        present |= 1 << f;
        if (this.names[f]!.size < 10) this.names[f]!.add(this.columns![i]!);
      }
    });
    this.coverage(lineNo, present);
    if (this.labelledColumns.length > 0) {
      const labelled: Record<string, string> = {};
      for (const i of this.labelledColumns) if (values[i] !== undefined) labelled[this.columns![i]!] = values[i]!;
      this.addDetections(detectInValue(labelled), lineNo);
    }
  }

  /** Pretty-printed JSON: one or more records spread over lines (Kong, APISIX samples), or one array of records. */
  private pushPrettyJson(block: string): void {
    let ls = 0;
    const n = block.length;
    while (ls < n) {
      let le = block.indexOf('\n', ls);
      if (le < 0) le = n;
      this.line += 1;
      if (le - ls > this.maxLine) {
        this.skipLine(this.line);
        ls = le + 1;
        continue;
      }
      const line = block.slice(ls, le);
      ls = le + 1;
      if (this.record.length === 0 && line.trim().length === 0) continue;
      if (this.record.length === 0) this.recordStart = this.line;
      this.record.push(line);
      for (let i = 0; i < line.length; i += 1) {
        const c = line.charCodeAt(i);
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) this.inString = false;
        } else if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth += 1;
        else if (c === 125 || c === 93) this.depth -= 1;
      }
      this.recordChars += line.length + 1;
      if (this.depth <= 0 || this.recordChars > MAX_RECORD_CHARS) this.closeRecord(this.recordChars > MAX_RECORD_CHARS && this.depth > 0);
    }
    this.result.lines = this.line;
  }

  private closeRecord(tooLarge: boolean): void {
    const lines = this.record;
    const start = this.recordStart;
    this.record = [];
    this.recordChars = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    const text = lines.join('\n');
    this.result.records += 1;
    let parsed: unknown;
    try {
      if (tooLarge) throw new Error('too large');
      parsed = JSON.parse(text);
    } catch {
      this.malformed(start, tooLarge ? 'JSON record larger than 32 MiB' : 'not valid JSON');
      this.addDetections(detectInText(text), start);
      return;
    }
    const records = Array.isArray(parsed) ? parsed : [parsed];
    for (const r of records) {
      if (r === null || typeof r !== 'object') continue;
      this.result.structuredRecords += 1;
      this.coverage(start, this.keysPresent(r));
    }
    // The line of a value: where its text first appears in the record.
    this.addDetections(detectInValue(parsed), (d) => {
      const at = lines.findIndex((l) => l.includes(d.value) || l.includes(JSON.stringify(d.value).slice(1, -1)));
      return start + Math.max(0, at);
    });
  }

  private keysPresent(value: unknown): number {
    let present = 0;
    const visit = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach(visit);
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const f = this.matcher.match(k);
        if (f >= 0) {
          present |= 1 << f;
          if (this.names[f]!.size < 10) this.names[f]!.add(k);
        }
        visit(child);
      }
    };
    visit(value);
    return present;
  }
}
