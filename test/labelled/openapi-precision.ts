/**
 * Precision harness of the OpenAPI checks on real bank, payment and open-banking descriptions (issue 18).
 *
 * Every failing finding of every `openapi.*` check on the specs below is reduced to labelled items, each named by
 * its stable identity (check + corpus file + subject, never a line), and compared with the labels kept in
 * `openapi-findings.yaml`: TP = a bank could not refute it, FP = it could. Precision per check = TP / (TP + FP)
 * over the labelled items the checks report now; a labelled TP the checks no longer report is a lost positive.
 *
 * A finding grouped over several operations (one root cause, `locations[]`) counts once per affected place, so
 * regrouping never changes what is measured: every place a report names is a claim a bank can dispute.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { collectOpenApi } from '../../src/collectors/openapi/index.js';
import { defaultRegistry } from '../../src/checks/index.js';
import type { Outcome } from '../../src/model/outcome.js';
import { emptyBundle } from '../../src/model/evidence.js';

export const CORPUS = join('..', 'shared', 'corpus');

/** The labelled real specs (corpus paths): ≥ 15 public bank, payment and open-banking descriptions. */
export const SPECS = [
  'openapi-real/dwolla-openapi.yml',
  'openapi-real/formance-payments-openapi.yaml',
  'openapi-real/lithic-openapi.yml',
  'openapi-real/modern-treasury-mt_openapi_spec_v1.yaml',
  'openapi-real/mojaloop-fspiop-rest-v2.0-openapi3.yaml',
  'openapi-real/moov-ach-openapi.yaml',
  'openapi-real/moov-customers-client.yaml',
  'openapi-real/moov-wire-openapi.yaml',
  'openapi-real/sahamati-rebit-fip-v2.1.0-swagger2.yaml',
  'openapi-real/unit-openapi/openapi.json',
  'openapi-real/yapily-sdk-java-openapi-2.13.1.yaml',
  'openapi/alipay-v3-openapi-2022-11.yaml',
  'openapi/adyen-LegalEntityService-v4.json',
  'openapi/adyen-TransferService-v4.json',
  'openapi/berlingroup-psd2-api-1.3.12.yaml',
  'openapi/govuk-pay-publicapi-openapi.json',
  'openapi/obuk-account-info-openapi-v4.yaml',
  'openapi/obuk-payment-initiation-openapi-v4.json',
  'openapi/paypal-checkout_orders_v2.json',
  'openapi/upbank-v1-openapi.json',
  'openapi/apisguru/bunq.com.json',
  'openapi/adyen-CheckoutService-v71.json',
  'openapi/apisguru/mastercard.com__MATCH.json',
  'openapi/apisguru/fire.com.json',
  'openapi/apisguru/velopayments.com.json',
] as const;

/**
 * The checks as the rulebook runs them on an A2 profile. `requestSignature` runs twice, as its two rules do: the
 * integrity rule (a MAC or a signature) and the A2 signature rule (a signature only).
 */
export const CHECK_RUNS: { key: string; check: string; params?: Record<string, unknown> }[] = [
  { key: 'openapi.serversHttps', check: 'openapi.serversHttps' },
  { key: 'openapi.operationAuthentication', check: 'openapi.operationAuthentication' },
  { key: 'openapi.mutualAuthentication', check: 'openapi.mutualAuthentication' },
  { key: 'openapi.requestSignature[integrity]', check: 'openapi.requestSignature', params: { accept: ['mac', 'signature'] } },
  { key: 'openapi.requestSignature[A2]', check: 'openapi.requestSignature', params: { level: 'A2', accept: ['signature'] } },
  { key: 'openapi.responseMasking', check: 'openapi.responseMasking' },
  { key: 'openapi.noPaymentSensitiveInResponse', check: 'openapi.noPaymentSensitiveInResponse' },
  { key: 'openapi.errorDisclosure', check: 'openapi.errorDisclosure' },
  { key: 'openapi.rateLimitDeclared', check: 'openapi.rateLimitDeclared' },
  { key: 'openapi.versionIdentifiable', check: 'openapi.versionIdentifiable' },
  { key: 'openapi.parameterConstraints', check: 'openapi.parameterConstraints' },
  { key: 'openapi.specValid', check: 'openapi.specValid' },
];

export interface Item {
  check: string;
  file: string;
  subject: string;
  messageId: string;
}

export interface Label {
  check: string;
  file: string;
  subject: string;
  label: 'TP' | 'FP';
  reason: string;
}

export const itemKey = (i: { check: string; file: string; subject: string }): string => `${i.check}\u0000${i.file}\u0000${i.subject}`;

