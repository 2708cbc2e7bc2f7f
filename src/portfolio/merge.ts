/**
 * `jrt0185 merge`: shards' JSON results (each `assess --shard`) combined into one assessment — exactly the
 * requirements, findings and score one run over all the shards' inputs gives. The engine runs once more over the
 * check runs the shards recorded (replay.ts), so nothing about how outcomes become a requirement's outcome is
 * decided here. What is decided here is whether the shards can be one assessment at all: same profile, same
 * rulebook, the same attestation answers, waivers, baseline and gate, no input assessed twice, every shard of an
 * `I/N` set present, and no check that compares two kinds of input (the 12.1 route inventory) split between shards.
 */
import type { EvidenceKind } from '../model/evidence.js';
import type { ApiResult, AssessmentResult, InputRecord } from '../model/result.js';
import type { Rulebook, Severity } from '../model/rulebook.js';
import type { PartRecord, ShardRecord } from '../model/shard.js';
import type { LocalizedText } from '../model/outcome.js';
import { InputError } from '../errors.js';
import { assessEvidence } from '../assess.js';
import { defaultRegistry } from '../checks/index.js';
import { replayLocators, replayRegistry, splitJoins, stubBundle } from './replay.js';

export interface ShardFile {
  file: string;
  result: AssessmentResult;
}

export interface MergeOptions {
  /** The rulebook as this tool loads it (with the shards' overlays): its digest must be the shards'. */
  rulebook: Rulebook;
  now: Date;
  /** Gate options; each one not given is the shards' own. */
  failUnder?: number;
  failOn?: Severity;
  minCoverage?: number;
}

/** Inputs that one run has at most one of: shards either lack them or agree. */
const SINGLE_INPUTS: InputRecord['kind'][] = ['probe-config', 'attestation', 'waivers', 'baseline', 'rulebook'];
/** The order a run lists its inputs in (assess: descriptions, gateways, logs, probe config, then the rest). */
const INPUT_ORDER: InputRecord['kind'][] = ['openapi', 'gateway', 'logs', 'probe-config', 'attestation', 'waivers', 'baseline', 'rulebook'];
/** A collector that joins two kinds of input: an nginx access log is read with the log_format its gateway config declares. */
const COLLECTOR_JOINS = [{ name: 'nginx access-log format from the gateway configuration', kinds: ['gateway', 'logs'] as EvidenceKind[] }];

export function mergeShards(shards: readonly ShardFile[], opts: MergeOptions): AssessmentResult {
  if (shards.length === 0) throw new InputError('merge', undefined, 'no shard results given');
  const ordered = checkShards(shards, opts.rulebook);
  const first = ordered[0]!;
  const records = ordered.map((s) => s.result.shard!);
  const parts = orderParts(records);
  const inputs = mergeInputs(ordered);
  const withAnswers = records.find((r) => r.attestations);
  const withWaivers = records.find((r) => r.waivers);
  const withBaseline = records.find((r) => r.baseline);
  const criteria = first.result.gate.criteria;
  const apis: ApiResult[] = ordered.flatMap((s) => s.result.apis ?? []);
  const result = assessEvidence({
    rulebook: opts.rulebook,
    level: first.result.profile.level,
    role: first.result.profile.role === 'both' ? undefined : first.result.profile.role,
    attestations: withAnswers ? new Map(withAnswers.attestations) : undefined,
    waivers: withWaivers?.waivers,
    bundle: stubBundle(parts),
    locators: replayLocators(parts),
    registry: replayRegistry(defaultRegistry, parts),
    inputs,
    gate: {
      failUnder: opts.failUnder ?? criteria.failUnder,
      failOn: opts.failOn ?? criteria.failOn,
      minCoverage: opts.minCoverage ?? criteria.minCoverage,
      baseline: withBaseline?.baseline && {
        file: withBaseline.baseline.file,
        result: {
          requirements: withBaseline.baseline.failed.map((ruleId) => ({ ruleId, status: 'fail' })),
          findings: withBaseline.baseline.fingerprints.map((fingerprint) => ({ fingerprint })),
        } as unknown as Pick<AssessmentResult, 'requirements' | 'findings'>,
      },
    },
    now: opts.now,
    warnings: uniqueWarnings(parts.flatMap((p) => p.warnings)),
    subjectName: ordered.map((s) => s.result.subjectName).find((n) => n !== undefined),
  });
  if (apis.length >= 2) result.apis = apis;
  return result;
}

