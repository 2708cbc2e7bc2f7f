/**
 * Reading one input file of an OpenAPI description: size guard, digest, and the fastest parser that
 * fits (JSON.parse for JSON, js-yaml for YAML). Parse failures become InputError with the line.
 */
import { createHash } from 'node:crypto';
import { YAML_ANCHOR, jsyamlLib, yamlLib } from '../../yaml-source.js';
import { InputError } from '../../errors.js';
import { InputReadError, readInputFileWithRoomSync } from '../../input/read.js';
import {
  assertNoJsonDuplicateKeys,
  duplicateKeyError,
  findJsonDuplicateKey,
  findYamlDuplicateKey,
  mayHaveJsonDuplicateKeys,
} from '../../input/duplicate-keys.js';
import { bomLength, escapeRoom, jsonText, type JsonText, type Utf16Offsets } from '../../input/json-text.js';
import { offsetToLineColumn } from '../../input/position.js';
import { MAX_YAML_ALIASES } from '../../input/yaml-budget.js';

export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export type SourceFormat = 'json' | 'yaml';

export interface SourceFile {
  /** The name used in evidence: the caller's path for the root file, a joined path or URL for referenced ones. */
  file: string;
  /**
   * The text a locator reads: the file decoded, or, read by the one-byte JSON path (src/input/json-text.ts), with
   * every character past ASCII written as its `\uXXXX` escape, and then `offsets` maps positions back to the file's.
   */
  text: string;
  offsets?: Utf16Offsets;
  format: SourceFormat;
  value: unknown;
  sha256: string;
}

/** A failure to read or parse, with the line when the parser knows it. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly hint: string,
    readonly column?: number,
  ) {
    super(hint);
  }
  toInputError(): InputError {
    return new InputError(this.file, this.line, this.hint, this.column);
  }
}

export function readLocalSource(file: string): SourceFile {
  let read: { bytes: Buffer; whole: Buffer };
  try {
    // Only a regular file, and the cap counts bytes read, not what stat says (src/input/read.ts). The room after the
    // bytes lets a JSON text's escapes be written in place (src/input/json-text.ts).
    read = readInputFileWithRoomSync(file, { maxBytes: MAX_INPUT_BYTES, what: 'OpenAPI description' }, escapeRoom);
  } catch (e) {
    // A $ref or a path to /dev/zero, a FIFO, a socket or a folder is an input error, never a problem to skip.
    if (!(e instanceof InputReadError) || e.code === 'not-regular') throw e;
    if (e.code === 'too-large') {
      throw new SourceError(file, undefined, 'file is over the 200 MB limit for an OpenAPI description: split it into files joined by $ref');
    }
    throw new SourceError(file, undefined, describeFsError(e));
  }
  return parseSource(file, read.bytes, undefined, read.whole);
}

/**
 * `whole`: `bytes` with room after them (src/input/read.ts), when the caller lets the reader rewrite them in place.
 */
export function parseSource(file: string, bytes: Buffer, contentType?: string, whole?: Buffer): SourceFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // The plain path reads YAML-named or unnamed text as JSON when it starts like JSON (whitespace, then `{` or `[`).
  const one = formatByName(file, contentType) === 'json' || startsLikeJson(bytes) ? jsonText(bytes, whole) : undefined;
  return (one && parseOneByteJson(file, one, sha256)) ?? parseText(file, one ? one.decoded() : decodeText(bytes), sha256, contentType);
}

/**
 * The usual case, a JSON description, read from its one-byte text. Undefined whenever the plain path (`parseText`)
 * must decide: invalid JSON, a repeated key. When both answer they give the same value and format, and the same
 * lines and columns through `offsets`; errors are worded by the plain path alone.
 */
function parseOneByteJson(file: string, one: JsonText, sha256: string): SourceFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(one.text);
  } catch {
    return undefined;
  }
  // Escapes hold no `"` or `:` and keys are compared decoded, so both scans answer as on the decoded text.
  if (mayHaveJsonDuplicateKeys(one.text, value) && findJsonDuplicateKey(one.text)) return undefined;
  return { file, text: one.text, offsets: one.offsets, format: 'json', value, sha256 };
}

/** Whether the decoded text matches `^\s*[{[]`, for texts whose leading white space is ASCII (else false). */
function startsLikeJson(bytes: Buffer): boolean {
  for (let i = bomLength(bytes); i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x7b || c === 0x5b) return true;
    // \t \n \v \f \r and space: the ASCII members of \s.
    if (!(c === 0x20 || (c >= 0x09 && c <= 0x0d))) return false;
  }
  return false;
}

