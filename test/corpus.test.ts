/**
 * The whole pipeline on every real third-party input in ../shared/corpus (issues 3, 5, 6): each OpenAPI spec,
 * gateway config and log sample is assessed without an uncaught exception and without a check breaking (no
 * `error` outcome); inputs that are broken on purpose are input errors naming the file. Skipped, with the reason
 * in its name, when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assess } from '../src/assess.js';
import { InputError } from '../src/errors.js';
import { createAjv } from '../src/ajv.js';
import { readFileSync } from 'node:fs';

const CORPUS = join('..', 'shared', 'corpus');
const present = existsSync(CORPUS);
const files = (dir: string): string[] =>
  present
    ? readdirSync(join(CORPUS, dir))
        .flatMap((n) => (statSync(join(CORPUS, dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]))
        .sort()
    : [];
const validate = createAjv().compile(JSON.parse(readFileSync('schemas/result.schema.json', 'utf8')));
const NOW = new Date('2026-12-01T00:00:00Z');

/** Inputs the corpus manifest marks as broken or as something else on purpose: an input error, never a crash. */
const REJECTED = new Set([
  'gateway/nginx/crossplane-missing-semicolon-broken.conf',
  'gateway/nginx/crossplane-missing-brace.conf',
  'gateway/other/ruoyi-cloud-plus-ruoyi-auth.yml',
  'gateway/other/tyk-app_sample.json',
  'gateway/other/tyk-coprocess_app_sample_protected.json',
  'gateway/other/tyk-policies.json',
  'gateway/other/tyk.conf.example',
  'gateway/other/aws-apigateway-importer-apigateway.json',
]);

async function run(kind: 'openapi' | 'gateway' | 'logs', file: string) {
  const path = join(CORPUS, file);
  try {
    const result = await assess({ [kind]: [path], level: 'A2', now: NOW });
    return { result };
  } catch (e) {
    if (e instanceof InputError) return { error: e };
    throw e;
  }
}

describe.skipIf(!present)(`the corpus at ${CORPUS}${present ? '' : ' (absent: skipped)'}`, () => {
  it.each([...files('openapi'), ...files('gateway'), ...files('logs')])('%s', async (file) => {
    const kind = file.split(/[\\/]/)[0] as 'openapi' | 'gateway' | 'logs';
    const { result, error } = await run(kind, file);
    if (REJECTED.has(file.replace(/\\/g, '/'))) {
      expect(error, 'an input error naming the file').toBeInstanceOf(InputError);
      expect(error!.message).toContain(file.split(/[\\/]/).pop()!);
      return;
    }
    expect(error, error?.message).toBeUndefined();
    // No check breaks on real input. A requirement may be `error` only because the reader lost part of the input (a
    // fragment whose includes are not in the corpus, a file with no route and no listener): then every error finding
    // says so, and the lost part is among the run's warnings.
    const errored = new Set(result!.requirements.filter((r) => r.status === 'error').map((r) => r.ruleId));
    const unexplained = result!.findings.filter((f) => errored.has(f.ruleId) && f.status === 'error' && f.messageId !== 'evidenceHidden');
    expect(unexplained.map((f) => `${f.ruleId}: ${f.message.en}`)).toEqual([]);
    if (errored.size > 0) expect(result!.warnings.length).toBeGreaterThan(0);
    expect(validate(result), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('the payment-service log yields its unmasked card number and CVV as failures, masked everywhere', async () => {
    const { result } = await run('logs', 'logs/otel-demo-payment-service-pino.jsonl');
    const failing = result!.findings.filter((f) => f.status === 'fail').map((f) => f.check);
    expect(failing).toContain('logs.noUnmaskedPan');
    expect(failing).toContain('logs.noPaymentSensitive');
    const json = JSON.stringify(result);
    expect(json).not.toContain('4929649583333657');
    expect(json).not.toContain('4929-6495-8333-3657');
  });
});
