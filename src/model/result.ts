import type { Role, SecurityLevel, SourceLocation, RelatedLocation } from './evidence.js';
import type { LocalizedText } from './outcome.js';
import type { Obligation, Severity, Subject, AssessmentMode } from './rulebook.js';

/** Bump on any breaking change of the JSON contract; schemas/result.schema.json carries the same value. */
export const SCHEMA_VERSION = '1.0.0';

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
  criteria: { failUnder?: number; failOn?: Severity; minCoverage?: number; baseline?: string; defaultCritical: boolean };
}

export interface InputRecord {
  kind: 'openapi' | 'gateway' | 'logs' | 'probe-config' | 'attestation' | 'rulebook' | 'waivers' | 'baseline';
  file: string;
  sha256: string;
  /** Format detected, e.g. `openapi 3.1`, `kong`, `jsonl`. */
  format?: string;
}

export interface AssessmentResult {
  schemaVersion: string;
  tool: { name: string; version: string };
  standard: { id: 'JR/T 0185-2020'; title: LocalizedText };
  /** ISO-8601 time of the run: the only field that differs between two runs on the same inputs. */
  generatedAt: string;
  /** Assessed bank / application: `--name`, else the first OpenAPI input's `info.title`. Optional, for report covers. */
  subjectName?: string;
  profile: { level: SecurityLevel; role: Role | 'both' };
  rulebook: { digest: string; rules: number; files: string[] };
  inputs: InputRecord[];
  score: number | null;
  coverage: Coverage;
  gate: GateResult;
  clauses: ClauseResult[];
  requirements: RequirementResult[];
  findings: Finding[];
  warnings: LocalizedText[];
}
