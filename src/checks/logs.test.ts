import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLogs } from '../collectors/logs/index.js';
import type { LogDetectionEvidence, LogFieldCoverageEvidence, LogFileEvidence, Role } from '../model/evidence.js';
import { defaultRegistry } from './index.js';
import { runCheck, testCheck } from './testing.js';

const APP_LOG = 'logs/app-payments.jsonl';
const BANK_LOG = 'logs/gateway-access.jsonl';

/** A detection as the collector reports it: count plus first masked samples. */
function det(detector: string, lines: number[], excerpt: string): LogDetectionEvidence {
  return { detector, count: lines.length, samples: lines.map((line) => ({ excerpt, location: { file: '', line } })) };
}

function logFile(file: string, opts: { party?: Role; detections?: LogDetectionEvidence[]; fields?: LogFieldCoverageEvidence[]; structured?: number; format?: LogFileEvidence['format'] } = {}): LogFileEvidence {
  const structured = opts.structured ?? 100;
  return {
    kind: 'logs',
    file,
    format: opts.format ?? 'jsonl',
    ...(opts.party ? { party: opts.party } : {}),
    lines: 100,
    records: 100,
    structuredRecords: structured,
    malformedLines: 0,
    bytes: 25_000,
    detections: (opts.detections ?? []).map((d) => ({ ...d, samples: d.samples.map((s) => ({ ...s, location: { file, line: s.location.line } })) })),
    fields: opts.fields ?? [],
    problems: [],
    digests: { [file]: 'sha256' },
  };
}

function coverage(present: Partial<Record<string, number>>, examined = 100): LogFieldCoverageEvidence[] {
  return ['serial-number', 'app-id', 'u-api-id', 'duration', 'timestamp', 'result'].map((field) => {
    const p = present[field] ?? examined;
    return { field, present: p, examined, matchedNames: [], missingSamples: p < examined ? [{ file: 'x', line: 7 }] : [] };
  });
}

const maskedPan = det('masked-pan', [3, 9], 'cardNo=622202******0123');
const pan = det('pan', [12, 40], 'request.creditCard.creditCardNumber=4929-64**-****-3657');

testCheck('logs.noUnmaskedPan', {
  valid: [
    { name: 'masked payment accounts only (first 6 / last 4)', bundle: { logs: [logFile(APP_LOG, { party: 'app', detections: [maskedPan] })] }, expect: ['pass'] },
    { name: 'bank log without card numbers', bundle: { logs: [logFile(BANK_LOG, { party: 'bank' })] }, expect: ['pass'] },
  ],
  invalid: [
    {
      name: 'unmasked card numbers: one failure for the file with count and first line',
      bundle: { logs: [logFile(APP_LOG, { party: 'app', detections: [maskedPan, pan] })] },
      expect: [{ status: 'fail', messageId: 'unmaskedPan', file: APP_LOG, line: 12, subject: APP_LOG, message: 'holds 2 unmasked payment account number(s) (pan ×2)' }],
    },
    {
      name: 'bank gateway log with a card number in a URL',
      bundle: { logs: [logFile(BANK_LOG, { party: 'bank', detections: [det('pan', [5], '622202*********6782')] }), logFile(APP_LOG)] },
      expect: [{ status: 'fail', messageId: 'unmaskedPan', file: BANK_LOG, line: 5 }],
    },
  ],
});

