/**
 * The engine: rules × evidence → requirement outcomes and findings. No formatting, no scoring.
 *
 * A requirement's outcome (DESIGN.md "Outcomes, scoring and the gate"):
 * - its checks ran and one failed → fail (a later fail revokes an earlier pass), whatever the attestation says;
 * - one broke (threw, or reported error) → error;
 * - a check passed on an evidence item whose reader lost part of it (`InputProblem.hidesEvidence`) → the would-be
 *   pass (whole or partial) is error, with a finding naming each problem where it is;
 * - a check that covers the whole sentence (`covers: whole`) passed → pass;
 * - only checks that cover part of it (`covers: part`) passed → the current attestation answer decides (manual-pass /
 *   manual-fail / n/a); without one, not-reviewed. Either way a `manual` finding shows the automatic part beside it;
 * - its checks ran but reached no verdict → the attestation answer if one was given, else n/a for a sentence of one
 *   level (no A1 operation for an A1 rule) and not-reviewed for a sentence of every level (nothing was judged);
 * - no check could run (the evidence it needs was not supplied) or it has none → the attestation answer
 *   (manual-pass / manual-fail / n/a), not-reviewed when missing or expired, or n/a when the rule says so.
 * Automatic results win over attestation: an assessor's "yes" does not hide a failing check.
 */
import type { EvidenceBundle, EvidenceKind, InputProblem, Locator, RelatedLocation, SourceLocation } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import type { Rule, RuleCheck } from '../model/rulebook.js';
import { ruleWeight } from '../model/rulebook.js';
import type { AttestationRecord, Finding, OutcomeSource, RequirementResult, RequirementStatus, WaiverRecord } from '../model/result.js';
import type { CheckRegistry } from '../checks/registry.js';
import { formatMessage } from '../checks/registry.js';
import { appliesTo, type Profile } from './select.js';
import { fingerprint } from './fingerprint.js';
import { clip, maskDigitRuns } from '../mask.js';
import { examinedFindings } from './examined.js';
import { globMatch as linearGlobMatch } from '../input/glob.js';

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
  /** Problems that hide evidence, on the evidence items this check ran on. */
  hidden: HiddenEvidence[];
}

/** A check of a rule that passed something and failed nothing. */
interface PassedCheck {
  fn: string;
  probe: boolean;
  passes: number;
  outcomes: readonly Outcome[];
}

/** How many places of the automatic part a `manual` finding lists (the counts stay exact). */
const PARTIAL_LOCATIONS = 20;

/** A reader's problem that lost part of an evidence item a check ran on. */
interface HiddenEvidence {
  /** The evidence item: its file, or a probe's target. */
  item: string;
  problem: InputProblem;
}

