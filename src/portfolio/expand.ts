/**
 * `--openapi` and `--gateway` accept directories and glob patterns as well as files: a bank assesses its whole
 * portfolio in one run. A plain file name passes through untouched (its reader reports a missing or unreadable
 * file). A directory or a pattern expands to regular files only, sorted by path (code-point order, so two machines
 * list them alike), with a bounded count; the walk never leaves the directory it was given: a symbolic link to a
 * directory is not followed, a link to a file counts only when the file it names lies inside that directory.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { InputError } from '../errors.js';
import { compileGlob, globBase, isGlob } from '../input/glob.js';

export type ExpandKind = 'openapi' | 'gateway';

/** File name endings a directory walk picks up, per kind of input (a pattern names its own). */
export const INPUT_EXTENSIONS: Record<ExpandKind, string[]> = {
  openapi: ['.yaml', '.yml', '.json'],
  gateway: ['.yaml', '.yml', '.json', '.conf'],
};

/** Most files one directory or pattern may expand to, and most directory entries one walk may visit. */
export const MAX_EXPANDED_FILES = 5000;
export const MAX_WALK_ENTRIES = 200_000;
const MAX_DEPTH = 32;

export interface Expansion {
  files: string[];
  /** Files a directory or pattern reached that are not OpenAPI descriptions ($ref fragments, other JSON). */
  skipped: { from: string; files: string[] }[];
}

export interface ExpandOptions {
  maxFiles?: number;
}

/** Expands every argument in order; a file reached twice is kept once, where it first appears. */
export async function expandInputs(args: readonly string[], kind: ExpandKind, opts: ExpandOptions = {}): Promise<Expansion> {
  const files: string[] = [];
  const seen = new Set<string>();
  const skipped: Expansion['skipped'] = [];
  for (const arg of args) {
    const found = await expandOne(arg, kind, opts.maxFiles ?? MAX_EXPANDED_FILES);
    if (!found) {
      if (!seen.has(arg)) (seen.add(arg), files.push(arg));
      continue;
    }
    const notSpecs: string[] = [];
    for (const file of found) {
      if (kind === 'openapi' && !looksLikeOpenApi(file)) notSpecs.push(file);
      else if (!seen.has(file)) (seen.add(file), files.push(file));
    }
    if (notSpecs.length > 0) skipped.push({ from: arg, files: notSpecs });
    if (notSpecs.length === found.length) {
      throw new InputError(arg, undefined, `none of the ${found.length} file(s) found here is an OpenAPI or Swagger description (no top-level openapi: or swagger: key)`);
    }
  }
  return { files, skipped };
}

/** The files a directory or pattern stands for, or undefined when the argument is a plain file name. */
async function expandOne(arg: string, kind: ExpandKind, maxFiles: number): Promise<string[] | undefined> {
  if (isGlob(arg)) {
    const base = globBase(arg);
    const glob = compileGlob(arg.startsWith('./') ? arg.slice(2) : arg);
    // The walk writes paths the way the pattern does (its literal base, then `/`-joined names), so they match as is.
    const found = (await walk(base, arg, maxFiles)).filter((f) => glob.match(f));
    if (found.length === 0) throw new InputError(arg, undefined, 'no regular file matches this pattern');
    return found;
  }
  let info;
  try {
    info = await lstat(arg);
  } catch {
    return undefined;
  }
  if (!info.isDirectory()) return undefined;
  const extensions = INPUT_EXTENSIONS[kind];
  const found = (await walk(arg, arg, maxFiles)).filter((f) => extensions.includes(extname(f).toLowerCase()));
  if (found.length === 0) throw new InputError(arg, undefined, `the directory holds no ${extensions.join(' / ')} file`);
  // A folder of Kubernetes manifests is one deployment: a KongPlugin in one file and the Ingress that names it in
  // another must be joined, so the gateway reader gets the folder whole rather than file by file.
  if (kind === 'gateway' && found.every(looksLikeManifest)) return [arg];
  return found;
}

/** A top-level `apiVersion:` and `kind:` (YAML at the start of a line, or JSON keys) in the first 64 KiB. */
export function looksLikeManifest(file: string): boolean {
  const head = readHead(file, 64 * 1024);
  return /(?:^|[{,])\s*["']?apiVersion["']?\s*:/m.test(head) && /(?:^|[{,])\s*["']?kind["']?\s*:/m.test(head);
}

function readHead(file: string, bytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const buf = Buffer.allocUnsafe(bytes);
    return buf.toString('latin1', 0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Regular files under `root`, sorted by path. Hidden entries (`.git`, `.cache`) and node_modules are not
 * descended into: they hold tooling, not the bank's descriptions.
 */
async function walk(root: string, arg: string, maxFiles: number): Promise<string[]> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new InputError(arg, undefined, `cannot read directory ${root}`);
  }
  const out: string[] = [];
  let entries = 0;
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  while (queue.length > 0) {
    const { dir, depth } = queue.shift()!;
    let list;
    try {
      list = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new InputError(dir, undefined, `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    entries += list.length;
    if (entries > MAX_WALK_ENTRIES) throw new InputError(arg, undefined, `more than ${MAX_WALK_ENTRIES} directory entries under ${root}: name a narrower directory or pattern`);
    for (const entry of list) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = dir === '.' ? entry.name : join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth + 1 < MAX_DEPTH) queue.push({ dir: path, depth: depth + 1 });
      } else if (entry.isFile()) out.push(path);
      else if (entry.isSymbolicLink() && (await linkedFileInside(path, rootReal))) out.push(path);
      if (out.length > maxFiles) throw new InputError(arg, undefined, `expands to more than ${maxFiles} files: name a narrower directory or pattern`);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A symbolic link counts when it names a regular file inside the walked root (never a directory: no cycles). */
async function linkedFileInside(link: string, rootReal: string): Promise<boolean> {
  try {
    const target = await realpath(link);
    if (!(target === rootReal || target.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep))) return false;
    return (await stat(target)).isFile();
  } catch {
    return false;
  }
}

const SNIFF_BYTES = 256 * 1024;
const SNIFF_MAX_BYTES = 64 * 1024 * 1024;
/** A top-level `openapi:` / `swagger:` key with a version: YAML at the start of a line, JSON after `{` or `,`. */
const ROOT_KEY = /(?:^|[{,])\s*["']?(?:openapi|swagger)["']?\s*:\s*["']?\d/m;

/**
 * Whether a file found by a directory walk or a pattern is an API description rather than a fragment its `$ref`s
 * reach (a multi-file spec keeps its schemas beside it). Reads in 256 KiB blocks until the key shows (in the first
 * block for nearly every description), up to 64 MiB.
 */
export function looksLikeOpenApi(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return true; // unreadable: let the collector say so, with the file's name
  }
  try {
    const buf = Buffer.allocUnsafe(SNIFF_BYTES);
    let text = '';
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) return false;
      // Keep a short overlap so a key split across two reads is still seen.
      text = text.slice(-64) + buf.toString('latin1', 0, n);
      if (ROOT_KEY.test(text)) return true;
      pos += n;
      if (pos >= SNIFF_MAX_BYTES) return false;
    }
  } finally {
    closeSync(fd);
  }
}
