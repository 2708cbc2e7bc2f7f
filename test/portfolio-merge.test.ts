/**
 * Merging shards gives exactly what one run over all their inputs gives (requirements, findings, score, coverage,
 * clauses, gate, inputs), and assessing each description apart (the portfolio pool) gives exactly the one
 * evaluation over everything. Inputs: the fixtures' descriptions and real third-party ones from the shared corpus
 * (see ../shared/corpus/MANIFEST.md for each file's source): Swagger 2.0, OpenAPI 3.0 and 3.1, YAML and JSON, a
 * multi-file description joined by $ref; with a log sample, attestation answers and waivers (one rule-wide, one
 * matching a file pattern) so every path of the engine takes part.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assess, type AssessOptions } from '../src/assess.js';
import { loadRulebook } from '../src/rulebook/load.js';
import type { AssessmentResult } from '../src/model/result.js';
import { mergeShards } from '../src/portfolio/merge.js';
import { createAjv } from '../src/ajv.js';
import { runCli } from './run-cli.js';

const CORPUS = '../shared/corpus';
const SPECS = [
  'fixtures/compliant-bank/openapi.yaml',
  'fixtures/leaky-bank/openapi.yaml',
  `${CORPUS}/openapi/adyen-BinLookupService-v54.yaml`,
  `${CORPUS}/openapi/adyen-PaymentService-V30-swagger2.yaml`,
  `${CORPUS}/openapi/berlingroup-psd2-api-1.3.12.yaml`,
  `${CORPUS}/openapi-real/unit-openapi/openapi.json`,
  `${CORPUS}/openapi/apisguru/afterbanks.com.json`,
];
const NOW = new Date('2026-12-01T00:00:00Z');

/** What the issue promises identical; `generatedAt` is the merge's own clock, the same here. */
function essence(r: AssessmentResult) {
  return {
    profile: r.profile,
    rulebook: r.rulebook,
    inputs: r.inputs,
    score: r.score,
    scoreAssessed: r.scoreAssessed,
    coverage: r.coverage,
    gate: r.gate,
    clauses: r.clauses,
    requirements: r.requirements,
    findings: r.findings,
    apis: r.apis,
    subjectName: r.subjectName,
  };
}

const roundTrip = (r: AssessmentResult): AssessmentResult => JSON.parse(JSON.stringify(r));

