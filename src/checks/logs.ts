/**
 * Checks of the `logs` family: what log samples show about personal financial information, payment
 * sensitive data, credentials (7.2.2, 7.3.3, 7.3.4, 9.3.3, 12.3) and the fields every interface log
 * record must carry (7.3.3, 12.3).
 *
 * One outcome per rule and file, never one per line: the counts per detector go into `data`, and the locations the
 * collector kept (the first `--log-samples N` per detector, excerpts already masked) into `locations`.
 *
 * Which detector fails which check:
 * - logs.noUnmaskedPan — `pan` (any party); `masked-pan` passes.
 * - logs.noPaymentSensitive — `cvv`, `expiry`, `pin`, `password` (any party).
 * - logs.noSecrets — `app-secret`, `private-key`, `bearer-token`, `jwt` (any party).
 * - logs.noPersonalInfo — application-party logs only (7.3.3 allows them a masked payment account and
 *   nothing else): `pan`, `id-card`, `mobile`, `email`, `person-name` fail; the masked personal forms
 *   `masked-id-card` and `masked-mobile` warn (masked, but still personal information beyond the payment
 *   account); `masked-pan` passes. Bank logs are n/a here: the bank's data-security rules judge them
 *   through the three checks above.
 */
import type { AnyCheck } from './registry.js';
import { defineCheck, NO_PARAMS } from './registry.js';
import type { LogDetectionEvidence, LogFileEvidence, RelatedLocation, Role } from '../model/evidence.js';
import type { CheckContext, Outcome } from '../model/outcome.js';

const EVIDENCE: ['logs'] = ['logs'];

export const PAN_DETECTORS = ['pan'];
export const PAYMENT_SENSITIVE_DETECTORS = ['cvv', 'expiry', 'pin', 'password'];
export const SECRET_DETECTORS = ['app-secret', 'private-key', 'bearer-token', 'jwt'];
export const PERSONAL_DETECTORS = ['pan', 'id-card', 'mobile', 'email', 'person-name'];
export const MASKED_PERSONAL_DETECTORS = ['masked-id-card', 'masked-mobile'];

function pick(file: LogFileEvidence, names: string[]): LogDetectionEvidence[] {
  return file.detections.filter((d) => names.includes(d.detector) && d.count > 0);
}

/** `pan ×3, cvv ×1` */
function counts(ds: LogDetectionEvidence[]): string {
  return ds.map((d) => `${d.detector} ×${d.count}`).join(', ');
}

/**
 * Every location the collector kept (the first `--log-samples N` per detector), in line order, as structured
 * related locations: the masked excerpt and the detector that found it. Messages never list them as text.
 */