/** The shards in the order their inputs stand in one run; an input error when they cannot be one assessment. */
function checkShards(shards: readonly ShardFile[], rulebook: Rulebook): ShardFile[] {
  const first = shards[0]!;
  const fail = (s: ShardFile, hint: string): never => {
    throw new InputError(s.file, 1, hint);
  };
  for (const s of shards) {
    const r = s.result;
    if (!r.shard || !Array.isArray(r.shard.parts)) fail(s, 'not a shard result: assess it with --shard (and --format json) to merge it');
    const broken = malformedPart(r.shard!);
    if (broken) fail(s, `its shard record is damaged (${broken}): write the shard again with assess --shard`);
    if (r.profile.level !== first.result.profile.level || r.profile.role !== first.result.profile.role) {
      fail(s, `assessed for level ${r.profile.level}, role ${r.profile.role}; ${first.file} for level ${first.result.profile.level}, role ${first.result.profile.role}: shards of one assessment share --level and --role`);
    }
    if (r.rulebook.digest !== first.result.rulebook.digest) {
      fail(s, `assessed with rulebook ${r.rulebook.digest.slice(0, 12)}…; ${first.file} with ${first.result.rulebook.digest.slice(0, 12)}…: shards of one assessment use the same jrt0185 version and --rulebook overlays`);
    }
    const c = r.gate.criteria;
    const c0 = first.result.gate.criteria;
    if (c.failUnder !== c0.failUnder || c.failOn !== c0.failOn || c.minCoverage !== c0.minCoverage || c.baseline !== c0.baseline) {
      fail(s, `gated with other options than ${first.file} (--fail-under, --fail-on, --min-coverage, --baseline): shards of one assessment share them`);
    }
  }
  if (first.result.rulebook.digest !== rulebook.digest) {
    fail(first, `assessed with rulebook ${first.result.rulebook.digest.slice(0, 12)}…, but this jrt0185 loads ${rulebook.digest.slice(0, 12)}…: merge with the jrt0185 version and the --rulebook overlays the shards used`);
  }
  // Answers, waivers, a baseline, a probe config: one each in a run, so shards that have one have the same one.
  for (const kind of SINGLE_INPUTS) {
    let seen: { shard: ShardFile; sha: string[] } | undefined;
    for (const s of shards) {
      const sha = s.result.inputs.filter((i) => i.kind === kind).map((i) => i.sha256);
      if (sha.length === 0) continue;
      if (seen && seen.sha.join() !== sha.join()) fail(s, `its ${kind} input differs from ${seen.shard.file}'s: shards of one assessment share them`);
      seen ??= { shard: s, sha };
    }
  }
  const where = new Map<string, string>();
  for (const s of shards) {
    for (const i of s.result.inputs) {
      if (SINGLE_INPUTS.includes(i.kind) || i.format === 'openapi $ref') continue;
      const other = where.get(`${i.kind}\u0000${i.file}`);
      if (other !== undefined && other !== s.file) fail(s, `${i.file} was assessed in ${other} too: each input belongs to one shard`);
      where.set(`${i.kind}\u0000${i.file}`, s.file);
    }
  }
  const ordered = orderShards(shards, fail);
  const split = [...splitJoins(defaultRegistry, ordered.map(kindsOf)), ...COLLECTOR_JOINS.filter((j) => joinSplit(j.kinds, ordered.map(kindsOf)))];
  if (split.length > 0) {
    const j = split[0]!;
    fail(ordered.find((s) => j.kinds.some((k) => kindsOf(s).has(k)))!, `${j.name} compares ${j.kinds.join(' with ')} inputs, and the shards split them: keep every ${j.kinds.join(' and every ')} input in one shard`);
  }
  return ordered;
}

const KINDS = new Set<EvidenceKind>(['openapi', 'gateway', 'logs', 'probe']);
const isArray = Array.isArray;