testCheck('logs.noPaymentSensitive', {
  valid: [{ name: 'no CVV, expiry, PIN or password', bundle: { logs: [logFile(APP_LOG, { detections: [maskedPan, det('mobile', [2], 'phone=138****5678')] })] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'CVV and expiry beside a card',
      bundle: { logs: [logFile(APP_LOG, { detections: [det('cvv', [12], 'creditCardCvv=****(3 chars)'), det('expiry', [12, 13], 'creditCardExpirationYear=****')] })] },
      expect: [{ status: 'fail', messageId: 'paymentSensitive', line: 12, message: '3 payment-sensitive value(s) (cvv ×1, expiry ×2)' }],
    },
    {
      name: 'a password in a bank log',
      bundle: { logs: [logFile(BANK_LOG, { party: 'bank', detections: [det('password', [88], 'password=****(8 chars)')] })] },
      expect: [{ status: 'fail', messageId: 'paymentSensitive', line: 88 }],
    },
  ],
});

testCheck('logs.noSecrets', {
  valid: [{ name: 'no credentials', bundle: { logs: [logFile(BANK_LOG, { party: 'bank', detections: [det('password', [1], 'pwd=****(3 chars)')] })] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'App_Secret and a bearer token',
      bundle: { logs: [logFile(BANK_LOG, { detections: [det('app-secret', [30], 'appSecret=****(32 chars)'), det('bearer-token', [4], 'Bearer=****(40 chars)')] })] },
      expect: [{ status: 'fail', messageId: 'secrets', line: 4, message: 'holds 2 credential(s) (app-secret ×1, bearer-token ×1)' }],
    },
  ],
});

testCheck('logs.noPersonalInfo', {
  valid: [
    { name: 'application-party log with masked payment accounts only', bundle: { logs: [logFile(APP_LOG, { party: 'app', detections: [maskedPan] })] }, expect: ['pass'] },
    {
      name: 'a bank log is not judged by the application-party rule',
      bundle: { logs: [logFile(BANK_LOG, { party: 'bank', detections: [det('id-card', [2], '110105********1239')] })] },
      expect: ['n/a'],
    },
    {
      name: 'files without a party follow the profile role (bank)',
      role: 'bank',
      bundle: { logs: [logFile(BANK_LOG, { detections: [det('mobile', [2], '138****5678')] })] },
      expect: ['n/a'],
    },
    {
      name: 'masked mobile and ID number warn: masked, but beyond the payment account 7.3.3 allows',
      bundle: { logs: [logFile(APP_LOG, { party: 'app', detections: [det('masked-mobile', [6], '138****5678'), maskedPan] })] },
      expect: ['warn'],
    },
  ],
  invalid: [
    {
      name: 'ID number, mobile and name in an application-party log',
      role: 'app',
      bundle: {
        logs: [logFile(APP_LOG, { detections: [det('id-card', [20], 'idNo=110105********1239'), det('mobile', [7], '138****5678'), det('person-name', [7], 'payer.name=**'), maskedPan] })],
      },
      expect: [{ status: 'fail', messageId: 'personalInfo', file: APP_LOG, line: 7, message: 'holds 3 personal financial value(s) (id-card ×1, mobile ×1, person-name ×1)' }],
    },
    {
      name: 'an unmasked card number is personal information beyond the masked account',
      bundle: { logs: [logFile(APP_LOG, { party: 'app', detections: [pan] })] },
      expect: [{ status: 'fail', messageId: 'personalInfo', line: 12 }],
    },
  ],
});

testCheck('logs.requiredFields', {
  valid: [
    { name: 'every record carries the six fields', bundle: { logs: [logFile(BANK_LOG, { fields: coverage({}) })] }, expect: ['pass'] },
    { name: 'a lower minShare tolerates a few records without U_API_ID', params: { minShare: 0.95 }, bundle: { logs: [logFile(BANK_LOG, { fields: coverage({ 'u-api-id': 97 }) })] }, expect: ['pass'] },
    { name: 'only the fields asked for are judged', params: { fields: ['timestamp', 'result'] }, bundle: { logs: [logFile(BANK_LOG, { fields: coverage({ 'u-api-id': 0, 'app-id': 0 }) })] }, expect: ['pass'] },
    { name: 'plain text cannot be judged record by record', bundle: { logs: [logFile('logs/app.log', { format: 'text', structured: 0 })] }, expect: ['warn'] },
  ],
  invalid: [
    {
      name: 'default nginx combined format: no serial number, App_ID, U_API_ID or duration',
      bundle: { logs: [logFile(BANK_LOG, { fields: coverage({ 'serial-number': 0, 'app-id': 0, 'u-api-id': 0, duration: 0 }) })] },
      expect: [{ status: 'fail', messageId: 'fieldsMissing', line: 7, message: 'lack serial-number 0% (0/100), app-id 0% (0/100), u-api-id 0% (0/100), duration 0% (0/100)' }],
    },
    {
      name: 'a field missing from some records fails the default share of 1.0',
      bundle: { logs: [logFile(BANK_LOG, { fields: coverage({ 'u-api-id': 97 }) })] },
      expect: [{ status: 'fail', messageId: 'fieldsMissing', message: 'u-api-id 97% (97/100)' }],
    },
  ],
});

describe('logs checks on collected corpus evidence', () => {
  it('the payment-service log fails noUnmaskedPan and noPaymentSensitive, and no output carries the clear card number', async () => {
    const ev = await collectLogs('/work/shared/corpus/logs/otel-demo-payment-service-pino.jsonl', { party: 'app' });
    const outcomes = ['logs.noUnmaskedPan', 'logs.noPaymentSensitive', 'logs.noPersonalInfo', 'logs.noSecrets', 'logs.requiredFields'].map((name) =>
      runCheck(defaultRegistry.get(name)!, { bundle: { logs: [ev] } }),
    );
    expect(outcomes.map((o) => o.map((x) => `${x.status}:${x.messageId}`))).toEqual([
      ['fail:unmaskedPan'],
      ['fail:paymentSensitive'],
      ['fail:personalInfo'],
      ['pass:clean'],
      ['fail:fieldsMissing'],
    ]);
    const line = readFileSync('/work/shared/corpus/logs/otel-demo-payment-service-pino.jsonl', 'utf8');
    expect(line).toContain('4929-6495-8333-3657');
    const serialised = JSON.stringify(outcomes);
    expect(serialised).not.toMatch(/4929-?6495-?8333-?3657/);
    expect(serialised).toContain('4929-64**-****-3657');
  });
});

describe('log detections are structured locations, as many as --log-samples keeps', () => {
  const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ traceId: `t${i}`, msg: `paid with card 4111 1111 1111 1111 ref ${i}` }));

  it.each([
    [2, 2],
    [5, 5],
    [50, 12],
  ])('--log-samples %i keeps %i locations, each with its line and masked excerpt; the message lists none', async (cap, kept) => {
    const dir = mkdtempSync(join(tmpdir(), 'jrt0185-logs-check-'));
    try {
      const file = join(dir, 'app.jsonl');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const ev = await collectLogs(file, { party: 'app', sampleCap: cap });
      const [outcome] = runCheck(defaultRegistry.get('logs.noUnmaskedPan')!, { bundle: { logs: [ev] } });
      expect(outcome!.status).toBe('fail');
      expect(outcome!.data?.count).toBe(12);
      expect(outcome!.locations).toEqual(
        Array.from({ length: kept }, (_, i) => ({ file, line: i + 1, excerpt: 'msg=4111 11** **** 1111', subject: 'pan msg' })),
      );
      expect(outcome!.location).toEqual({ file, line: 1 });
      const message = defaultRegistry.get('logs.noUnmaskedPan')!.messages[outcome!.messageId]!.en;
      expect(message).not.toContain('{{locations}}');
      expect(JSON.stringify(outcome)).not.toContain('4111 1111 1111 1111');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
