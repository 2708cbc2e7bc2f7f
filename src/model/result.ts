import type { Role, SecurityLevel, SourceLocation, RelatedLocation } from './evidence.js';
import type { LocalizedText } from './outcome.js';
import type { Obligation, Severity, Subject, AssessmentMode } from './rulebook.js';
import type { ShardRecord } from './shard.js';

/**
 * Semver of the JSON contract (schemas/result.schema.json accepts any 1.x): the major on a breaking change, the minor
 * when fields are added. 1.1: `findings[].locations`, `scoreAssessed`, `report`, `apis`, `shard`, `gate.criteria.baselineScore`.
 */
export const SCHEMA_VERSION = '1.1.0';

export type RequirementStatus =
  | 'pass'
  | 'fail'
  | 'manual-pass'
  | 'manual-fail'
  | 'not-reviewed'
  | 'n/a'
  | 'error'
  | 'waived';

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'manual' | 'n/a' | 'error';

/** How a requirement's outcome was reached. */
export type OutcomeSource = 'automatic' | 'probe' | 'attestation' | 'none';

export interface Finding {
  ruleId: string;
  clause: string;
  check?: string;
  status: FindingStatus;
  severity: Severity;
  messageId: string;
  message: LocalizedText;
  location?: SourceLocation;
  /** Every place the finding concerns, each with its masked excerpt (SARIF `relatedLocations`). */
  locations?: RelatedLocation[];
  /** Masked excerpt. */
  evidence?: string;
  /** rule id + location identity (file, pointer or subject — never the line). */
  fingerprint: string;
  /** Set when an active waiver covers this finding; it then does not count against the gate. */
  waiver?: WaiverRecord;
  /** Set with --baseline: true when the finding's fingerprint was not in the baseline. */
  new?: boolean;
}

export interface AttestationRecord {
  answer: 'yes' | 'no' | 'n/a';
  evidence?: string;
  assessor: string;
  date: string;
  expires?: string;
  note?: string;
  expired: boolean;
  location: SourceLocation;
}

export interface WaiverRecord {
  ruleId: string;
  reason: string;
  owner: string;
  expires: string;
  location?: SourceLocation;
}

export interface RequirementResult {
  ruleId: string;
  clause: string;
  subject: Subject;
  levels: SecurityLevel[];
  obligation: Obligation;
  severity: Severity;
  weight: number;
  status: RequirementStatus;
  source: OutcomeSource;
  assessment: AssessmentMode[];
  text: LocalizedText;
  remediation: LocalizedText;
  attestation?: AttestationRecord;
  waiver?: WaiverRecord;
  /** The rule's tags (e.g. `transport`, `masking`), carried through for SARIF and filters. Optional. */
  tags?: string[];
  /** Counts of this requirement's findings by status. */
  findingCounts: Partial<Record<FindingStatus, number>>;
}

export interface ClauseResult {
  /** Chapter-level clause: "7" … "12", or "B". */
  clause: string;
  title: LocalizedText;
  score: number | null;
  coverage: number | null;
  status: 'pass' | 'fail' | 'incomplete' | 'n/a';
  requirements: number;
}

export interface Coverage {
  /** Share (0–100) of applicable weight with a definitive outcome. */
  total: number;
  automatic: number;
  probe: number;
  attested: number;
  notReviewed: number;
  error: number;
}

export interface GateResult {
  passed: boolean;
  reasons: LocalizedText[];
  /** Options the gate was evaluated with. */
  /** `baselineScore`: the baseline's score, which the new score may not fall below (--baseline). */
  criteria: { failUnder?: number; failOn?: Severity; minCoverage?: number; baseline?: string; baselineScore?: number | null; defaultCritical: boolean };
}

/** Who commissioned, did, reviewed and approved the assessment, and of what: the cover of an audit deliverable. */
export interface ReportInfo {
  reportNumber?: string;
  /** 委托方 */
  client?: string;
  /** 被评估方 */
  assessedParty?: string;
  /** 评估机构 */
  organisation?: string;
  assessors?: string[];
  reviewer?: string;
  approver?: string;
  /** Assessment period, YYYY-MM-DD dates. */
  period?: { from: string; to: string };
  scope?: string;
  method?: string;
  limitations?: string;
  /** IANA time zone for dates shown in reports (default Asia/Shanghai). */
  timeZone?: string;
}

export interface InputRecord {
  kind: 'openapi' | 'gateway' | 'logs' | 'probe-config' | 'attestation' | 'rulebook' | 'waivers' | 'baseline';
  file: string;
  sha256: string;
  /** Format detected, e.g. `openapi 3.1`, `kong`, `jsonl`. */
  format?: string;
}

/** One API description of a portfolio run, assessed on its own: a row of the report's per-API table. */
export interface ApiResult {
  file: string;
  title?: string;
  /** info.version */
  apiVersion?: string;
  /** e.g. `openapi 3.0` */
  format: string;
  operations: number;
  score: number | null;
  /** Coverage total (0–100) of this description's assessment. */
  coverage: number;
  /** Requirements failed on this description. */
  failed: number;
  /** Failing findings in it (waived ones left out). */
  failures: number;
  /** Requirements in error on it. */
  errors: number;
}

export interface AssessmentResult {
  schemaVersion: string;
  tool: { name: string; version: string };
  standard: { id: 'JR/T 0185-2020'; title: LocalizedText };
  /** ISO-8601 time of the run: the only field that differs between two runs on the same inputs. */
  generatedAt: string;
  /** Report metadata for the cover and signature blocks (`--report-info`, or `reportInfo` in the config file). */
  report?: ReportInfo;
  /** Assessed bank / application: `--name`, else the first OpenAPI input's `info.title`. Optional, for report covers. */
  subjectName?: string;
  profile: { level: SecurityLevel; role: Role | 'both' };
  rulebook: { digest: string; rules: number; files: string[] };
  inputs: InputRecord[];
  /** Overall score: every applicable requirement by weight, not-reviewed ones scoring 0. */
  score: number | null;
  /** Score over assessed requirements only (not-reviewed left out; errors score 0). Optional: older results lack it. */
  scoreAssessed?: number | null;
  coverage: Coverage;
  gate: GateResult;
  clauses: ClauseResult[];
  requirements: RequirementResult[];
  findings: Finding[];
  warnings: LocalizedText[];
  /** Per API description, when a run assessed two or more (the portfolio table). */
  apis?: ApiResult[];
  /** `assess --shard`: what `jrt0185 merge` needs to combine shards exactly. */
  shard?: ShardRecord;
}