/** A failing outcome → the places it claims something about (one per affected location when grouped). */
function itemsOf(check: string, file: string, outcome: Outcome): Item[] {
  const located = (outcome.locations ?? []).filter((l) => l.subject !== undefined);
  const subjects = located.length > 0 ? located.map((l) => l.subject!) : [outcome.subject ?? ''];
  // Subjects naming the document carry the path it was read from: keep the corpus-relative part only.
  const prefix = `${CORPUS}/`;
  return subjects.map((subject) => ({ check, file, subject: subject.split(prefix).join(''), messageId: outcome.messageId }));
}

export async function failingItems(specs: readonly string[] = SPECS): Promise<Item[]> {
  const items: Item[] = [];
  for (const spec of specs) {
    const { evidence } = await collectOpenApi(join(CORPUS, spec));
    for (const run of CHECK_RUNS) {
      const check = defaultRegistry.get(run.check)!;
      for (const outcome of check.run({ ...emptyBundle(), openapi: [evidence] }, run.params ?? {}, { level: 'A2' })) {
        if (outcome.status === 'fail') items.push(...itemsOf(run.key, spec, outcome));
      }
    }
  }
  // One item per identity: a grouped finding and a stray duplicate of it are one claim.
  const unique = new Map<string, Item>();
  for (const item of items) if (!unique.has(itemKey(item))) unique.set(itemKey(item), item);
  return [...unique.values()];
}

export function readLabels(path = join('test', 'labelled', 'openapi-findings.yaml')): Label[] {
  if (!existsSync(path)) return [];
  const doc = load(readFileSync(path, 'utf8')) as { findings?: Label[] } | null;
  return doc?.findings ?? [];
}

export interface CheckRow {
  check: string;
  tp: number;
  fp: number;
  /** Labelled TPs the checks no longer report. */
  lost: number;
  /** Failing items without a label (not measured). */
  unlabelled: number;
  precision: number | undefined;
}

export interface Measurement {
  rows: CheckRow[];
  overall: CheckRow;
  found: Map<string, Item>;
  labels: Map<string, Label>;
  lostPositives: Label[];
  falsePositives: Label[];
  unlabelled: Item[];
}

export function measure(items: readonly Item[], labels: readonly Label[]): Measurement {
  const found = new Map(items.map((i) => [itemKey(i), i]));
  const byKey = new Map(labels.map((l) => [itemKey(l), l]));
  const rows = new Map<string, CheckRow>();
  const row = (check: string): CheckRow => {
    let r = rows.get(check);
    if (!r) rows.set(check, (r = { check, tp: 0, fp: 0, lost: 0, unlabelled: 0, precision: undefined }));
    return r;
  };
  const lostPositives: Label[] = [];
  const falsePositives: Label[] = [];
  const unlabelled: Item[] = [];
  for (const item of items) {
    const label = byKey.get(itemKey(item));
    if (!label) {
      row(item.check).unlabelled++;
      unlabelled.push(item);
    } else if (label.label === 'TP') row(item.check).tp++;
    else {
      row(item.check).fp++;
      falsePositives.push(label);
    }
  }
  for (const label of labels) {
    if (label.label === 'TP' && !found.has(itemKey(label))) {
      row(label.check).lost++;
      lostPositives.push(label);
    }
  }
  const overall: CheckRow = { check: 'overall', tp: 0, fp: 0, lost: 0, unlabelled: 0, precision: undefined };
  for (const r of rows.values()) {
    r.precision = r.tp + r.fp > 0 ? r.tp / (r.tp + r.fp) : undefined;
    overall.tp += r.tp;
    overall.fp += r.fp;
    overall.lost += r.lost;
    overall.unlabelled += r.unlabelled;
  }
  overall.precision = overall.tp + overall.fp > 0 ? overall.tp / (overall.tp + overall.fp) : undefined;
  const sorted = [...rows.values()].sort((a, b) => a.check.localeCompare(b.check));
  return { rows: sorted, overall, found, labels: byKey, lostPositives, falsePositives, unlabelled };
}

const pct = (p: number | undefined): string => (p === undefined ? '–' : `${(100 * p).toFixed(1)} %`);

/** The table the README's "Precision" section shows (Markdown). */
export function precisionTable(m: Measurement): string {
  const lines = ['| check | labelled | TP | FP | precision | lost TP | unlabelled |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of [...m.rows, m.overall]) {
    const name = r.check === 'overall' ? '**overall**' : `\`${r.check}\``;
    lines.push(`| ${name} | ${r.tp + r.fp} | ${r.tp} | ${r.fp} | ${pct(r.precision)} | ${r.lost} | ${r.unlabelled} |`);
  }
  return lines.join('\n');
}
