/**
 * The shipped rulebook precompiled to JSON at build time (scripts/build-rulebook.mjs → dist/rulebook.json), so an
 * assessment does not parse 250 KB of YAML it did not ask for. The YAML in rules/ stays the source: the JSON is the
 * loader's own output (validated there: schema, check names, check params) with a stamp over everything that
 * output depends on — each rule file's name and text, rulebook.schema.json, the check registry's names and params
 * schemas, the loader's code and the tool version. A run uses the JSON only when the stamp still matches; anything
 * else (no build, an edited rule, tests running the TypeScript sources) loads the YAML.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Rule, Rulebook } from '../model/rulebook.js';
import type { CheckRegistry } from '../checks/registry.js';
import { PACKAGE_ROOT, RULES_DIR } from '../paths.js';
import { TOOL_VERSION } from '../version.js';

export const COMPILED_RULEBOOK = join(PACKAGE_ROOT, 'dist', 'rulebook.json');
const FORMAT = 1;

interface CompiledRulebook {
  format: number;
  stamp: string;
  digest: string;
  /** Rule file names, in load order. */
  files: string[];
  /** Rules as loaded, `source.file` as a name in rules/. */
  rules: Rule[];
}

/** The loader's module as it runs (dist/rulebook/load.js built, src/rulebook/load.ts from the sources). */
function loaderFile(): string | undefined {
  for (const name of ['./load.js', './load.ts']) {
    const file = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * A hash over everything the loaded rulebook depends on. Its files are read synchronously: every run reads them
 * before it can start (~300 KB), and a wait on the thread pool per file cost more than the reading (issue 17).
 */
export async function rulebookStamp(registry: CheckRegistry, ruleFiles?: string[]): Promise<{ stamp: string; names: string[] }> {
  const names = ruleFiles ?? readdirSync(RULES_DIR).filter((n) => n.endsWith('.yaml')).sort();
  const hash = createHash('sha256').update(`format ${FORMAT}\nversion ${TOOL_VERSION}\n`);
  for (const name of names) hash.update(`rule file ${name}\n`).update(readFileSync(join(RULES_DIR, name)));
  hash.update('schema\n').update(readFileSync(join(RULES_DIR, 'rulebook.schema.json')));
  const loader = loaderFile();
  hash.update('loader\n').update(loader ? readFileSync(loader) : 'none');
  for (const check of registry.all()) hash.update(`check ${check.name}\n${JSON.stringify(check.params)}\n`);
  return { stamp: hash.digest('hex'), names };
}

/** The loaded shipped rulebook as the JSON a build writes. */
export async function compileRulebook(rulebook: Rulebook, registry: CheckRegistry): Promise<string> {
  const names = rulebook.files.map((f) => f.split(/[\\/]/).pop()!);
  const { stamp } = await rulebookStamp(registry, names);
  const rules = rulebook.rules.map((r) => ({ ...r, source: { ...r.source, file: r.source.file.split(/[\\/]/).pop()! } }));
  const compiled: CompiledRulebook = { format: FORMAT, stamp, digest: rulebook.digest, files: names, rules };
  return `${JSON.stringify(compiled)}\n`;
}

/** The precompiled rulebook when there is one and it is fresh, else undefined (the caller loads the YAML). */
export async function readCompiledRulebook(registry: CheckRegistry, file = COMPILED_RULEBOOK): Promise<Rulebook | undefined> {
  let compiled: CompiledRulebook;
  try {
    compiled = JSON.parse(readFileSync(file, 'utf8')) as CompiledRulebook;
  } catch {
    return undefined;
  }
  if (compiled?.format !== FORMAT || !Array.isArray(compiled.rules) || !Array.isArray(compiled.files)) return undefined;
  const { stamp, names } = await rulebookStamp(registry);
  if (stamp !== compiled.stamp || names.join('\n') !== compiled.files.join('\n')) return undefined;
  return {
    rules: compiled.rules.map((r) => ({ ...r, source: { ...r.source, file: join(RULES_DIR, r.source.file) } })),
    digest: compiled.digest,
    files: compiled.files.map((n) => join(RULES_DIR, n)),
  };
}