// Whole assessments of seven descriptions, several times over: generous limits for a shared 2-core machine.
describe('merge and the portfolio pool', { timeout: 180_000 }, () => {
  let base: AssessOptions;
  let single: AssessmentResult;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jrt-merge-'));
    const common: AssessOptions = { openapi: SPECS, logs: ['fixtures/compliant-bank/logs/openapi-access.jsonl'], attest: 'fixtures/compliant-bank/attest.yaml', level: 'A2', role: 'bank', now: NOW };
    // Waivers chosen from what fails without them: one rule waived outright, one only where a file pattern matches.
    const plain = await assess({ ...common, workers: 0 });
    const failing = plain.requirements.filter((r) => r.status === 'fail').map((r) => r.ruleId);
    expect(failing.length).toBeGreaterThan(2);
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(
      waivers,
      `waivers:\n  - ruleId: ${failing[0]}\n    reason: accepted\n    owner: risk office\n    expires: 2027-06-01\n` +
        `  - ruleId: ${failing[1]}\n    match: { file: "**/apisguru/*.json" }\n    reason: partner spec\n    owner: api team\n    expires: 2027-06-01\n`,
    );
    base = { ...common, waivers };
    single = await assess({ ...base, workers: 0 });
  }, 180_000);

  it('the per-description path (pool) gives the one-evaluation result exactly, plus the per-API table', async () => {
    const pooled = await assess({ ...base, workers: 1 });
    expect(essence(pooled)).toEqual({ ...essence(single), apis: pooled.apis });
    expect(pooled.apis!.map((a) => a.file)).toEqual(SPECS);
    expect(single.apis!.map((a) => a.file)).toEqual(SPECS);
    expect(pooled.apis).toEqual(single.apis);
    // The waivers took part: one requirement waived whole, findings of the pattern-waived rule marked in apisguru only.
    expect(single.requirements.some((r) => r.status === 'waived')).toBe(true);
    expect(single.findings.some((f) => f.waiver && f.location?.file.includes('apisguru'))).toBe(true);
  });

  it.each([2, 3])('merging %i shards gives the one-run result exactly', async (count) => {
    const shards = [];
    for (let index = 0; index < count; index++) {
      const result = roundTrip(await assess({ ...base, shard: { index, count } }));
      shards.push({ file: `shard-${index}.json`, result });
    }
    // Each shard holds its slice of the descriptions; the log sample goes with shard 0 only.
    expect(shards.map((s) => s.result.inputs.filter((i) => i.kind === 'openapi' && i.format !== 'openapi $ref').length).reduce((a, b) => a + b)).toBe(SPECS.length);
    expect(shards.slice(1).every((s) => !s.result.inputs.some((i) => i.kind === 'logs'))).toBe(true);
    const merged = mergeShards([...shards].reverse(), { rulebook: await loadRulebook(), now: NOW });
    expect(essence(merged)).toEqual(essence(single));
    // What shards and merges add (apis[], shard) keeps the JSON contract.
    const validate = createAjv().compile(JSON.parse(readFileSync('schemas/result.schema.json', 'utf8')));
    for (const r of [merged, shards[0]!.result]) {
      validate(roundTrip(r));
      expect((validate.errors ?? []).filter((e) => /^\/(apis|shard)\b/.test(e.instancePath) || e.params?.additionalProperty === 'apis' || e.params?.additionalProperty === 'shard')).toEqual([]);
    }
    expect(shards[0]!.result.apis).toBeDefined();
    expect(shards[0]!.result.shard).toBeDefined();
    expect(merged.warnings).toEqual(single.warnings);
  });

  it('the command line: shards written, merged, rendered; shards that are not one assessment are an input error (exit 2)', async () => {
    const args = ['--openapi', SPECS[2]!, '--openapi', SPECS[3]!, '--openapi', SPECS[6]!, '--level', 'A2', '--role', 'bank', '--format', 'json', '--no-config'];
    for (const i of [0, 1]) {
      const r = await runCli(['assess', ...args, '--shard', `${i}/2`, '--out', join(dir, `s${i}`)]);
      expect([0, 1], r.stderr).toContain(r.code);
    }
    const one = await runCli(['assess', ...args, '--out', join(dir, 'one')]);
    const parts = [join(dir, 's0/jrt0185-report.json'), join(dir, 's1/jrt0185-report.json')];
    const merged = await runCli(['merge', ...parts, '--format', 'json,markdown', '--out', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(one.code);
    const m = JSON.parse(readFileSync(join(dir, 'merged/jrt0185-report.json'), 'utf8')) as AssessmentResult;
    const o = JSON.parse(readFileSync(join(dir, 'one/jrt0185-report.json'), 'utf8')) as AssessmentResult;
    expect(essence({ ...m, gate: o.gate })).toEqual(essence(o));
    expect(m.gate.passed).toBe(o.gate.passed);
    expect(readFileSync(join(dir, 'merged/jrt0185-report.md'), 'utf8')).toContain(SPECS[6]!.split('/').pop());

    const missing = await runCli(['merge', parts[0]!, '--format', 'json', '--out', join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard(s) 1/2 missing');

    const other = await runCli(['assess', ...args, '--shard', '1/2', '--level', 'A1', '--out', join(dir, 'a1')]);
    expect([0, 1]).toContain(other.code);
    const profile = await runCli(['merge', parts[0]!, join(dir, 'a1/jrt0185-report.json'), '--format', 'json', '--out', join(dir, 'x')]);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/a1\/jrt0185-report\.json:1: assessed for level A1, role bank; .* level A2, role bank/);

    // A damaged shard file is an input error naming it, never a crash.
    const damaged = join(dir, 'damaged.json');
    const d = JSON.parse(readFileSync(parts[1]!, 'utf8')) as AssessmentResult;
    (d.shard!.parts[1]!.items[0] as { kind: string }).kind = 'nonsense';
    writeFileSync(damaged, JSON.stringify(d));
    const bad = await runCli(['merge', parts[0]!, damaged, '--format', 'json', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${damaged}:1: its shard record is damaged (parts[1].items[0])`);

    // Another rulebook (another jrt0185 version or overlay) is not the same assessment.
    const other2 = join(dir, 'other-rulebook.json');
    const o2 = JSON.parse(readFileSync(parts[1]!, 'utf8')) as AssessmentResult;
    o2.rulebook.digest = 'f'.repeat(64);
    writeFileSync(other2, JSON.stringify(o2));
    const digest = await runCli(['merge', parts[0]!, other2, '--format', 'json', '--out', join(dir, 'x')]);
    expect(digest.code).toBe(2);
    expect(digest.stderr).toContain(`${other2}:1: assessed with rulebook ffffffffffff…`);

    const notShard = await runCli(['merge', parts[0]!, join(dir, 'one/jrt0185-report.json'), '--format', 'json', '--out', join(dir, 'x')]);
    expect(notShard.code).toBe(2);
    expect(notShard.stderr).toContain('not a shard result');
  });

  it('refuses to split a gateway from the descriptions its route inventory is compared with', async () => {
    const shardA = roundTrip(await assess({ openapi: [SPECS[1]!], gateway: ['fixtures/leaky-bank/gateway/nginx.conf'], level: 'A2', now: NOW, shard: true }));
    const shardB = roundTrip(await assess({ openapi: [SPECS[2]!], level: 'A2', now: NOW, shard: true }));
    const rulebook = await loadRulebook();
    expect(() => mergeShards([{ file: 'a.json', result: shardA }, { file: 'b.json', result: shardB }], { rulebook, now: NOW })).toThrow(
      /gateway\.routeInventory compares gateway with openapi inputs, and the shards split them/,
    );
  });
});
