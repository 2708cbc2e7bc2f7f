/**
 * RuleTester-style tables for checks: each case is evidence plus the exact outcomes expected.
 *
 *   testCheck(serversHttps, {
 *     valid:   [{ name: 'https server', bundle: b1, expect: ['pass'] }],
 *     invalid: [{ name: 'http server', bundle: b2, expect: [{ status: 'fail', messageId: 'plainHttp', pointer: '/servers/0/url' }] }],
 *   });
 *
 * `expect` lists every non-pass outcome in order (a string is shorthand for a bare status); valid cases
 * must produce no fail/error outcome and, when `expect` is given, exactly those statuses.
 */
import { describe, expect as vexpect, it } from 'vitest';
import type { AnyCheck } from './registry.js';
import { formatMessage } from './registry.js';
import { defaultRegistry } from './index.js';
import type { EvidenceBundle, SecurityLevel, Role } from '../model/evidence.js';
import { emptyBundle } from '../model/evidence.js';
import type { Outcome, OutcomeStatus } from '../model/outcome.js';

export interface ExpectedOutcome {
  status: OutcomeStatus;
  messageId?: string;
  pointer?: string;
  line?: number;
  file?: string;
  subject?: string;
  /** Substring the English message must contain. */
  message?: string;
}

export interface CheckCase {
  name: string;
  bundle: Partial<EvidenceBundle>;
  params?: Record<string, unknown>;
  level?: SecurityLevel;
  role?: Role;
  expect?: (ExpectedOutcome | OutcomeStatus)[];
}

export function runCheck(check: AnyCheck, c: Omit<CheckCase, 'name' | 'expect'>): Outcome[] {
  const bundle: EvidenceBundle = { ...emptyBundle(), ...c.bundle };
  const frozen = structuredClone(bundle);
  const outcomes = check.run(bundle, c.params ?? {}, { level: c.level ?? 'A2', role: c.role });
  // Checks are pure: the bundle must be untouched.
  vexpect(bundle).toEqual(frozen);
  for (const o of outcomes) {
    vexpect(check.messages[o.messageId], `message ${o.messageId} is declared in ${check.name}.messages`).toBeDefined();
  }
  return outcomes;
}

function normalise(e: ExpectedOutcome | OutcomeStatus): ExpectedOutcome {
  return typeof e === 'string' ? { status: e } : e;
}

function matches(check: AnyCheck, actual: Outcome, expected: ExpectedOutcome): void {
  vexpect(actual.status).toBe(expected.status);
  if (expected.messageId !== undefined) vexpect(actual.messageId).toBe(expected.messageId);
  if (expected.pointer !== undefined) vexpect(actual.location?.pointer).toBe(expected.pointer);
  if (expected.line !== undefined) vexpect(actual.location?.line).toBe(expected.line);
  if (expected.file !== undefined) vexpect(actual.location?.file).toBe(expected.file);
  if (expected.subject !== undefined) vexpect(actual.subject).toBe(expected.subject);
  if (expected.message !== undefined) {
    vexpect(formatMessage(check.messages[actual.messageId]!.en, actual.data)).toContain(expected.message);
  }
}

/**
 * `testCheck('family.name', {...})`: the check is looked up in the default registry by name, so the
 * rulebook meta-test can see, by reading the test sources, that every registered check has a table.
 */
export function testCheck(name: string, cases: { valid: CheckCase[]; invalid: CheckCase[] }): void {
  const check = defaultRegistry.get(name);
  if (!check) throw new Error(`testCheck: no check named ${name} in the registry (add it to src/checks/index.ts)`);
  describe(check.name, () => {
    vexpect(cases.valid.length, `${check.name} needs compliant cases`).toBeGreaterThan(0);
    vexpect(cases.invalid.length, `${check.name} needs non-compliant cases`).toBeGreaterThan(0);
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const outcomes = runCheck(check, c);
        vexpect(outcomes.filter((o) => o.status === 'fail' || o.status === 'error')).toEqual([]);
        if (c.expect) vexpect(outcomes.map((o) => o.status)).toEqual(c.expect.map((e) => normalise(e).status));
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const outcomes = runCheck(check, c).filter((o) => o.status !== 'pass');
        const expected = (c.expect ?? []).map(normalise);
        vexpect(outcomes.map((o) => o.status)).toEqual(expected.map((e) => e.status));
        expected.forEach((e, i) => matches(check, outcomes[i]!, e));
        vexpect(outcomes.some((o) => o.status === 'fail' || o.status === 'warn' || o.status === 'error')).toBe(true);
      });
    }
  });
}