function relatedLocations(ds: LogDetectionEvidence[]): RelatedLocation[] {
  return ds
    .flatMap((d) => d.samples.map((s): RelatedLocation => ({ ...s.location, excerpt: s.excerpt, subject: s.field !== undefined ? `${d.detector} ${s.field}` : d.detector })))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function total(ds: LogDetectionEvidence[]): number {
  return ds.reduce((n, d) => n + d.count, 0);
}

/** One outcome for a file: fail with counts and every kept location when any of `names` was detected, else pass. */
function judgeFile(file: LogFileEvidence, names: string[], failId: string, passId: string, status: 'fail' | 'warn' = 'fail'): Outcome {
  const hits = pick(file, names);
  if (hits.length === 0) {
    return { status: 'pass', messageId: passId, subject: file.file, location: { file: file.file }, data: { file: file.file, records: file.records } };
  }
  const locations = relatedLocations(hits);
  const first = locations[0];
  return {
    status,
    messageId: failId,
    subject: file.file,
    location: first ? { file: first.file, ...(first.line !== undefined ? { line: first.line } : {}) } : { file: file.file },
    locations,
    data: { file: file.file, count: total(hits), detectors: counts(hits), line: first?.line ?? '?' },
    ...(first?.excerpt ? { evidence: first.excerpt } : {}),
  };
}

/** The party whose log a file is: what the user said for this file, else the profile's role. */
function partyOf(file: LogFileEvidence, ctx: CheckContext): Role | undefined {
  return file.party ?? ctx.role;
}

const noUnmaskedPan = defineCheck<Record<string, never>>({
  name: 'logs.noUnmaskedPan',
  evidence: EVIDENCE,
  description: 'No unmasked card / payment account number in log samples; at most the first 6 and last 4 digits shown (7.2.2, 7.3.3, 12.3).',
  params: NO_PARAMS,
  messages: {
    clean: { zh: '日志 {{file}} 中未发现明文支付账号（{{records}} 条记录）', en: 'no unmasked payment account number in {{file}} ({{records}} records)' },
    unmaskedPan: {
      zh: '日志 {{file}} 中有 {{count}} 处明文支付账号（{{detectors}}），应部分屏蔽（至多显示前6后4位）；首处：第 {{line}} 行',
      en: '{{file}} holds {{count}} unmasked payment account number(s) ({{detectors}}); mask them (first 6 / last 4 digits at most); first at line {{line}}',
    },
  },
  run(bundle) {
    return bundle.logs.map((f) => judgeFile(f, PAN_DETECTORS, 'unmaskedPan', 'clean'));
  },
});

const noPaymentSensitive = defineCheck<Record<string, never>>({
  name: 'logs.noPaymentSensitive',
  evidence: EVIDENCE,
  description: 'No CVV/CVN, card expiry next to a card, PIN or password in log samples (7.2.2, 9.3.3).',
  params: NO_PARAMS,
  messages: {
    clean: { zh: '日志 {{file}} 中未发现支付敏感信息（{{records}} 条记录）', en: 'no payment-sensitive information in {{file}} ({{records}} records)' },
    paymentSensitive: {
      zh: '日志 {{file}} 中有 {{count}} 处支付敏感信息（{{detectors}}），不应记录 CVV、卡有效期、PIN、口令；首处：第 {{line}} 行',
      en: '{{file}} holds {{count}} payment-sensitive value(s) ({{detectors}}); CVVs, card expiry dates, PINs and passwords must not be logged; first at line {{line}}',
    },
  },
  run(bundle) {
    return bundle.logs.map((f) => judgeFile(f, PAYMENT_SENSITIVE_DETECTORS, 'paymentSensitive', 'clean'));
  },
});

const noSecrets = defineCheck<Record<string, never>>({
  name: 'logs.noSecrets',
  evidence: EVIDENCE,
  description: 'No App_Secret, private key, bearer token or JWT in log samples (7.3.4).',
  params: NO_PARAMS,
  messages: {
    clean: { zh: '日志 {{file}} 中未发现 App_Secret、私钥或令牌（{{records}} 条记录）', en: 'no App_Secret, private key or token in {{file}} ({{records}} records)' },
    secrets: {
      zh: '日志 {{file}} 中有 {{count}} 处密钥或令牌（{{detectors}}），App_Secret、私钥与令牌不应写入日志；首处：第 {{line}} 行',
      en: '{{file}} holds {{count}} credential(s) ({{detectors}}); App_Secrets, private keys and tokens must not be written to logs; first at line {{line}}',
    },
  },
  run(bundle) {
    return bundle.logs.map((f) => judgeFile(f, SECRET_DETECTORS, 'secrets', 'clean'));
  },
});

const noPersonalInfo = defineCheck<Record<string, never>>({
  name: 'logs.noPersonalInfo',
  evidence: EVIDENCE,
  description:
    "An application party's interface logs hold no personal financial information except a partially masked payment account (7.3.3, 9.3.3, 12.3).",
  params: NO_PARAMS,
  messages: {
    clean: {
      zh: '应用方日志 {{file}} 中除部分屏蔽的支付账号外未发现个人金融信息（{{records}} 条记录）',
      en: "no personal financial information other than masked payment accounts in the application party's log {{file}} ({{records}} records)",
    },
    personalInfo: {
      zh: '应用方日志 {{file}} 中有 {{count}} 处个人金融信息（{{detectors}}），除部分屏蔽的支付账号外不应记录；首处：第 {{line}} 行',
      en: "the application party's log {{file}} holds {{count}} personal financial value(s) ({{detectors}}); nothing but a masked payment account may be logged; first at line {{line}}",
    },
    maskedPersonalInfo: {
      zh: '应用方日志 {{file}} 中有 {{count}} 处已屏蔽的个人信息（{{detectors}}）；7.3.3 仅允许记录部分屏蔽的支付账号；首处：第 {{line}} 行',
      en: "the application party's log {{file}} holds {{count}} masked personal value(s) ({{detectors}}); 7.3.3 allows only a masked payment account; first at line {{line}}",
    },
    bankLog: {
      zh: '{{file}} 为商业银行日志，本项只评估应用方日志',
      en: "{{file}} is a bank log; this requirement judges the application party's logs",
    },
  },
  run(bundle, _params, ctx) {
    return bundle.logs.map((f) => {
      if (partyOf(f, ctx) === 'bank') {
        return { status: 'n/a', messageId: 'bankLog', subject: f.file, location: { file: f.file }, data: { file: f.file } };
      }
      const unmasked = judgeFile(f, PERSONAL_DETECTORS, 'personalInfo', 'clean');
      return unmasked.status === 'fail' ? unmasked : judgeFile(f, MASKED_PERSONAL_DETECTORS, 'maskedPersonalInfo', 'clean', 'warn');
    });
  },
});

const SIX_FIELDS = ['serial-number', 'app-id', 'u-api-id', 'duration', 'timestamp', 'result'];

const requiredFields = defineCheck<{ fields?: string[]; minShare?: number }>({
  name: 'logs.requiredFields',
  evidence: EVIDENCE,
  description:
    'Structured log records carry the transaction serial number, App_ID, U_API_ID, duration, timestamp and result; a field present in fewer than minShare (default 1.0) of the records fails (7.3.3, 12.3).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fields: { type: 'array', items: { enum: SIX_FIELDS }, minItems: 1, uniqueItems: true },
      minShare: { type: 'number', minimum: 0, maximum: 1 },
    },
  },
  messages: {
    allPresent: {
      zh: '日志 {{file}} 的 {{examined}} 条结构化记录均包含 {{fields}}',
      en: 'the {{examined}} structured records of {{file}} carry {{fields}}',
    },
    fieldsMissing: {
      zh: '日志 {{file}} 的结构化记录缺少字段：{{missing}}（应至少包括交易流水号、应用唯一标识、接口唯一标识、调用耗时、时间戳、返回结果）；首个缺失位置：第 {{line}} 行',
      en: '{{file}}: structured records lack {{missing}} (7.3.3 requires serial number, App_ID, U_API_ID, duration, timestamp and result); first record missing one: line {{line}}',
    },
    unstructured: {
      zh: '日志 {{file}} 为非结构化格式（{{format}}），无法逐条判断必备字段，请人工核对日志格式',
      en: '{{file}} is unstructured ({{format}}): the required fields cannot be checked record by record; review the log format by hand',
    },
  },
  run(bundle, params) {
    const wanted = params.fields ?? SIX_FIELDS;
    const minShare = params.minShare ?? 1;
    return bundle.logs.map((f): Outcome => {
      const base = { subject: f.file };
      if (f.structuredRecords === 0 || f.fields.length === 0) {
        return { status: 'warn', messageId: 'unstructured', ...base, location: { file: f.file }, data: { file: f.file, format: f.format } };
      }
      const judged = f.fields.filter((c) => wanted.includes(c.field));
      const short = judged.filter((c) => (c.examined === 0 ? 0 : c.present / c.examined) < minShare);
      if (short.length === 0) {
        const examined = Math.max(...judged.map((c) => c.examined));
        return { status: 'pass', messageId: 'allPresent', ...base, location: { file: f.file }, data: { file: f.file, examined, fields: judged.map((c) => c.field).join(', ') } };
      }
      const missing = short
        .map((c) => `${c.field} ${c.examined ? Math.round((100 * c.present) / c.examined) : 0}% (${c.present}/${c.examined})`)
        .join(', ');
      const locations = short
        .flatMap((c) => c.missingSamples.map((l): RelatedLocation => ({ ...l, subject: `missing ${c.field}` })))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      const first = locations[0];
      return {
        status: 'fail',
        messageId: 'fieldsMissing',
        ...base,
        location: first ? { file: first.file, ...(first.line !== undefined ? { line: first.line } : {}) } : { file: f.file },
        locations,
        data: { file: f.file, missing, line: first?.line ?? '?' },
        evidence: missing,
      };
    });
  },
});

/** Checks of the `logs` family (see DESIGN.md "Checks and messages"). */
export const logChecks: AnyCheck[] = [noPersonalInfo, noUnmaskedPan, noPaymentSensitive, noSecrets, requiredFields];
