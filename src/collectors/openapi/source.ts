/**
 * Reading one input file of an OpenAPI description: size guard, digest, and the fastest parser that
 * fits (JSON.parse for JSON, js-yaml for YAML). Parse failures become InputError with the line.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { YAML_ANCHOR, yamlLib } from '../../yaml-source.js';
import { InputError } from '../../errors.js';

export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export type SourceFormat = 'json' | 'yaml';

export interface SourceFile {
  /** The name used in evidence: the caller's path for the root file, a joined path or URL for referenced ones. */
  file: string;
  text: string;
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
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new SourceError(file, undefined, 'is a directory, not an OpenAPI file');
    size = stat.size;
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(file, undefined, describeFsError(e));
  }
  if (size > MAX_INPUT_BYTES) {
    throw new SourceError(
      file,
      undefined,
      `file is ${(size / 1024 / 1024).toFixed(0)} MB, over the 200 MB limit for an OpenAPI description: split it into files joined by $ref`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new SourceError(file, undefined, describeFsError(e));
  }
  return parseSource(file, bytes);
}

export function parseSource(file: string, bytes: Buffer, contentType?: string): SourceFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format = detectFormat(file, text, contentType);
  if (format === 'json') {
    return { file, text, format, value: parseJson(file, text), sha256 };
  }
  // YAML that is really JSON (common for `.yaml` exports): take the fast path when it parses.
  if (/^\s*[{[]/.test(text)) {
    try {
      return { file, text, format: 'json', value: JSON.parse(text), sha256 };
    } catch {
      // Flow-style YAML, not JSON: fall through.
    }
  }
  return { file, text, format, value: parseYaml(file, text), sha256 };
}

function detectFormat(file: string, text: string, contentType?: string): SourceFormat {
  const lower = file.toLowerCase().replace(/[?#].*$/, '');
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (contentType && /json/i.test(contentType)) return 'json';
  if (contentType && /yaml/i.test(contentType)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
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

function parseYaml(file: string, text: string): unknown {
  if (YAML_ANCHOR.test(text)) {
    try {
      return yamlLib().parse(text, { maxAliasCount: 100, merge: true, uniqueKeys: false, prettyErrors: true });
    } catch (e) {
      const linePos = (e as { linePos?: { line: number; col: number }[] }).linePos;
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new SourceError(file, linePos?.[0]?.line, `not valid YAML: ${message}`, linePos?.[0]?.col);
    }
  }
  try {
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: true, filename: file });
  } catch (e) {
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

export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf('\n');
  while (next !== -1 && next < offset) {
    line += 1;
    lineStart = next + 1;
    next = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
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
