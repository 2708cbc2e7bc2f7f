/**
 * Small YAML/JSON input files (rulebooks, attestation answers, waivers, configs) read with a line map,
 * so every problem can be reported as `file:line`. Specs and logs have their own fast paths.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Node, Document } from 'yaml';
import { InputError } from './errors.js';
import { readInputText } from './input/read.js';
import { assertNoYamlDuplicateKeys } from './input/duplicate-keys.js';
import { MAX_YAML_ALIASES } from './input/yaml-budget.js';

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  /** Line/column (1-based) of the node at `path` (keys and indices), or of its nearest existing ancestor. */
  position(path: readonly (string | number)[]): { line: number; column: number };
}

export async function readYamlSource(file: string, what = 'file'): Promise<YamlSource> {
  // Only a regular file, and at most 16 MiB of it actually read (src/input/read.ts).
  const text = await readInputText(file, { maxBytes: MAX_CONFIG_BYTES, what });
  return parseYamlSource(file, text, what);
}

/**
 * js-yaml loads when the first YAML file is read, not at start: a run on JSON inputs and the precompiled rulebook
 * never reads one. It is the package's own one-file build (dist/js-yaml.js, the same code as its ES module), which
 * loads synchronously in ~10 ms where its CommonJS entry reads some twenty files; the entry is the fallback.
 */
let jsyamlPackage: typeof import('js-yaml') | undefined;
export function jsyamlLib(): typeof import('js-yaml') {
  if (!jsyamlPackage) {
    const require = createRequire(import.meta.url);
    try {
      jsyamlPackage = require(join(dirname(require.resolve('js-yaml')), 'dist', 'js-yaml.js')) as typeof import('js-yaml');
    } catch {
      jsyamlPackage = require('js-yaml') as typeof import('js-yaml');
    }
  }
  return jsyamlPackage;
}

/**
 * YAML anchors: documents with them take the `yaml` package's path, whose alias budget stops alias bombs. An anchor
 * follows white space, a flow indicator, or the `:` right after a JSON-like key (`{"a":&x [..]}`); a false positive
 * only costs the slower path, a miss would hand js-yaml's shared references to recursive readers.
 */
export const YAML_ANCHOR = /(?:^|[\s[{,:])&[^\s[\]{},]+/;

export function parseYamlSource(file: string, text: string, what = 'file'): YamlSource {
  // Fast path: js-yaml reads an anchor-free file several times faster than the `yaml` package, and most callers
  // never ask for a position (only a problem does). The position map is then built on the first question.
  if (!YAML_ANCHOR.test(text)) {
    let value: unknown;
    try {
      const jsyaml = jsyamlLib();
      value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
    } catch {
      return parseWithPositions(file, text, what); // reports the syntax error with its line
    }
    let positioned: YamlSource | undefined;
    return {
      file,
      text,
      value,
      position(path) {
        positioned ??= parseWithPositions(file, text, what);
        return positioned.position(path);
      },
    };
  }
  return parseWithPositions(file, text, what);
}

/** The `yaml` package loads only when a position or an anchored file needs it (~30 ms of start-up otherwise). */
let yamlPackage: typeof import('yaml') | undefined;
export function yamlLib(): typeof import('yaml') {
  yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlPackage;
}

function parseWithPositions(file: string, text: string, what: string): YamlSource {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  // Keys are checked below, so a repeated key is reported with both of its lines.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    throw new InputError(file, pos.line, `${what} is not valid YAML: ${firstLine(err.message)}`, pos.col);
  }
  assertNoYamlDuplicateKeys(file, text, doc, lineCounter);
  let value: unknown;
  try {
    // maxAliasCount guards against alias bombs ("billion laughs") in hostile input.
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw new InputError(file, undefined, `${what} could not be read: ${firstLine((e as Error).message)}`);
  }
  return {
    file,
    text,
    value,
    position(path) {
      const node = nodeAt(doc, path);
      const offset = node?.range?.[0] ?? 0;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

function nodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const { isMap, isSeq, isScalar, isPair } = yamlLib();
  let node: unknown = doc.contents;
  let last: Node | undefined = isNodeLike(node) ? node : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      // Point at the value when it exists, else at the key.
      node = pair.value ?? pair.key;
      if (isNodeLike(node)) last = node;
      else if (isNodeLike(pair.key)) last = pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!isNodeLike(node)) break;
      last = node;
    } else break;
  }
  return last;
}

function isNodeLike(n: unknown): n is Node {
  return typeof n === 'object' && n !== null && 'range' in n;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** Converts an ajv instancePath (`/rules/3/checks/0/fn`) to a path array. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
