/**
 * OpenAPI collector: Swagger 2.0, OpenAPI 3.0 and 3.1 descriptions (YAML or JSON, one file or several
 * joined by `$ref`) read into OpenApiDocumentEvidence, with lazy pointer → line/column locators.
 */
import type { InputProblem, Locator, OpenApiDocumentEvidence, OpenApiVersion } from '../../model/evidence.js';
import { InputError } from '../../errors.js';
import { createLocator } from './locate.js';
import { normaliseDocument } from './normalise.js';
import { isObject } from './pointer.js';
import { DocumentSet } from './refs.js';
import { readLocalSource, SourceError } from './source.js';
import { validateStructure } from './validate.js';

export interface OpenApiCollectOptions {
  /** Fetch http(s) `$ref` targets (--allow-remote-refs). Off by default: no request is ever made. */
  allowRemoteRefs?: boolean;
}

export interface OpenApiCollection {
  evidence: OpenApiDocumentEvidence;
  /** Locator of the root file (the one the caller named). */
  locator: Locator;
  /** One locator per file read (root first, then every file reached through `$ref`). */
  locators: Locator[];
}

export async function collectOpenApi(file: string, opts: OpenApiCollectOptions = {}): Promise<OpenApiCollection> {
  let root;
  try {
    root = readLocalSource(file);
  } catch (e) {
    if (e instanceof SourceError) throw e.toInputError();
    throw e;
  }
  const version = detectVersion(file, root.value);
  const documents = new DocumentSet(root);
  if (opts.allowRemoteRefs) await documents.prefetchRemote();
  const evidence = normaliseDocument(documents, file, version);
  evidence.problems.unshift(...structuralProblems(file, root.value, version));
  const locators = [...documents.sources.values()].map((s) => createLocator(s.file, s.text, s.format, s.offsets));
  return { evidence, locator: locators[0], locators };
}

function structuralProblems(file: string, document: unknown, version: OpenApiVersion): InputProblem[] {
  try {
    return validateStructure(file, document, version);
  } catch (e) {
    // A validator failure must not hide the evidence the rest of the collector gathered.
    return [{ message: `structural validation could not run: ${e instanceof Error ? e.message : String(e)}`, location: { file, pointer: '' } }];
  }
}

function detectVersion(file: string, value: unknown): OpenApiVersion {
  if (!isObject(value)) {
    throw new InputError(file, undefined, 'not an OpenAPI or Swagger document: the top level is not a mapping');
  }
  if (value.openapi !== undefined) {
    const written = String(value.openapi);
    if (/^3\.0(\.|$)/.test(written) || written === '3') return '3.0';
    if (/^3\.\d+(\.|$)/.test(written)) return '3.1';
    throw new InputError(file, undefined, `unsupported OpenAPI version '${written}': 2.0, 3.0 and 3.1 are supported`);
  }
  if (value.swagger !== undefined) {
    const written = String(value.swagger);
    if (written === '2.0' || written === '2') return '2.0';
    throw new InputError(file, undefined, `unsupported Swagger version '${written}': convert it to OpenAPI 3 (only Swagger 2.0 is read)`);
  }
  throw new InputError(file, undefined, 'not an OpenAPI or Swagger document: no `openapi` or `swagger` field');
}
