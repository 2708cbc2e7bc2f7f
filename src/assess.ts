/**
 * assess(): inputs → collectors → evidence → engine → scoring → gate → AssessmentResult.
 * The one entry point the CLI and tests call; renderers take its result.
 */
import type { EvidenceBundle, Locator, Role, SecurityLevel } from './model/evidence.js';
import type { AssessmentResult, AttestationRecord, InputRecord } from './model/result.js';
import { SCHEMA_VERSION } from './model/result.js';
import type { Rulebook, Severity } from './model/rulebook.js';
import type { CheckRegistry } from './checks/registry.js';
import { defaultRegistry } from './checks/index.js';
import { evaluate, type Waiver } from './engine/evaluate.js';
import { assessedScoreOf, clauseResults, coverageOf, scoreOf } from './scoring/score.js';
import { evaluateGate, type GateOptions } from './scoring/gate.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export interface EvaluateEvidenceOptions {
  rulebook: Rulebook;
  bundle: EvidenceBundle;
  locators?: Locator[];
  level: SecurityLevel;
  role?: Role;
  attestations?: Map<string, AttestationRecord>;
  waivers?: Waiver[];
  inputs?: InputRecord[];
  gate?: GateOptions;
  registry?: CheckRegistry;
  /** Fixed clock for deterministic output in tests. */
  now?: Date;
  warnings?: { zh: string; en: string }[];
  subjectName?: string;
}

/** The pure half of an assessment: evidence already collected → result. */
export function assessEvidence(opts: EvaluateEvidenceOptions): AssessmentResult {
  const { requirements, findings, warnings } = evaluate({
    rules: opts.rulebook.rules,
    bundle: opts.bundle,
    locators: opts.locators ?? [],
    profile: { level: opts.level, role: opts.role },
    registry: opts.registry ?? defaultRegistry,
    attestations: opts.attestations,
    waivers: opts.waivers,
  });
  for (const w of opts.waivers ?? []) {
    if (w.expired) {
      warnings.push({
        zh: `豁免已过期（${w.expires}），未予适用：${w.ruleId}（负责人 ${w.owner}）`,
        en: `waiver for ${w.ruleId} expired on ${w.expires} and was not applied (owner ${w.owner})`,
      });
    }
  }
  for (const [ruleId, a] of opts.attestations ?? []) {
    if (a.expired) warnings.push({ zh: `证明已过期（${a.expires}），按未评审处理：${ruleId}`, en: `attestation for ${ruleId} expired on ${a.expires}; counted as not reviewed` });
  }
  const score = scoreOf(requirements);
  const coverage = coverageOf(requirements);
  const gate = evaluateGate({ requirements, findings, score, coverage }, opts.gate ?? {});
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    standard: { id: 'JR/T 0185-2020', title: { zh: '商业银行应用程序接口安全管理规范', en: 'Commercial Bank Application Programming Interface Security Management Specification' } },
    generatedAt: (opts.now ?? new Date()).toISOString(),
    subjectName: opts.subjectName,
    profile: { level: opts.level, role: opts.role ?? 'both' },
    rulebook: { digest: opts.rulebook.digest, rules: opts.rulebook.rules.length, files: opts.rulebook.files.map((f) => f.split(/[\\/]/).slice(-2).join('/')) },
    inputs: opts.inputs ?? [],
    score,
    scoreAssessed: assessedScoreOf(requirements),
    coverage,
    gate,
    clauses: clauseResults(requirements),
    requirements,
    findings,
    warnings: [...(opts.warnings ?? []), ...warnings],
  };
}

export type { Severity };

// ---------------------------------------------------------------------------------------------
// The whole assessment from file names: what the CLI's `assess` and library users call.
// ---------------------------------------------------------------------------------------------
import { readInputText } from './input/read.js';
import { assertNoJsonDuplicateKeys } from './input/duplicate-keys.js';
import { collectInputs, expandCollectInputs, sha256File, type CollectOptions } from './collect.js';
import type { EvidenceKind } from './model/evidence.js';
import type { ApiResult } from './model/result.js';
import type { PartRecord } from './model/shard.js';
import { itemsOf, joiningChecks, positionsOf, recordingRegistry, replayLocators, replayRegistry, stubBundle } from './portfolio/replay.js';
import { loadRulebook } from './rulebook/load.js';
import { InputError } from './errors.js';