/** The plain path alone (the file decoded as UTF-8, then parsed): what `parseSource` must always agree with. */
export function parsePlainSource(file: string, bytes: Buffer, contentType?: string): SourceFile {
  return parseText(file, decodeText(bytes), createHash('sha256').update(bytes).digest('hex'), contentType);
}

function decodeText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseText(file: string, text: string, sha256: string, contentType?: string): SourceFile {
  const format = detectFormat(file, text, contentType);
  if (format === 'json') {
    const value = parseJson(file, text);
    rejectDuplicateKeys(file, text, value);
    return { file, text, format, value, sha256 };
  }
  // YAML that is really JSON (common for `.yaml` exports): take the fast path when it parses.
  if (/^\s*[{[]/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Flow-style YAML, not JSON: fall through.
    }
    if (value !== undefined) {
      rejectDuplicateKeys(file, text, value);
      return { file, text, format: 'json', value, sha256 };
    }
  }
  return { file, text, format, value: parseYaml(file, text), sha256 };
}

/** The format a file's name or content type says, if any. */
function formatByName(file: string, contentType?: string): SourceFormat | undefined {
  const lower = file.toLowerCase().replace(/[?#].*$/, '');
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (contentType && /json/i.test(contentType)) return 'json';
  if (contentType && /yaml/i.test(contentType)) return 'yaml';
  return undefined;
}

function detectFormat(file: string, text: string, contentType?: string): SourceFormat {
  return formatByName(file, contentType) ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    let line: number | undefined;
    let column: number | undefined;
    if (lineCol) {
      line = Number(lineCol[1]);
      column = Number(lineCol[2]);
    } else {
      const offset = position ? Number(position[1]) : text.length;
      ({ line, column } = offsetToLineColumn(text, offset));
    }
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+/, '');
    throw new SourceError(file, line, `not valid JSON: ${reason}`, column);
  }
}

/**
 * YAML with anchors goes through the `yaml` package, whose alias budget (maxAliasCount) stops
 * "billion laughs" documents; js-yaml is five times faster but would hand back a shared-reference
 * graph that any recursive reader of examples could explode.
 */

/** Duplicate keys are input errors naming both lines (src/input/duplicate-keys.ts): JSON.parse keeps the last. */
function rejectDuplicateKeys(file: string, text: string, value: unknown): void {
  try {
    assertNoJsonDuplicateKeys(file, text, value);
  } catch (e) {
    if (e instanceof InputError) throw new SourceError(e.file, e.line, e.hint, e.column);
    throw e;
  }
}

/** The repeated key of a YAML text js-yaml refused, found with the `yaml` package so both lines can be named. */
function yamlDuplicateKey(file: string, text: string): SourceError | undefined {
  const doc = yamlLib().parseDocument(text, { uniqueKeys: false, merge: true });
  const dup = findYamlDuplicateKey(doc);
  if (!dup) return undefined;
  const e = duplicateKeyError(file, text, dup);
  return new SourceError(e.file, e.line, e.hint, e.column);
}

function parseYaml(file: string, text: string): unknown {
  if (YAML_ANCHOR.test(text)) {
    try {
      return yamlLib().parse(text, { maxAliasCount: MAX_YAML_ALIASES, merge: true, uniqueKeys: true, prettyErrors: true });
    } catch (e) {
      if ((e as { code?: string }).code === 'DUPLICATE_KEY') throw yamlDuplicateKey(file, text) ?? e;
      const linePos = (e as { linePos?: { line: number; col: number }[] }).linePos;
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new SourceError(file, linePos?.[0]?.line, `not valid YAML: ${message}`, linePos?.[0]?.col);
    }
  }
  try {
    // Not `json: true`: that mode lets a repeated key silently override the first.
    const jsyaml = jsyamlLib(); // loads on the first YAML description (yaml-source.ts)
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
  } catch (e) {
    if (/duplicated mapping key/.test((e as { reason?: string }).reason ?? '')) {
      const dup = yamlDuplicateKey(file, text);
      if (dup) throw dup;
    }
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e instanceof Error ? e.message : String(e));
    throw new SourceError(
      file,
      mark ? mark.line + 1 : undefined,
      `not valid YAML: ${reason}`,
      mark ? mark.column + 1 : undefined,
    );
  }
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'EISDIR':
      return 'is a directory, not an OpenAPI file';
    default:
      return `cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
}
