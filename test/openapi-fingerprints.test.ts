/**
 * Guard for the OpenAPI speed work (issue 17 "Speed"): the schema walk and the check-side classification may get
 * cheaper, but what they find must not move. On 10 varied corpus specs (Stripe's 4 MB JSON, Swagger 2.0 and
 * OpenAPI 3.1 files, a multi-file spec, a minified APIs-guru bundle) every outcome of every `openapi.*` check, run
 * as the rulebook runs them on an A2 profile, is reduced to: its fingerprint (computed as the engine computes it,
 * with the check run's key in place of the rule id, so rulebook edits elsewhere do not disturb it), status,
 * messageId, the number of `locations[]`, and a digest of the exact places (file, pointer, line, subject, excerpt)
 * and message data. The reader's input problems are compared too. The snapshot was generated from the code before
 * the speed changes:
 *
 *   UPDATE_OPENAPI_FINGERPRINTS=1 npx vitest run test/openapi-fingerprints.test.ts
 *
 * Regenerate it only for a deliberate change of findings, never to make a speed change pass.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectOpenApi } from '../src/collectors/openapi/index.js';
import { defaultRegistry } from '../src/checks/index.js';
import { emptyBundle } from '../src/model/evidence.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import type { Outcome } from '../src/model/outcome.js';
import { CHECK_RUNS, CORPUS } from './labelled/openapi-precision.js';

const SNAPSHOT = join('test', 'labelled', 'openapi-fingerprints.json');

/** Corpus paths (see ../shared/corpus/MANIFEST.md for each file's source and licence). */
const SPECS = [
  'openapi/stripe-spec3-2022-04.json', // 4.2 MB JSON, heavy component sharing (the benchmark's spec)
  'openapi/adyen-PaymentService-V30-swagger2.yaml', // Swagger 2.0
  'openapi/adyen-CheckoutService-v71.json', // OpenAPI 3.1, card fields
  'openapi/berlingroup-psd2-api-1.3.12.yaml', // signatures by headers, YAML
  'openapi/obuk-account-info-openapi-v4.yaml', // open banking, account data in responses
  'openapi/paypal-checkout_orders_v2.json', // deep nested payment schemas
  'openapi/apisguru/bunq.com.json', // minified one-line JSON: pointers only
  'openapi-real/lithic-openapi.yml', // card issuing, 1.1 MB YAML
  'openapi-real/unit-openapi/openapi.json', // multi-file spec (external $refs)
  'openapi-real/sahamati-rebit-fip-v2.1.0-swagger2.yaml', // Swagger 2.0, account aggregator
] as const;

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const rel = (s: string): string => s.split(`${CORPUS}/`).join('').replace(/\\/g, '/');

interface Row {
  fingerprint: string;
  status: string;
  messageId: string;
  locations: number;
  detail: string;
}

function row(key: string, check: string, o: Outcome): Row {
  const location = o.location ? { ...o.location, file: rel(o.location.file) } : undefined;
  const subject = o.subject === undefined ? undefined : rel(o.subject);
  const places = (o.locations ?? []).map((l) => [rel(l.file), l.pointer ?? '', l.line ?? '', l.column ?? '', l.subject === undefined ? '' : rel(l.subject), l.excerpt ?? '']);
  return {
    fingerprint: fingerprint({ ruleId: key, check, messageId: o.messageId, location, subject }),
    status: o.status,
    messageId: o.messageId,
    locations: o.locations?.length ?? 0,
    detail: digest([places, location?.line ?? '', o.data ?? {}, o.evidence === undefined ? '' : rel(o.evidence)]),
  };
}

interface Observed {
  problems: string[];
  /** Every outcome that is not a pass, one line each: fingerprint, status, messageId, locations count, digest. */
  findings: string[];
  /** Passes, per check run: their count and one digest of their rows in order (keeps the snapshot small). */
  passes: Record<string, string>;
}

const line = (r: Row): string => `${r.fingerprint} ${r.status} ${r.messageId} ${r.locations} ${r.detail}`;

async function observe(spec: string): Promise<Observed> {
  const { evidence } = await collectOpenApi(join(CORPUS, spec));
  const findings: string[] = [];
  const passes: Record<string, string> = {};
  for (const run of CHECK_RUNS) {
    const check = defaultRegistry.get(run.check)!;
    const passed: string[] = [];
    for (const o of check.run({ ...emptyBundle(), openapi: [evidence] }, run.params ?? {}, { level: 'A2' })) {
      const r = line(row(run.key, run.check, o));
      if (o.status === 'pass') passed.push(r);
      else findings.push(r);
    }
    passes[run.key] = `${passed.length} ${digest(passed)}`;
  }
  const problems = evidence.problems.map((p) => rel(JSON.stringify(p)));
  return { problems, findings, passes };
}

describe.skipIf(!existsSync(CORPUS))('OpenAPI findings on 10 corpus specs are unchanged (issue 17 speed guard)', () => {
  const update = process.env.UPDATE_OPENAPI_FINGERPRINTS === '1';
  const snapshot: Record<string, Observed> = update || !existsSync(SNAPSHOT) ? {} : JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
  const seen: Record<string, Observed> = {};

  it.each(SPECS)('%s', async (spec) => {
    const now = await observe(spec);
    seen[spec] = now;
    if (update) {
      if (Object.keys(seen).length === SPECS.length) writeFileSync(SNAPSHOT, JSON.stringify(seen, null, 1) + '\n');
      return;
    }
    const before = snapshot[spec];
    expect(before, `no snapshot for ${spec}: run with UPDATE_OPENAPI_FINGERPRINTS=1`).toBeDefined();
    expect(now.problems).toEqual(before.problems);
    // Order-insensitive first (a clear diff of what appeared or went), then the order too: reports list in it.
    expect([...now.findings].sort()).toEqual([...before.findings].sort());
    expect(now.findings).toEqual(before.findings);
    expect(now.passes).toEqual(before.passes);
    expect(now.findings.length).toBeGreaterThan(0);
  }, 60_000);
});
