import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultRuleFiles, loadRulebook } from './load.js';
import { compileRulebook, readCompiledRulebook } from './compiled.js';
import { defaultRegistry, CheckRegistry } from '../checks/index.js';
import { RULES_DIR } from '../paths.js';

async function compiledFile(): Promise<{ file: string; yaml: Awaited<ReturnType<typeof loadRulebook>> }> {
  const yaml = await loadRulebook({ files: await defaultRuleFiles() });
  const file = join(mkdtempSync(join(tmpdir(), 'jrt-compiled-')), 'rulebook.json');
  writeFileSync(file, await compileRulebook(yaml, defaultRegistry));
  return { file, yaml };
}

describe('precompiled rulebook', () => {
  it('gives exactly what the YAML loader gives: every rule, every field, the digest, the files', async () => {
    const { file, yaml } = await compiledFile();
    const compiled = await readCompiledRulebook(defaultRegistry, file);
    expect(compiled).toEqual(yaml);
  });

  it('carries every key each rule has in the YAML (fields added later pass through)', async () => {
    const { file } = await compiledFile();
    const compiled = (await readCompiledRulebook(defaultRegistry, file))!;
    const byId = new Map(compiled.rules.map((r) => [r.id, r as unknown as Record<string, unknown>]));
    let compared = 0;
    for (const name of (await defaultRuleFiles()).map((f) => f.split('/').pop()!)) {
      const doc = parse(readFileSync(join(RULES_DIR, name), 'utf8')) as { rules: Record<string, unknown>[] };
      for (const raw of doc.rules) {
        const rule = byId.get(raw.id as string)!;
        for (const [key, value] of Object.entries(raw)) expect(rule[key], `${raw.id}.${key}`).toEqual(value);
        compared += 1;
      }
    }
    expect(compared).toBe(compiled.rules.length);
  });

  it('is not used when stale or unreadable: the loader then reads the YAML', async () => {
    const { file } = await compiledFile();
    const text = readFileSync(file, 'utf8');
    const write = (t: string) => (writeFileSync(file, t), file);
    const stale = JSON.parse(text) as { stamp: string; files: string[] };
    expect(await readCompiledRulebook(defaultRegistry, write(JSON.stringify({ ...stale, stamp: '0'.repeat(64) })))).toBeUndefined();
    expect(await readCompiledRulebook(defaultRegistry, write(JSON.stringify({ ...stale, files: stale.files.slice(1) })))).toBeUndefined();
    expect(await readCompiledRulebook(defaultRegistry, write(text.slice(0, 100)))).toBeUndefined();
    expect(await readCompiledRulebook(defaultRegistry, join(file, '..', 'absent.json'))).toBeUndefined();
    // Another set of checks (a check renamed, its params changed) makes the validation it passed stale too.
    const fewer = new CheckRegistry().register(...defaultRegistry.all().slice(1));
    expect(await readCompiledRulebook(fewer, write(text))).toBeUndefined();
    expect(await readCompiledRulebook(defaultRegistry, write(text))).toBeDefined();
  });
});
