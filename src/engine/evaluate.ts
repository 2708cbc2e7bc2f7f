/**
 * The engine: rules × evidence → requirement outcomes and findings. No formatting, no scoring.
 *
 * A requirement's outcome (DESIGN.md "Outcomes, scoring and the gate"):
 * - its checks ran and one failed → fail (a later fail revokes an earlier pass); one broke → error;
 * - its checks ran and passed → pass;
 * - its checks ran but found nothing they apply to (no A1 operation for an A1 rule) → the attestation answer if
 *   one was given, else n/a;
 * - no check could run (the evidence it needs was not supplied) or it has none → the attestation answer
 *   (manual-pass / manual-fail / n/a), not-reviewed when missing or expired, or n/a when the rule says so.
 * Automatic results win over attestation: an assessor's "yes" does not hide a failing check.
 */
import type { EvidenceBundle, Locator, SourceLocation } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import type { Rule } from '../model/rulebook.js';
import { ruleWeight } from '../model/rulebook.js';
import type { AttestationRecord, Finding, OutcomeSource, RequirementResult, RequirementStatus, WaiverRecord } from '../model/result.js';
import type { CheckRegistry } from '../checks/registry.js';
import { formatMessage } from '../checks/registry.js';
import { appliesTo, type Profile } from './select.js';
import { fingerprint } from './fingerprint.js';

export interface Waiver extends WaiverRecord {
  /** Optional narrowing: a file glob, a JSON pointer prefix, a probe host. */
  match?: { file?: string; pointer?: string; host?: string };
  expired: boolean;
}

export interface EvaluateInput {
  rules: Rule[];
  bundle: EvidenceBundle;
  locators: Locator[];
  profile: Profile;
  registry: CheckRegistry;
  attestations?: Map<string, AttestationRecord>;
  waivers?: Waiver[];
}

export interface EvaluateOutput {
  requirements: RequirementResult[];
  findings: Finding[];
  warnings: { zh: string; en: string }[];
}

interface CheckRun {
  outcomes: Outcome[];
  ran: boolean;
  probe: boolean;
  error?: string;
}

