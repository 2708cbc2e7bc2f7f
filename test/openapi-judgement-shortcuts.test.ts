/**
 * The response checks (7.2.2, 9.3.3) take three shortcuts for speed (issue 17), each of which must give exactly the
 * judgement of the plain procedure it stands for:
 * - the gate: only properties one of whose nodes passes a name/description gate are grouped and classified;
 * - the verdict memo: a property met again with the same file, name, holder, path and nodes gets the earlier verdict;
 * - the walk's columns (NodeTable): the checks read names, slots and schemas without building every SchemaNode.
 * The reference below is the procedure before them: every node of every response media type built, grouped into
 * property views, every view classified. On real corpus descriptions both must list the same judged properties
 * (operation, path, location, verdict) in the same order, and the same operations with a verdict.
 *
 * The name classifiers remember a verdict per name when it did not read the holder's name (vocabulary.ts
 * HolderName): two fresh module instances asked the same (name, holder) pairs in opposite orders must agree.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { collectOpenApi } from '../src/collectors/openapi/index.js';
import type { OpenApiDocumentEvidence, OperationEvidence } from '../src/model/evidence.js';
import { judgePaymentSensitiveProperty, mayBePaymentSensitive, mayHavePersonalVerdict, personalVerdict } from '../src/checks/openapi/classify.js';
import { judgeResponseProperties, locationKey, propertyViews, type PropertyView } from '../src/checks/openapi/walk.js';
import { CORPUS } from './labelled/openapi-precision.js';

/** Corpus descriptions with many personal and payment fields, component sharing and walk cuts (MANIFEST.md). */
const SPECS = [
  'openapi/stripe-spec3-2022-04.json',
  'openapi/github-api.github.com.json', // examples on most properties: the example part of the gate
  'openapi/adyen-CheckoutService-v71.json',
  'openapi/adyen-PaymentService-V30-swagger2.yaml',
  'openapi/obuk-account-info-openapi-v4.yaml',
  'openapi/paypal-checkout_orders_v2.json',
  'openapi-real/lithic-openapi.yml',
  'openapi-real/unit-openapi/openapi.json',
  'openapi-real/sahamati-rebit-fip-v2.1.0-swagger2.yaml',
];

/** judgeResponseProperties as it was: no gate, no memo, every node built. */
function plainJudgement<T>(docs: readonly OpenApiDocumentEvidence[], classify: (p: PropertyView, d: OpenApiDocumentEvidence) => T | undefined) {
  const judged = new Map<string, { op: OperationEvidence; property: PropertyView; verdict: T }>();
  const operationsWithVerdict = new Set<OperationEvidence>();
  for (const doc of docs) {
    for (const op of doc.operations) {
      for (const response of op.responses) {
        for (const media of response.content) {
          for (const property of propertyViews([...media.nodes])) {
            const verdict = classify(property, doc);
            if (verdict === undefined) continue;
            operationsWithVerdict.add(op);
            const key = locationKey(property.node.location);
            const earlier = judged.get(key);
            if (earlier && earlier.property.path.length <= property.path.length) continue;
            judged.set(key, { op, property, verdict });
          }
        }
      }
    }
  }
  return { judged: [...judged.values()], operationsWithVerdict };
}

const summary = (r: { judged: { op: OperationEvidence; property: PropertyView; verdict: unknown }[]; operationsWithVerdict: Set<OperationEvidence> }) => ({
  judged: r.judged.map(({ op, property, verdict }) => [op.method, op.path, property.path, property.parentName, locationKey(property.node.location), property.nodes.length, JSON.stringify(verdict)]),
  operations: [...r.operationsWithVerdict].map((op) => `${op.method} ${op.path}`),
});

describe.skipIf(!existsSync(CORPUS))('response judgement shortcuts give the plain judgement', () => {
  it.each(SPECS)('%s', async (spec) => {
    // Collected twice: the plain procedure builds every node, which the shortcuts must not rely on having been done.
    const fast = (await collectOpenApi(join(CORPUS, spec))).evidence;
    const plain = (await collectOpenApi(join(CORPUS, spec))).evidence;
    // The two judgements of openapi.responseMasking and openapi.noPaymentSensitiveInResponse, with their gates.
    const personal = (p: PropertyView, d: OpenApiDocumentEvidence) => personalVerdict(p, d.file);
    const payment = (p: PropertyView, d: OpenApiDocumentEvidence) => judgePaymentSensitiveProperty(p, d.file);
    const fastPersonal = summary(judgeResponseProperties([fast], mayHavePersonalVerdict, personal));
    const fastPayment = summary(judgeResponseProperties([fast], mayBePaymentSensitive, payment));
    expect(fastPersonal).toEqual(summary(plainJudgement([plain], personal)));
    expect(fastPayment).toEqual(summary(plainJudgement([plain], payment)));
  }, 60_000);
});

describe('name classifiers remembered per name only when the holder was not read', () => {
  // Names whose verdict depends on the holder (`number` under `card`, `name` under a person, `securityCode` under a
  // card, `account` under `bank_account`) and names whose verdict does not, under holders that change them or not.
  const NAMES = ['number', 'no', 'name', 'names', 'account', 'identification', 'cardNumber', 'securityCode', 'verificationCode', 'mobile', 'phone',
    'fullName', 'firstName', 'password', 'pin', 'cvv', 'id', 'amount', 'giftCardNumber', 'accountNumber', 'last4', 'description'];
  const HOLDERS = [undefined, '', 'card', 'paymentCard', 'giftCard', 'identification', 'bank_account', 'ach', 'bank', 'account', 'DebtorAccount',
    'customer', 'owner', 'merchant', 'company', 'repository', 'individual', 'loyaltyCard'];
  const pairs = NAMES.flatMap((name) => HOLDERS.map((holder) => [name, holder] as const));

  const answers = async (order: readonly (readonly [string, string | undefined])[]) => {
    vi.resetModules();
    const v = await import('../src/checks/openapi/vocabulary.js');
    const out = new Map<string, string>();
    for (const [name, holder] of order) {
      out.set(`${name}|${holder ?? '-'}`, JSON.stringify([v.classifyPersonalField(name, holder) ?? null, v.classifyPaymentSensitiveField(name, holder) ?? null]));
    }
    return out;
  };

  it('agree whichever holder is asked first', async () => {
    const forward = await answers(pairs);
    const backward = await answers([...pairs].reverse());
    expect([...backward].sort()).toEqual([...forward].sort());
    // The holder does change some verdicts: the memo is exercised on both kinds of names.
    expect(forward.get('number|card')).not.toEqual(forward.get('number|-'));
    expect(forward.get('securityCode|card')).not.toEqual(forward.get('securityCode|-'));
  });
});