export interface AssessOptions extends CollectOptions {
  level?: SecurityLevel;
  role?: Role;
  attest?: string;
  waivers?: string;
  baseline?: string;
  rulebookOverlays?: string[];
  failUnder?: number;
  failOn?: Severity;
  minCoverage?: number;
  name?: string;
  now?: Date;
  /**
   * Worker threads for OpenAPI descriptions (default: one per core). 0: no description is assessed apart, one
   * evaluation over all inputs in this thread (the reference the portfolio path is tested against).
   */
  workers?: number;
  /** Attach what `jrt0185 merge` needs (`result.shard`); `{index, count}` (--shard I/N) also picks this shard's inputs. */
  shard?: boolean | { index: number; count: number };
}

/**
 * The run's clock: `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) pins it, so sample reports and
 * CI artefacts can be byte-identical across runs.
 */
export function runClock(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

export async function assess(opts: AssessOptions): Promise<AssessmentResult> {
  const now = opts.now ?? runClock();
  const today = now.toISOString().slice(0, 10);
  const rulebook = await loadRulebook({ overlays: opts.rulebookOverlays });
  // What only some runs need loads only for them (attestations, waivers, the portfolio pool and its OpenAPI reader):
  // start-up is most of a small run, and a probe run goes through here too.
  const attestations = opts.attest ? await (await import('./collectors/attestation/load.js')).loadAttestations(opts.attest, rulebook.rules, today) : undefined;
  const waivers = opts.waivers ? await (await import('./collectors/attestation/waivers.js')).loadWaivers(opts.waivers, rulebook.rules, today) : undefined;
  const baseline = opts.baseline ? await loadBaseline(opts.baseline) : undefined;
  const level = opts.level ?? 'A2';
  const expanded = await expandCollectInputs(opts);
  const shard = opts.shard === true ? { index: undefined, count: undefined } : opts.shard || undefined;
  // --shard I/N: a contiguous slice of the sorted descriptions; the other inputs go with shard 0 alone.
  const openapi = shard?.count !== undefined ? shardSlice(expanded.openapi, shard.index!, shard.count) : expanded.openapi;
  const rest = shard?.index ? { gateway: [], logs: [], probeConfig: undefined } : { gateway: expanded.gateway, logs: opts.logs, probeConfig: opts.probeConfig };
  const collectOpts = { ...opts, ...rest, logsParty: opts.logsParty ?? opts.role };
  const profile = { rulebook, level, role: opts.role, attestations, waivers };

  let parts: PartRecord[];
  let apis: ApiResult[] = [];
  let inputs: InputRecord[];
  let evidence: Omit<EvaluateEvidenceOptions, keyof typeof profile | 'inputs' | 'gate' | 'now' | 'subjectName'>;
  let subjectName: string | undefined;
  if (describesEachApart(openapi.length, rest, opts)) {
    // Each description on its own (in worker threads), the other inputs together, combined by replaying their
    // check runs: exactly the result of one evaluation over everything (portfolio/replay.ts).
    const { assessDocuments } = await import('./portfolio/pool.js');
    const docs = await assessDocuments(openapi, { rules: rulebook.rules, level, role: opts.role, attestations, waivers, allowRemoteRefs: opts.allowRemoteRefs }, { workers: opts.workers, progress: opts.progress, progressBytes: opts.progressBytes });
    const others = await collectInputs({ ...collectOpts, openapi: [] });
    parts = [{ runs: [], items: [], positions: [], warnings: expanded.warnings }, ...docs.map((d) => d.record)];
    if (others.bundle.gateway.length + others.bundle.logs.length + others.bundle.probe.length > 0) {
      const { registry, runs } = recordingRegistry(defaultRegistry);
      const out = evaluate({ rules: rulebook.rules, bundle: others.bundle, locators: others.locators, profile: { level, role: opts.role }, registry, attestations, waivers });
      const items = itemsOf(others.bundle);
      parts.push({ runs, items, positions: positionsOf(out.findings, items, others.locators), warnings: others.warnings });
    } else if (others.warnings.length > 0) parts.push({ runs: [], items: [], positions: [], warnings: others.warnings });
    apis = docs.map((d) => d.api);
    inputs = [...docs.flatMap((d) => d.inputs), ...others.inputs];
    evidence = { bundle: stubBundle(parts), locators: replayLocators(parts), registry: replayRegistry(defaultRegistry, parts), warnings: parts.flatMap((p) => p.warnings) };
    subjectName = apis.find((a) => a.title)?.title;
  } else {
    const collected = await collectInputs({ ...collectOpts, openapi });
    const { registry, runs } = recordingRegistry(defaultRegistry);
    parts = [{ runs, items: itemsOf(collected.bundle), positions: [], warnings: collected.warnings }];
    inputs = [...collected.inputs];
    evidence = { bundle: collected.bundle, locators: collected.locators, registry, warnings: collected.warnings };
    subjectName = collected.bundle.openapi.find((d) => d.title)?.title;
    if (collected.bundle.openapi.length >= 2) {
      // The portfolio table: each description assessed on its own as well (the run's result is over all together).
      const { evaluateDocument } = await import('./portfolio/part.js');
      apis = collected.bundle.openapi.map((doc, order) => evaluateDocument(doc, collected.locators, { order, rules: rulebook.rules, level, role: opts.role, attestations, waivers }, []).api);
    }
  }
  for (const [kind, file] of [
    ['attestation', opts.attest],
    ['waivers', opts.waivers],
    ['baseline', opts.baseline],
  ] as const) {
    if (file) inputs.push({ kind, file, sha256: await sha256File(file) });
  }
  for (const file of opts.rulebookOverlays ?? []) inputs.push({ kind: 'rulebook', file, sha256: await sha256File(file) });
  const result = assessEvidence({
    ...profile,
    ...evidence,
    inputs,
    gate: { failUnder: opts.failUnder, failOn: opts.failOn, minCoverage: opts.minCoverage, baseline: baseline && { file: opts.baseline!, result: baseline } },
    now,
    subjectName: opts.name ?? subjectName,
  });
  if (parts.length === 1 && parts[0]!.positions.length === 0) parts[0]!.positions = positionsOf(result.findings, parts[0]!.items, evidence.locators);
  // A shard keeps even one row: merged with the others' it is part of the portfolio table.
  if (apis.length >= 2 || (shard && apis.length > 0)) result.apis = apis;
  if (shard) {
    result.shard = {
      ...(shard.count !== undefined ? { index: shard.index, count: shard.count, total: expanded.openapi.length } : {}),
      parts,
      ...(attestations ? { attestations: [...attestations] } : {}),
      ...(waivers ? { waivers } : {}),
      ...(baseline ? { baseline: { file: opts.baseline!, failed: baseline.requirements.filter((r) => r.status === 'fail' || r.status === 'manual-fail').map((r) => r.ruleId), fingerprints: baseline.findings.map((f) => f.fingerprint) } } : {}),
    };
  }
  return result;
}

/**
 * Whether the run assesses each OpenAPI description on its own (then in worker threads): with two or more, or in a
 * shard, unless a check that joins descriptions with another kind of input given (the 12.1 route inventory joins
 * them with gateway routes) needs them all in one evaluation, or the caller asked for one (workers: 0).
 */
function describesEachApart(docs: number, rest: { gateway: string[]; logs?: string[]; probeConfig?: string }, opts: AssessOptions): boolean {
  if (opts.workers === 0 || docs < (opts.shard ? 1 : 2)) return false;
  const present = new Set<EvidenceKind>(['openapi']);
  if (rest.gateway.length) present.add('gateway');
  if (rest.logs?.length) present.add('logs');
  if (rest.probeConfig) present.add('probe');
  return !joiningChecks(defaultRegistry).some((j) => j.kinds.includes('openapi') && j.kinds.every((k) => present.has(k)));
}

/** Shard `index` of `count`: a contiguous slice, sizes differing by one at most. */
export function shardSlice<T>(items: readonly T[], index: number, count: number): T[] {
  return items.slice(Math.floor((index * items.length) / count), Math.floor(((index + 1) * items.length) / count));
}

/** A previous JSON result (--baseline, `jrt0185 report`, `jrt0185 diff`). */
export async function loadBaseline(file: string): Promise<AssessmentResult> {
  // Only a regular file, at most 256 MiB actually read (src/input/read.ts).
  const text = await readInputText(file, { maxBytes: 256 * 1024 * 1024, what: 'result file' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError(file, line, 'not valid JSON: expected a jrt0185 JSON result (--format json)');
  }
  assertNoJsonDuplicateKeys(file, text, value);
  const r = value as Partial<AssessmentResult>;
  if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'string' || !Array.isArray(r.requirements) || !Array.isArray(r.findings)) {
    throw new InputError(file, 1, 'not a jrt0185 JSON result (no schemaVersion / requirements / findings)');
  }
  if (r.schemaVersion.split('.')[0] !== SCHEMA_VERSION.split('.')[0]) {
    throw new InputError(file, 1, `result schemaVersion ${r.schemaVersion} is not compatible with ${SCHEMA_VERSION}`);
  }
  return r as AssessmentResult;
}