export function evaluate(input: EvaluateInput): EvaluateOutput {
  const { bundle, registry, profile } = input;
  const ctx = { level: profile.level, role: profile.role };
  const cache = new Map<string, CheckRun>();
  const warnings: { zh: string; en: string }[] = [];
  const requirements: RequirementResult[] = [];
  const findings: Finding[] = [];

  const runCheck = (fn: string, params: Record<string, unknown>): CheckRun => {
    const key = runKey(fn, params);
    const cached = cache.get(key);
    if (cached) return cached;
    const def = registry.get(fn);
    let run: CheckRun;
    if (!def) run = { outcomes: [], ran: false, probe: false, error: `check ${fn} is not registered`, hidden: [] };
    else if (!def.evidence.every((kind) => bundle[kind].length > 0)) run = { outcomes: [], ran: false, probe: false, hidden: [] };
    else {
      try {
        const outcomes = def.run(bundle, params, ctx);
        run = { outcomes, ran: true, probe: def.evidence.includes('probe'), hidden: hiddenEvidence(bundle, def.evidence, outcomes) };
      } catch (e) {
        run = { outcomes: [], ran: true, probe: def.evidence.includes('probe'), error: `${fn}: ${(e as Error).message}`, hidden: [] };
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
    let automaticDefinitive = false;
    let failed = false;
    let errored = false;
    // Checks that passed something, split by whether they decide the whole sentence or only part of it.
    const passedWhole: PassedCheck[] = [];
    const passedPart: PassedCheck[] = [];
    const hidden: HiddenEvidence[] = [];
    for (const check of rule.checks) {
      const run = runCheck(check.fn, check.with ?? {});
      if (!run.ran) continue;
      anyRan = true;
      if (run.error) {
        errored = true;
        ruleFindings.push(makeFinding(rule, check.fn, { status: 'error', messageId: 'checkError', data: { error: run.error } }, { zh: `检查执行出错：${run.error}`, en: `check failed to run: ${run.error}` }));
      }
      const def = registry.get(check.fn)!;
      let passes = 0;
      let fails = 0;
      for (const outcome of run.outcomes) {
        counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
        if (outcome.status === 'pass') passes += 1;
        if (outcome.status === 'fail') fails += 1;
        if ((outcome.status === 'pass' || outcome.status === 'fail') && !run.probe) automaticDefinitive = true;
        if (outcome.status === 'error') errored = true;
        if (outcome.status === 'fail' || outcome.status === 'warn' || outcome.status === 'error') {
          const template = def.messages[outcome.messageId] ?? { zh: outcome.messageId, en: outcome.messageId };
          ruleFindings.push(makeFinding(rule, check.fn, outcome, { zh: formatMessage(template.zh, outcome.data), en: formatMessage(template.en, outcome.data) }));
        }
      }
      if (fails > 0) failed = true;
      else if (passes > 0) {
        (coversOf(check) === 'whole' ? passedWhole : passedPart).push({ fn: check.fn, probe: run.probe, passes, outcomes: run.outcomes });
        // What this check passed was read from an item that lost part of itself: the lost part cannot vouch for it.
        for (const h of run.hidden) if (!hidden.some((o) => o.problem === h.problem)) hidden.push(h);
      }
    }

    let status: RequirementStatus;
    let source: OutcomeSource = 'none';
    const answer = input.attestations?.get(rule.id);
    const current = answer && !answer.expired ? answer : undefined;
    if (failed) status = 'fail';
    else if (errored || hidden.length > 0) {
      // A check broke, or a check passed on an item whose reader lost part of it: what was lost cannot vouch for the
      // pass, so the requirement is an error, with a finding for each problem where it is.
      status = 'error';
      for (const item of new Set(hidden.map((h) => h.item))) ruleFindings.push(hiddenFinding(rule, item, hidden.filter((h) => h.item === item)));
    } else if (passedWhole.length > 0) status = 'pass';
    else {
      if (passedPart.length > 0) {
        // Passing checks test only part of the sentence: the rest needs a current answer. The automatic part stands
        // beside it as a `manual` finding, so a reader sees what was checked and what still needs an assessor.
        ruleFindings.push(partialFinding(rule, passedPart));
        counts.manual = (counts.manual ?? 0) + 1;
      }
      if (current) {
        status = current.answer === 'yes' ? 'manual-pass' : current.answer === 'no' ? 'manual-fail' : 'n/a';
        source = 'attestation';
      } else if (passedPart.length === 0 && ((anyRan && levelBound(rule)) || (rule.checks.length > 0 && rule.whenNoEvidence === 'n/a'))) {
        // A sentence for one level whose checks found no interface of that level (no A1 operation for an A1 rule)
        // does not apply; or the rule says a missing input means "does not apply". A sentence for every level whose
        // checks reached no verdict (no TLS listener in the file, a description that does not authorise by scope)
        // was not judged, so it stays not reviewed rather than drop out of the score.
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
      attestation: answer,
      waiver,
      findingCounts: counts,
    });
    // Evidence for a pass: what its checks examined (operations, routes, records, connections), as `pass` findings.
    if (status === 'pass') ruleFindings.push(...examinedFindings(rule, registry, bundle));
    findings.push(...ruleFindings);
  }

  resolveLocations(findings, input.locators);
  return { requirements, findings, warnings };
}

/** The sentence binds one security level only (an A1 or an A2 sentence), so no interface of that level means n/a. */
function levelBound(rule: Rule): boolean {
  return !(rule.levels.includes('A1') && rule.levels.includes('A2'));
}

/** `covers` of a rule's check; a check that does not say decides only part of its sentence (it cannot pass it alone). */
function coversOf(check: RuleCheck): 'whole' | 'part' {
  return check.covers ?? 'part';
}

/**
 * Problems that hide evidence on the items a check ran on. A check reads every OpenAPI document, gateway config and
 * log file given (it cannot tell what a lost part held), so each of those items counts; probe results are per
 * target and per probe family, so a probe result counts when an outcome of the check points at its target.
 */
function hiddenEvidence(bundle: EvidenceBundle, kinds: readonly EvidenceKind[], outcomes: readonly Outcome[]): HiddenEvidence[] {
  const found: HiddenEvidence[] = [];
  for (const kind of kinds) {
    if (kind === 'probe') {
      const targets = new Set<string>();
      for (const o of outcomes) {
        for (const loc of [o.location, ...(o.locations ?? [])]) {
          if (loc?.target) targets.add(loc.target);
          if (loc?.file) targets.add(loc.file);
        }
      }
      for (const item of bundle.probe) {
        if (!targets.has(item.target)) continue;
        for (const problem of item.problems) if (problem.hidesEvidence) found.push({ item: item.target, problem });
      }
      continue;
    }
    for (const item of bundle[kind]) {
      for (const problem of item.problems) if (problem.hidesEvidence) found.push({ item: item.file, problem });
    }
  }
  return found;
}

/** One finding per rule and input item that lost evidence, with every problem of that item as a related place. */
function hiddenFinding(rule: Rule, item: string, problems: readonly HiddenEvidence[]): Finding {
  // A reader's message may quote what it could not parse: card-like digit runs are masked, and the text is bounded.
  const said = (h: HiddenEvidence): string => clip(maskDigitRuns(h.problem.message), 300);
  const first = said(problems[0]!);
  const more = problems.length - 1;
  const message = {
    zh: `${item} 的部分内容未能读取（${first}${more > 0 ? `；另有 ${more} 处` : ''}），缺失部分无法证明合规，该要求不能判为通过`,
    en: `part of ${item} could not be read (${first}${more > 0 ? `; ${more} more` : ''}); what was lost cannot vouch for compliance, so this requirement cannot pass`,
  };
  return {
    ruleId: rule.id,
    clause: rule.clause,
    status: 'error',
    severity: rule.severity,
    messageId: 'evidenceHidden',
    message,
    location: { ...problems[0]!.problem.location },
    ...(problems.length > 1 ? { locations: problems.map((h) => ({ ...h.problem.location, excerpt: said(h) })) } : {}),
    fingerprint: fingerprint({ ruleId: rule.id, check: 'engine', messageId: 'evidenceHidden', subject: item }),
  };
}

function partialFinding(rule: Rule, passed: PassedCheck[]): Finding {
  const list = passed.map((p) => `${p.fn} (${p.passes})`).join(', ');
  // Where the automatic part looked: the first places its checks passed, each with what stands there.
  const locations: RelatedLocation[] = passed
    .flatMap((p) => p.outcomes.filter((o) => o.status === 'pass' && o.location))
    .slice(0, PARTIAL_LOCATIONS)
    .map((o) => ({ ...o.location!, ...(o.subject !== undefined ? { subject: o.subject } : {}) }));
  const message = {
    zh: `自动检查通过了本要求可由机器判断的部分：${list}；其余部分需评估人员的确认答复`,
    en: `automatic checks passed the part of this requirement a machine can see: ${list}; the rest needs an assessor's answer`,
  };
  return {
    ruleId: rule.id,
    clause: rule.clause,
    check: passed.map((p) => p.fn).join(', '),
    status: 'manual',
    severity: rule.severity,
    messageId: 'partialCheck',
    message,
    // `location` is a plain SourceLocation (the result schema allows no `subject` there); the related places keep theirs.
    ...(locations.length > 0 ? { location: sourceLocation(locations[0]!), locations } : {}),
    fingerprint: fingerprint({ ruleId: rule.id, check: 'engine', messageId: 'partialCheck', subject: rule.id }),
  };
}

function sourceLocation({ file, line, column, pointer, target }: RelatedLocation): SourceLocation {
  return { file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), ...(pointer !== undefined ? { pointer } : {}), ...(target !== undefined ? { target } : {}) };
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
    location: outcome.location ? sourceLocation(outcome.location) : undefined,
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

/**
 * `*` within a path segment, `**` across segments, `?` one character: src/input/glob.ts's linear matcher, so a
 * waiver's pattern never becomes a backtracking regular expression. `\` in a pattern is a Windows separator here.
 * A pattern too long to compile matches nothing (a waiver that cannot match never loosens the gate).
 */
export function globMatch(glob: string, path: string): boolean {
  try {
    return linearGlobMatch(glob.replace(/\\/g, '/'), path);
  } catch {
    return false;
  }
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

/** A key for a check run: the engine runs each check once per distinct `with` (shards replay by the same key). */
export function runKey(fn: string, params: unknown): string {
  return `${fn}\u0000${stableJson(params)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