/** What is wrong with a shard record's shape, if anything (a shard file is input: it may have been edited or cut). */
function malformedPart(shard: ShardRecord): string | undefined {
  for (const [i, p] of shard.parts.entries()) {
    if (!p || typeof p !== 'object' || !isArray(p.runs) || !isArray(p.items) || !isArray(p.positions) || !isArray(p.warnings)) return `parts[${i}]`;
    if (p.order !== undefined && !Number.isInteger(p.order)) return `parts[${i}].order`;
    for (const [j, run] of p.runs.entries()) {
      if (!run || typeof run.fn !== 'string' || !isArray(run.outcomes) || typeof run.params !== 'object' || run.params === null) return `parts[${i}].runs[${j}]`;
      if (run.outcomes.some((o) => !o || typeof o.status !== 'string' || typeof o.messageId !== 'string')) return `parts[${i}].runs[${j}].outcomes`;
    }
    for (const [j, item] of p.items.entries()) if (!item || !KINDS.has(item.kind) || typeof item.file !== 'string' || !isArray(item.problems)) return `parts[${i}].items[${j}]`;
    for (const [j, pos] of p.positions.entries()) if (!pos || typeof pos.file !== 'string' || !isArray(pos.at) || !pos.at.every((a) => isArray(a) && typeof a[0] === 'string')) return `parts[${i}].positions[${j}]`;
    for (const [j, w] of p.warnings.entries()) if (!w || typeof w.en !== 'string' || typeof w.zh !== 'string') return `parts[${i}].warnings[${j}]`;
  }
  if (shard.attestations !== undefined && !isArray(shard.attestations)) return 'attestations';
  if (shard.waivers !== undefined && !isArray(shard.waivers)) return 'waivers';
  if (shard.count !== undefined && !(Number.isInteger(shard.count) && Number.isInteger(shard.index) && shard.index! >= 0 && shard.index! < shard.count!)) return 'index/count';
  return undefined;
}

function joinSplit(kinds: EvidenceKind[], parts: ReadonlySet<EvidenceKind>[]): boolean {
  const all = new Set(parts.flatMap((p) => [...p]));
  return kinds.every((k) => all.has(k)) && parts.filter((p) => kinds.some((k) => p.has(k))).length > 1;
}

function kindsOf(s: ShardFile): Set<EvidenceKind> {
  return new Set(s.result.shard!.parts.flatMap((p) => p.items.map((i) => i.kind)));
}

/** `--shard I/N` shards by index, all N of them, once each; shards made by hand in the order given. */
function orderShards(shards: readonly ShardFile[], fail: (s: ShardFile, hint: string) => never): ShardFile[] {
  const indexed = shards.filter((s) => s.result.shard!.count !== undefined);
  if (indexed.length === 0) return [...shards];
  if (indexed.length !== shards.length) fail(shards.find((s) => s.result.shard!.count === undefined)!, 'made without --shard I/N, while other shards were: merge shards of one set');
  const { count, total } = shards[0]!.result.shard! as Required<Pick<ShardRecord, 'count' | 'total'>>;
  const byIndex = new Map<number, ShardFile>();
  for (const s of shards) {
    const r = s.result.shard!;
    if (r.count !== count || r.total !== total) fail(s, `is shard ${r.index}/${r.count} of ${r.total} description(s), ${shards[0]!.file} of a set of ${count} over ${total}: merge shards of one set`);
    if (byIndex.has(r.index!)) fail(s, `shard ${r.index}/${count} is given twice (also ${byIndex.get(r.index!)!.file})`);
    byIndex.set(r.index!, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) fail(shards[0]!, `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: the merged result would leave their inputs out`);
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}

/**
 * Parts in the order one run has them: the directory-expansion warnings, then each description in input order,
 * then the other inputs.
 */
function orderParts(records: readonly ShardRecord[]): PartRecord[] {
  const rank = (p: PartRecord) => (p.order !== undefined ? 1 : p.items.length === 0 && p.runs.length === 0 ? 0 : 2);
  const all = records.flatMap((r, shard) => r.parts.map((part, i) => ({ part, shard, i })));
  all.sort((a, b) => rank(a.part) - rank(b.part) || a.shard - b.shard || a.i - b.i);
  return all.map((x) => x.part);
}

function mergeInputs(shards: readonly ShardFile[]): InputRecord[] {
  const out: InputRecord[] = [];
  for (const kind of INPUT_ORDER) {
    const seen = new Set<string>();
    for (const s of shards) {
      for (const i of s.result.inputs) {
        if (i.kind !== kind) continue;
        if (SINGLE_INPUTS.includes(kind)) {
          if (seen.has(`${i.file}\u0000${i.sha256}`)) continue;
          seen.add(`${i.file}\u0000${i.sha256}`);
        }
        out.push(i);
      }
    }
  }
  return out;
}

function uniqueWarnings(warnings: LocalizedText[]): LocalizedText[] {
  const seen = new Set<string>();
  return warnings.filter((w) => !seen.has(w.en) && (seen.add(w.en), true));
}