export function evaluate(input: EvaluateInput): EvaluateOutput {
  const { bundle, registry, profile } = input;
  const ctx = { level: profile.level, role: profile.role };
  const cache = new Map<string, CheckRun>();
  const warnings: { zh: string; en: string }[] = [];
  const requirements: RequirementResult[] = [];
  const findings: Finding[] = [];

  const runCheck = (fn: string, params: Record<string, unknown>): CheckRun => {
    const key = `${fn}\u0000${stableJson(params)}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const def = registry.get(fn);
    let run: CheckRun;
    if (!def) run = { outcomes: [], ran: false, probe: false, error: `check ${fn} is not registered` };
    else if (!def.evidence.every((kind) => bundle[kind].length > 0)) run = { outcomes: [], ran: false, probe: false };
    else {
      try {
        run = { outcomes: def.run(bundle, params, ctx), ran: true, probe: def.evidence.includes('probe') };
      } catch (e) {
        run = { outcomes: [], ran: true, probe: def.evidence.includes('probe'), error: `${fn}: ${(e as Error).message}` };
        warnings.push({ zh: `检查 ${fn} 执行出错：${(e as Error).message}`, en: `check ${fn} failed to run: ${(e as Error).message}` });
      }
    }
    cache.set(key, run);
    return run;
  };

  for (const rule of input.rules) {
    const base = {
      ruleId: rule.id,
      clause: rule.clause,
      subject: rule.subject,
      levels: rule.levels,
      obligation: rule.obligation,
      severity: rule.severity,
      assessment: rule.assessment,
      text: rule.text,
      remediation: rule.remediation,
      ...(rule.tags?.length ? { tags: rule.tags } : {}),
    };
    if (!appliesTo(rule, profile)) {
      requirements.push({ ...base, weight: 0, status: 'n/a', source: 'none', findingCounts: {} });
      continue;
    }
    const ruleFindings: Finding[] = [];
    const counts: Partial<Record<Finding['status'], number>> = {};
    let anyRan = false;
    let anyDefinitive = false;
    let automaticDefinitive = false;
    let failed = false;
    let errored = false;
    for (const check of rule.checks) {
      const run = runCheck(check.fn, check.with ?? {});
      if (!run.ran) continue;
      anyRan = true;
      if (run.error) {
        errored = true;
        ruleFindings.push(makeFinding(rule, check.fn, { status: 'error', messageId: 'checkError', data: { error: run.error } }, { zh: `检查执行出错：${run.error}`, en: `check failed to run: ${run.error}` }));
      }
      const def = registry.get(check.fn)!;
      for (const outcome of run.outcomes) {
        counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
        if (outcome.status === 'pass' || outcome.status === 'fail') {
          anyDefinitive = true;
          if (!run.probe) automaticDefinitive = true;
        }
        if (outcome.status === 'fail') failed = true;
        if (outcome.status === 'error') errored = true;
        if (outcome.status === 'fail' || outcome.status === 'warn' || outcome.status === 'error') {
          const template = def.messages[outcome.messageId] ?? { zh: outcome.messageId, en: outcome.messageId };
          ruleFindings.push(makeFinding(rule, check.fn, outcome, { zh: formatMessage(template.zh, outcome.data), en: formatMessage(template.en, outcome.data) }));
        }
      }
    }

    let status: RequirementStatus;
    let source: OutcomeSource = 'none';
    let attestation: AttestationRecord | undefined;
    if (failed) status = 'fail';
    else if (errored) status = 'error';
    else if (anyDefinitive) status = 'pass';
    else {
      attestation = input.attestations?.get(rule.id);
      if (attestation && !attestation.expired) {
        status = attestation.answer === 'yes' ? 'manual-pass' : attestation.answer === 'no' ? 'manual-fail' : 'n/a';
        source = 'attestation';
      } else if (anyRan || (rule.checks.length > 0 && rule.whenNoEvidence === 'n/a')) {
        // Checks ran and found nothing they apply to, or the rule says a missing input means "does not apply".
        status = 'n/a';
      } else {
        status = 'not-reviewed';
      }
    }
    if (status === 'pass' || status === 'fail' || status === 'error') source = automaticDefinitive || status === 'error' ? 'automatic' : 'probe';

    // Waivers: a finding covered by an active waiver stops counting; a failed requirement whose every failing
    // finding is waived (or a rule-wide waiver) is `waived`.
    let waiver: WaiverRecord | undefined;
    const activeWaivers = (input.waivers ?? []).filter((w) => w.ruleId === rule.id && !w.expired);
    if (activeWaivers.length > 0 && (status === 'fail' || status === 'manual-fail' || status === 'error' || status === 'not-reviewed')) {
      for (const f of ruleFindings) {
        const w = activeWaivers.find((candidate) => waiverMatches(candidate, f.location));
        if (w) f.waiver = strip(w);
      }
      const ruleWide = activeWaivers.find((w) => !w.match);
      const failing = ruleFindings.filter((f) => f.status === 'fail' || f.status === 'error');
      if (ruleWide || (failing.length > 0 && failing.every((f) => f.waiver))) {
        waiver = strip(ruleWide ?? failing[0]!.waiver!);
        status = 'waived';
      }
    }

    requirements.push({
      ...base,
      weight: status === 'n/a' || status === 'waived' ? 0 : ruleWeight(rule),
      status,
      source,
      attestation: attestation ?? input.attestations?.get(rule.id),
      waiver,
      findingCounts: counts,
    });
    findings.push(...ruleFindings);
  }

  resolveLocations(findings, input.locators);
  return { requirements, findings, warnings };
}

function makeFinding(rule: Rule, check: string, outcome: Outcome, message: { zh: string; en: string }): Finding {
  const status = outcome.status === 'fail' ? 'fail' : outcome.status === 'warn' ? 'warn' : 'error';
  return {
    ruleId: rule.id,
    clause: rule.clause,
    check,
    status,
    severity: rule.severity,
    messageId: outcome.messageId,
    message,
    location: outcome.location ? { ...outcome.location } : undefined,
    locations: outcome.locations?.map((l) => ({ ...l })),
    evidence: outcome.evidence,
    fingerprint: fingerprint({ ruleId: rule.id, check, messageId: outcome.messageId, location: outcome.location, subject: outcome.subject }),
  };
}

function strip(w: WaiverRecord): WaiverRecord {
  return { ruleId: w.ruleId, reason: w.reason, owner: w.owner, expires: w.expires, location: w.location };
}

function waiverMatches(w: Waiver, loc: SourceLocation | undefined): boolean {
  if (!w.match) return true;
  if (w.match.file && !(loc?.file && globMatch(w.match.file, loc.file))) return false;
  if (w.match.pointer && !(loc?.pointer ?? '').startsWith(w.match.pointer)) return false;
  if (w.match.host && !(loc?.target ?? '').includes(w.match.host)) return false;
  return true;
}

/** `*` within a path segment, `**` across segments, `?` one character. */
export function globMatch(glob: string, path: string): boolean {
  const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const re = glob
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .replace(/[.+^${}()|[\]]/g, '\\$&')
    .replace(/\*\*\/?/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${re}$`).test(norm);
}

/** Fills line/column for locations that carry only a JSON pointer (a finding's and its related ones), one batch per file. */
function resolveLocations(findings: Finding[], locators: Locator[]): void {
  const byFile = new Map<string, SourceLocation[]>();
  const want = (loc: SourceLocation | undefined): void => {
    if (loc?.pointer === undefined || loc.line !== undefined) return;
    const list = byFile.get(loc.file) ?? [];
    list.push(loc);
    byFile.set(loc.file, list);
  };
  for (const f of findings) {
    want(f.location);
    for (const loc of f.locations ?? []) want(loc);
  }
  for (const [file, list] of byFile) {
    const locator = locators.find((l) => l.file === file);
    if (!locator) continue;
    const positions = locator.locate([...new Set(list.map((loc) => loc.pointer!))]);
    for (const loc of list) {
      const pos = positions.get(loc.pointer!);
      if (pos) {
        loc.line = pos.line;
        loc.column = pos.column;
      }
    }
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
