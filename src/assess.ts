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
import { clauseResults, coverageOf, scoreOf } from './scoring/score.js';
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
import { readFile } from 'node:fs/promises';
import { collectInputs, sha256File, type CollectOptions } from './collect.js';
import { loadRulebook } from './rulebook/load.js';
import { loadAttestations } from './collectors/attestation/load.js';
import { loadWaivers } from './collectors/attestation/waivers.js';
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
  const attestations = opts.attest ? await loadAttestations(opts.attest, rulebook.rules, today) : undefined;
  const waivers = opts.waivers ? await loadWaivers(opts.waivers, rulebook.rules, today) : undefined;
  const baseline = opts.baseline ? await loadBaseline(opts.baseline) : undefined;
  const collected = await collectInputs({ ...opts, logsParty: opts.logsParty ?? opts.role });
  const inputs = [...collected.inputs];
  for (const [kind, file] of [
    ['attestation', opts.attest],
    ['waivers', opts.waivers],
    ['baseline', opts.baseline],
  ] as const) {
    if (file) inputs.push({ kind, file, sha256: await sha256File(file) });
  }
  for (const file of opts.rulebookOverlays ?? []) inputs.push({ kind: 'rulebook', file, sha256: await sha256File(file) });
  return assessEvidence({
    rulebook,
    bundle: collected.bundle,
    locators: collected.locators,
    level: opts.level ?? 'A2',
    role: opts.role,
    attestations,
    waivers,
    inputs,
    gate: { failUnder: opts.failUnder, failOn: opts.failOn, minCoverage: opts.minCoverage, baseline: baseline && { file: opts.baseline!, result: baseline } },
    now,
    warnings: collected.warnings,
    subjectName: opts.name ?? collected.bundle.openapi.find((d) => d.title)?.title,
  });
}

/** A previous JSON result (--baseline, `jrt0185 report`, `jrt0185 diff`). */
export async function loadBaseline(file: string): Promise<AssessmentResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read result file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError(file, line, 'not valid JSON: expected a jrt0185 JSON result (--format json)');
  }
  const r = value as Partial<AssessmentResult>;
  if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'string' || !Array.isArray(r.requirements) || !Array.isArray(r.findings)) {
    throw new InputError(file, 1, 'not a jrt0185 JSON result (no schemaVersion / requirements / findings)');
  }
  if (r.schemaVersion.split('.')[0] !== SCHEMA_VERSION.split('.')[0]) {
    throw new InputError(file, 1, `result schemaVersion ${r.schemaVersion} is not compatible with ${SCHEMA_VERSION}`);
  }
  return r as AssessmentResult;
}
