import type { SecurityLevel, SourceLocation } from './evidence.js';
import type { LocalizedText } from './outcome.js';

export type Obligation = 'shall' | 'should' | 'shall-not';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Subject = 'bank' | 'app' | 'both';
export type AssessmentMode = 'automatic' | 'probe' | 'attestation';

export interface RuleCheck {
  /** Registered check name, `family.name`. */
  fn: string;
  with?: Record<string, unknown>;
  /**
   * Whether a pass of this check decides the rule's whole sentence (`whole`) or only the part a machine can see
   * (`part`): a rule passed only by `part` checks still needs a current attestation answer for the rest (without
   * one it is not-reviewed). A failing check fails the rule either way. Absent means `part`: a check that does not
   * claim the whole sentence never passes it alone. The shipped rulebook states it on every check.
   */
  covers?: 'whole' | 'part';
}

export interface Rule {
  /** kebab-case noun, unique, e.g. `https-only-transport`. */
  id: string;
  /** Leaf clause of the standard, e.g. "9.2.2", "B.3.4". */
  clause: string;
  subject: Subject;
  levels: SecurityLevel[];
  obligation: Obligation;
  severity: Severity;
  text: LocalizedText;
  /** How the requirement is assessed; a rule with checks still carries an attestation question. */
  assessment: AssessmentMode[];
  checks: RuleCheck[];
  attestation: {
    question: LocalizedText;
    /** What the assessor should look at: document, record, screenshot, interview… */
    evidence: LocalizedText;
  };
  remediation: LocalizedText;
  /** When the evidence every check needs is absent: 'attestation' (default) or 'n/a'. */
  whenNoEvidence?: 'attestation' | 'n/a';
  /** Overrides the severity-derived weight. */
  weight?: number;
  tags?: string[];
  /** Where this rule was defined (rulebook file and line), for error messages. */
  source: SourceLocation;
}

export interface Rulebook {
  rules: Rule[];
  /** SHA-256 over the normalised rule files, in load order. */
  digest: string;
  files: string[];
}

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7, medium: 3, low: 1 };
export const SEVERITY_ORDER: Severity[] = ['low', 'medium', 'high', 'critical'];

/** DESIGN.md: weight from severity; a `should` requirement carries half its severity's weight. */
export function ruleWeight(rule: Pick<Rule, 'severity' | 'obligation' | 'weight'>): number {
  if (rule.weight !== undefined) return rule.weight;
  const w = SEVERITY_WEIGHT[rule.severity];
  return rule.obligation === 'should' ? w / 2 : w;
}



/** The anchor of one rule in docs/rulebook.md (`rule-<id>`; ids are lower-case ASCII, so no escaping is needed). */
export function ruleAnchor(ruleId: string): string {
  return `rule-${ruleId}`;
}
