import type { EvidenceBundle, EvidenceKind } from '../model/evidence.js';
import type { CheckContext, LocalizedText, Outcome } from '../model/outcome.js';

/**
 * A check: a small pure function over evidence, named `family.name`, that rules reference by name.
 * `run` never reads files or the network and never mutates the bundle.
 */
export interface CheckDefinition<P = Record<string, unknown>> {
  name: string;
  /** Evidence kinds the check needs; it runs only when every one of them was supplied (else the rule falls back to attestation). */
  evidence: EvidenceKind[];
  description: string;
  /** JSON Schema of `with` (validated by the rulebook loader). */
  params: Record<string, unknown>;
  messages: Record<string, LocalizedText>;
  run(bundle: Readonly<EvidenceBundle>, params: P, ctx: CheckContext): Outcome[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheck = CheckDefinition<any>;

/** The params schema of a check that takes none: `with` must be absent or `{}`. */
export const NO_PARAMS = { type: 'object', additionalProperties: false, properties: {} } as const;

export function defineCheck<P>(check: CheckDefinition<P>): CheckDefinition<P> {
  return check;
}

export class CheckRegistry {
  private readonly checks = new Map<string, AnyCheck>();

  register(...checks: AnyCheck[]): this {
    for (const check of checks) {
      if (this.checks.has(check.name)) throw new Error(`check ${check.name} registered twice`);
      this.checks.set(check.name, check);
    }
    return this;
  }

  get(name: string): AnyCheck | undefined {
    return this.checks.get(name);
  }

  has(name: string): boolean {
    return this.checks.has(name);
  }

  names(): string[] {
    return [...this.checks.keys()].sort();
  }

  all(): AnyCheck[] {
    return this.names().map((n) => this.checks.get(n)!);
  }
}

/** Substitutes `{{name}}` placeholders. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}
