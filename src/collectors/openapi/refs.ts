/**
 * The set of files one OpenAPI description is made of, and `$ref` resolution across them.
 * Local files are read on first use; remote (http/https) documents are only ever present when the
 * caller allowed them and `prefetchRemote` fetched them beforehand, so resolution stays synchronous
 * and can never make a request on its own.
 */
import { dirname, join, isAbsolute } from 'node:path';
import type { InputProblem } from '../../model/evidence.js';
import { appendPointer, getAtSegments, isObject, splitPointer } from './pointer.js';
import { parseSource, readLocalSource, SourceError, type SourceFile } from './source.js';

/** A value together with where it is written: the file and the JSON pointer inside it. */
export interface Cursor {
  file: string;
  pointer: string;
  value: unknown;
}

export const REMOTE_NOT_FETCHED = 'remote $ref not fetched: use --allow-remote-refs';

const MAX_REF_HOPS = 32;

export class DocumentSet {
  readonly sources = new Map<string, SourceFile>();
  readonly problems: InputProblem[] = [];
  private readonly failed = new Map<string, string>();
  private readonly problemKeys = new Set<string>();
  /** Resolved targets by referring file and `$ref` text: a spec repeats the same few hundred refs many times. */
  private readonly resolved = new Map<string, Cursor>();

  constructor(root: SourceFile) {
    this.sources.set(root.file, root);
  }

  child(cursor: Cursor, key: string | number): Cursor {
    return { file: cursor.file, pointer: appendPointer(cursor.pointer, key), value: ownValue(cursor.value, key) };
  }

  /** `hidesEvidence`: the reader could not read what the description holds (a remote or missing file): not a defect of it. */
  addProblem(message: string, file: string, pointer: string, hidesEvidence = false): void {
    const key = `${file}#${pointer}#${message}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push({ message, location: { file, pointer }, ...(hidesEvidence ? { hidesEvidence } : {}) });
  }

  /**
   * Follows `$ref` chains from `cursor` to the object they end at. Returns undefined (and records a
   * problem at the `$ref`) when a target cannot be reached; `seen` cuts reference cycles.
   */
  deref(cursor: Cursor): Cursor | undefined {
    let current = cursor;
    for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
      if (!isObject(current.value) || typeof current.value.$ref !== 'string') return current;
      const next = this.resolveRef(current, current.value.$ref);
      if (!next) return undefined;
      if (next.file === current.file && next.pointer === current.pointer) {
        this.addProblem(`$ref '${current.value.$ref}' refers to itself`, current.file, current.pointer);
        return undefined;
      }
      current = next;
    }
    this.addProblem(`$ref chain longer than ${MAX_REF_HOPS} hops (cycle of references?)`, cursor.file, cursor.pointer);
    return undefined;
  }

  /** Key identifying what a `$ref` points at, for cycle detection and caching. */
  static key(cursor: Cursor): string {
    return `${cursor.file}#${cursor.pointer}`;
  }

  resolveRef(at: Cursor, ref: string): Cursor | undefined {
    // The object holding the `$ref` is written in one file, so it alone identifies a successful resolution: no key
    // string to build and hash for each of the ~10^5 `$ref`s a large spec's schema walk follows.
    const holder = at.value;
    const byHolder = holder !== null && typeof holder === 'object' && (holder as Record<string, unknown>).$ref === ref ? this.resolvedByHolder.get(holder) : undefined;
    if (byHolder && byHolder.file === at.file) return byHolder.target;
    const target = this.resolveByKey(at, ref);
    if (target && holder !== null && typeof holder === 'object' && (holder as Record<string, unknown>).$ref === ref) this.resolvedByHolder.set(holder, { file: at.file, target });
    return target;
  }

  private readonly resolvedByHolder = new WeakMap<object, { file: string; target: Cursor }>();

  private resolveByKey(at: Cursor, ref: string): Cursor | undefined {
    const cacheKey = `${at.file}\u0000${ref}`;
    const cached = this.resolved.get(cacheKey);
    if (cached) return cached;
    // Failures are not cached: each referring `$ref` records its own problem at its own location.
    const target = this.resolveUncached(at, ref);
    if (target) this.resolved.set(cacheKey, target);
    return target;
  }

