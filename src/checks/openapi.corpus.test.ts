/**
 * The openapi checks on real third-party specifications (read in place from /work/shared/corpus), through the
 * real collector: what an assessor would see for GOV.UK Pay, UK Open Banking, Berlin Group and Alipay.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { collectOpenApi } from '../collectors/openapi/index.js';
import { defaultRegistry } from './index.js';
import { runCheck } from './testing.js';
import type { Outcome } from '../model/outcome.js';

const CORPUS = '/work/shared/corpus/openapi';

async function outcomesOf(file: string, check: string, params: Record<string, unknown> = {}): Promise<Outcome[]> {
  const { evidence } = await collectOpenApi(`${CORPUS}/${file}`);
  return runCheck(defaultRegistry.get(check)!, { bundle: { openapi: [evidence] }, params, level: 'A2' });
}

/** The places outcomes name: a grouped finding (one root cause) names each affected place in `locations`. */
const subjects = (outcomes: Outcome[], status: string, messageId?: string): string[] =>
  outcomes
    .filter((o) => o.status === status && (!messageId || o.messageId === messageId))
    .flatMap((o) => (o.locations?.length ? o.locations.map((l) => l.subject!) : [o.subject!]));

describe.skipIf(!existsSync(CORPUS))('openapi checks on the corpus', () => {
  it('GOV.UK Pay: card digits are masked by design, the cardholder name is returned in clear', async () => {
    const outcomes = await outcomesOf('govuk-pay-publicapi-openapi.json', 'openapi.responseMasking');
    // Each shared schema property is reported once, under the shortest path that reaches it.
    expect(subjects(outcomes, 'pass', 'maskedByDesign')).toContain('GET /v1/payments/{paymentId} → card_details.last_digits_card_number');
    expect(subjects(outcomes, 'pass', 'maskedByDesign')).toContain('GET /v1/payments/{paymentId} → card_details.first_digits_card_number');
    expect(subjects(outcomes, 'fail', 'unmasked')).toContain('GET /v1/payments/{paymentId} → card_details.cardholder_name');
    // Every outcome points into the spec by JSON pointer, never by an invented line.
    for (const o of outcomes) expect(o.location?.pointer).toMatch(/^\//);
  });

  it('UK Open Banking PIS v4: x-jws-signature signs the payment submission, GETs carry none', async () => {
    const outcomes = await outcomesOf('obuk-payment-initiation-openapi-v4.json', 'openapi.requestSignature', { level: 'A2', accept: ['signature'] });
    expect(subjects(outcomes, 'pass')).toContain('POST /domestic-payments');
    expect(outcomes.find((o) => o.subject === 'POST /domestic-payments')?.data?.via).toBe('header x-jws-signature');
    expect(subjects(outcomes, 'fail', 'unsigned')).toContain('GET /domestic-payments/{DomesticPaymentId}');
  });

  it('Berlin Group 1.3.12: the Signature header is optional, and Digest / TPP-Signature-Certificate are no signature', async () => {
    const outcomes = await outcomesOf('berlingroup-psd2-api-1.3.12.yaml', 'openapi.requestSignature', { level: 'A2', accept: ['signature'] });
    expect(subjects(outcomes, 'fail', 'optionalSignature')).toContain('POST /v1/{payment-service}/{payment-product}');
    expect(subjects(outcomes, 'pass')).toEqual([]);
  });

  it('UK Open Banking: OAuth2 client credentials alone are not mutual authentication for A2', async () => {
    const outcomes = await outcomesOf('obuk-payment-initiation-openapi-v4.json', 'openapi.mutualAuthentication');
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.status === 'fail' && o.messageId === 'secretOnly')).toBe(true);
  });

  it('Alipay v3: the plaintext sandbox server fails, the production server passes', async () => {
    const outcomes = await outcomesOf('alipay-v3-openapi-2022-11.yaml', 'openapi.serversHttps');
    expect(outcomes.map((o) => [o.status, o.subject])).toEqual([
      ['pass', 'https://openapi.alipay.com'],
      ['fail', 'http://openapi.stable.dl.alipaydev.com'],
    ]);
  });
});