  private resolveUncached(at: Cursor, ref: string): Cursor | undefined {
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    let file = at.file;
    if (target !== '') {
      file = resolveLocation(at.file, target);
      if (isRemote(file) && !this.sources.has(file)) {
        // Already reported where the fetch failed (allowRemoteRefs): one problem per remote document.
        if (this.failed.has(file)) return undefined;
        this.addProblem(`${REMOTE_NOT_FETCHED} ('${ref}')`, at.file, appendPointer(at.pointer, '$ref'), true);
        return undefined;
      }
      if (!this.load(file)) {
        this.addProblem(`unresolved $ref '${ref}': ${this.failed.get(file)}`, at.file, appendPointer(at.pointer, '$ref'), true);
        return undefined;
      }
    }
    const source = this.sources.get(file)!;
    if (fragment !== '' && !fragment.startsWith('/')) {
      this.addProblem(`unresolved $ref '${ref}': only JSON-pointer fragments are supported`, at.file, appendPointer(at.pointer, '$ref'));
      return undefined;
    }
    const segments = splitPointer(fragment);
    const found = getAtSegments(source.value, segments);
    if (!found.found) {
      this.addProblem(`unresolved $ref '${ref}': no such location${file === at.file ? '' : ` in ${file}`}`, at.file, appendPointer(at.pointer, '$ref'));
      return undefined;
    }
    const pointer = segments.reduce<string>((p, s) => appendPointer(p, s), '');
    return { file, pointer, value: found.value };
  }

  private load(file: string): boolean {
    if (this.sources.has(file)) return true;
    if (this.failed.has(file)) return false;
    try {
      this.sources.set(file, readLocalSource(file));
      return true;
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      this.failed.set(file, e.line !== undefined ? `${file}:${e.line}: ${e.hint}` : `${file}: ${e.hint}`);
      return false;
    }
  }

  /**
   * Fetches every remote document reachable through `$ref`s (allowed by --allow-remote-refs only).
   * Failures become problems at the referring `$ref`.
   */
  async prefetchRemote(timeoutMs = 15000): Promise<void> {
    const scanned = new Set<string>();
    for (;;) {
      const wanted = new Map<string, Cursor>();
      for (const source of this.sources.values()) {
        if (scanned.has(source.file)) continue;
        scanned.add(source.file);
        collectRefs(source, (cursor, ref) => {
          const hash = ref.indexOf('#');
          const target = hash === -1 ? ref : ref.slice(0, hash);
          if (target === '') return;
          const file = resolveLocation(source.file, target);
          if (isRemote(file)) {
            if (!this.sources.has(file) && !this.failed.has(file) && !wanted.has(file)) wanted.set(file, cursor);
          } else {
            this.load(file);
          }
        });
      }
      if (wanted.size === 0) {
        if ([...this.sources.keys()].every((f) => scanned.has(f))) return;
        continue;
      }
      for (const [url, at] of wanted) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const bytes = Buffer.from(await response.arrayBuffer());
          this.sources.set(url, parseSource(url, bytes, response.headers.get('content-type') ?? undefined));
        } catch (e) {
          const cause = (e as { cause?: { code?: string } }).cause?.code;
          const reason = e instanceof SourceError ? e.hint : cause ?? (e instanceof Error ? e.message : String(e));
          this.failed.set(url, `${url}: ${reason}`);
          this.addProblem(`remote $ref could not be fetched: ${reason}`, at.file, appendPointer(at.pointer, '$ref'), true);
        }
      }
    }
  }
}

/** `container[key]` when the container itself holds that key (never one it inherits), else undefined. */
export function ownValue(container: unknown, key: string | number): unknown {
  return container !== null && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, key)
    ? (container as Record<string | number, unknown>)[key]
    : undefined;
}

export function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** A relative reference resolved against the file (or URL) that contains it. */
export function resolveLocation(from: string, target: string): string {
  if (isRemote(target)) return target;
  if (isRemote(from)) return new URL(target, from).toString();
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // keep as written
  }
  if (path.startsWith('file://')) return new URL(path).pathname;
  return isAbsolute(path) ? path : join(dirname(from), path);
}

/** Visits every `$ref` string of a parsed file once (shared objects are visited once). */
function collectRefs(source: SourceFile, visit: (at: Cursor, ref: string) => void): void {
  const seen = new Set<object>();
  const stack: Cursor[] = [{ file: source.file, pointer: '', value: source.value }];
  while (stack.length > 0) {
    const cursor = stack.pop()!;
    const value = cursor.value;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ file: cursor.file, pointer: appendPointer(cursor.pointer, i), value: v }));
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === 'string') visit(cursor, record.$ref);
    for (const key of Object.keys(record)) {
      stack.push({ file: cursor.file, pointer: appendPointer(cursor.pointer, key), value: record[key] });
    }
  }
}
