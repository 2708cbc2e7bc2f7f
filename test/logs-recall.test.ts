/**
 * Recall harness (issue 13): other projects' published test vectors (test/logs-recall-vectors.ts names each
 * source) planted in JSON-lines, plain-text, logfmt, combined access-log and pretty-printed JSON files, each
 * vector twice per format — once in free text, once under the label a real log would give it (`cardNo`,
 * `idNo`, `mobile`, `access_token`, `privateKey`, `authorization`) — between ordinary records. Negatives are
 * planted the same way under a neutral label. The log collector scans every file; a positive counts as found
 * when its detector reports its line. Prints the recall table; fails below 99 % recall on what the README
 * claims, or on any detection outside the planted positives' lines.
 *
 * Private keys and HTTP Basic credentials are not planted in access logs: a request line carries neither.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectLogs } from '../src/collectors/logs/index.js';
import { NEGATIVES, POSITIVES, type Kind, type Vector } from './logs-recall-vectors.js';

type Format = 'jsonl' | 'text' | 'logfmt' | 'access' | 'json';
const FORMATS: Format[] = ['jsonl', 'text', 'logfmt', 'access', 'json'];
type Context = 'free' | 'labelled';

/** What counts as found: a JWT under `access_token` is reported as a bearer token; both fail logs.noSecrets. */
const DETECTORS: Record<Kind, string[]> = { pan: ['pan'], 'id-card': ['id-card'], mobile: ['mobile'], email: ['email'], jwt: ['jwt', 'bearer-token'], 'private-key': ['private-key'], password: ['password'] };
const LABEL: Record<Kind, string> = { pan: 'cardNo', 'id-card': 'idNo', mobile: 'mobile', email: 'email', jwt: 'access_token', 'private-key': 'privateKey', password: 'authorization' };

interface Planted {
  vector: Vector;
  positive: boolean;
  format: Format;
  context: Context;
  line: number;
}

const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-recall-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let seq = 0;
const hex = (n: number): string => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(seq * 7 + i * 13) % 16]).join('');
const ts = (): string => new Date(Date.UTC(2024, 4, 1, 8, 0, 0) + seq * 1370).toISOString();

/** The (key, value) a record carries for a vector in a context; Basic credentials always sit under `authorization`. */
function field(v: Vector, positive: boolean, context: Context): [string, string] {
  const value = v.kind === 'password' ? `Basic ${v.value}` : v.value;
  if (!positive) return context === 'labelled' ? ['refValue', v.value] : ['msg', `processed ref ${v.value}`];
  if (v.kind === 'password') return context === 'labelled' ? ['authorization', value] : ['msg', `upstream request Authorization: ${value}`];
  return context === 'labelled' ? [LABEL[v.kind], value] : ['msg', `processed ${value}`];
}

function fillerRecord(format: Format): string[] {
  seq += 1;
  const order = `2024050100${String(100000 + seq)}`;
  switch (format) {
    case 'jsonl':
      return [JSON.stringify({ ts: ts(), level: 'INFO', traceId: hex(32), appId: 'APP1001', uApiId: 'P0101001', orderNo: order, durationMs: seq % 900, status: 200, msg: 'request completed' })];
    case 'text':
      return [`${ts().replace('T', ' ').slice(0, 23)} INFO [http-nio-8443-exec-${seq % 200}] c.b.p.PaymentController - traceId=${hex(32)} orderNo=${order} cost=${seq % 900}ms status=200`];
    case 'logfmt':
      return [`ts=${ts()} level=info traceId=${hex(32)} appId=APP1001 orderNo=${order} durationMs=${seq % 900} status=200 msg="request completed"`];
    case 'access':
      return [`10.1.${seq % 250}.${seq % 199} - - [01/May/2024:08:00:${String(seq % 60).padStart(2, '0')} +0800] "GET /api/v1/orders/${order}?page=${seq % 9} HTTP/1.1" 200 ${512 + seq} "-" "okhttp/4.9.3"`];
    case 'json':
      return ['{', `  "ts": "${ts()}",`, `  "traceId": "${hex(32)}",`, `  "orderNo": "${order}",`, '  "status": 200', '}'];
  }
}

/** Lines of one record carrying a vector, and the index among them of the line holding it. */
function plantedRecord(format: Format, v: Vector, positive: boolean, context: Context): { lines: string[]; at: number } {
  seq += 1;
  const [key, value] = field(v, positive, context);
  const base = { ts: ts(), level: 'INFO', traceId: hex(32) };
  switch (format) {
    case 'jsonl':
      return { lines: [JSON.stringify(key === 'authorization' ? { ...base, request: { headers: { authorization: value } } } : { ...base, [key]: value })], at: 0 };
    case 'text':
      return { lines: [`${ts().replace('T', ' ').slice(0, 23)} INFO [http-nio-8443-exec-${seq % 200}] c.b.p.PaymentController - traceId=${hex(32)} ${key === 'msg' ? value : `${key}=${value}`}`], at: 0 };
    case 'logfmt':
      return { lines: [`ts=${ts()} level=info traceId=${hex(32)} ${key}=${/[\s"]/.test(value) ? JSON.stringify(value) : value} status=200`], at: 0 };
    case 'access': {
      // A request line carries no blanks: grouped card numbers and mobiles appear contiguous in a URL.
      const inUrl = value.replace(/ /g, '');
      const path = key === 'msg' ? `/api/v1/lookup/${inUrl.replace(/^(processed|processed ref) ?/, '').replace(/^(processed|ref)/, '')}` : `/api/v1/query?${key}=${inUrl}`;
      return { lines: [`10.2.${seq % 250}.7 - - [01/May/2024:08:01:${String(seq % 60).padStart(2, '0')} +0800] "GET ${path} HTTP/1.1" 200 ${300 + seq} "-" "okhttp/4.9.3"`], at: 0 };
    }
    case 'json': {
      const member = key === 'authorization' ? `  "request": { "headers": { "authorization": ${JSON.stringify(value)} } },` : `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`;
      return { lines: ['{', `  "ts": "${ts()}",`, `  "traceId": "${hex(32)}",`, member, '  "status": 200', '}'], at: 3 };
    }
  }
}

/**
 * What the README claims: every vector not marked otherwise, except 15-digit first-generation ID numbers in free
 * text, which count only under an ID label or next to an ID keyword (a region code and a yyMMdd date fit one random
 * 15-digit number in eighty).
 */
function claimed(p: Planted): boolean {
  return p.vector.claimed !== false && !(p.vector.kind === 'id-card' && p.vector.value.length === 15 && p.context === 'free');
}

function applies(format: Format, v: Vector): boolean {
  return !(format === 'access' && (v.kind === 'private-key' || v.kind === 'password'));
}

/** Writes one file per format; returns what was planted where. */
function plant(): { files: Record<Format, string>; planted: Planted[] } {
  const planted: Planted[] = [];
  const files = {} as Record<Format, string>;
  for (const format of FORMATS) {
    const lines: string[] = [];
    const push = (record: string[]): void => {
      lines.push(...record);
    };
    for (let i = 0; i < 3; i += 1) push(fillerRecord(format));
    for (const [vectors, positive] of [[POSITIVES, true], [NEGATIVES, false]] as const) {
      for (const vector of vectors) {
        if (!applies(format, vector)) continue;
        for (const context of ['free', 'labelled'] as const) {
          const { lines: record, at } = plantedRecord(format, vector, positive, context);
          planted.push({ vector, positive, format, context, line: lines.length + at + 1 });
          push(record);
          push(fillerRecord(format));
        }
      }
    }
    const file = join(tmp, `planted.${format === 'access' ? 'log' : format}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    files[format] = file;
  }
  return { files, planted };
}

describe('recall on published test vectors planted in five log formats', () => {
  it('finds at least 99 % of the claimed positives and nothing else', async () => {
    const { files, planted } = plant();
    const byLine = new Map<string, Set<string>>(); // `${format}:${line}` → detectors
    const formats: Record<string, string> = {};
    for (const format of FORMATS) {
      const ev = await collectLogs(files[format], { sampleCap: 1_000_000 });
      formats[format] = ev.format;
      for (const d of ev.detections) {
        expect(d.samples.length).toBe(d.count);
        for (const s of d.samples) {
          const key = `${format}:${s.location.line}`;
          if (!byLine.has(key)) byLine.set(key, new Set());
          byLine.get(key)!.add(d.detector);
        }
      }
    }
    // The planted files are read as the formats they are written in.
    expect(formats).toEqual({ jsonl: 'jsonl', text: 'text', logfmt: 'logfmt', access: 'combined', json: 'json' });

    const positives = planted.filter((p) => p.positive);
    const negatives = planted.filter((p) => !p.positive);
    const found = (p: Planted): boolean => DETECTORS[p.vector.kind].some((d) => byLine.get(`${p.format}:${p.line}`)?.has(d));
    const positiveLines = new Set(positives.map((p) => `${p.format}:${p.line}`));
    const falsePositives = [...byLine.entries()]
      .filter(([key]) => !positiveLines.has(key))
      .map(([key, ds]) => {
        const p = planted.find((q) => `${q.format}:${q.line}` === key);
        return `${key} ${[...ds].join(',')}${p ? ` on negative ${p.vector.value} (${p.vector.source})` : ' on a filler line'}`;
      });

    const rows: string[][] = [['kind', ...FORMATS, 'planted', 'found', 'recall', 'negatives', 'false pos.']];
    const kinds = [...new Set(POSITIVES.map((v) => v.kind))];
    for (const kind of kinds) {
      const ofKind = positives.filter((p) => p.vector.kind === kind && claimed(p));
      const negs = negatives.filter((p) => p.vector.kind === kind);
      const fpOn = negs.filter((p) => byLine.has(`${p.format}:${p.line}`)).length;
      const perFormat = FORMATS.map((f) => {
        const inF = ofKind.filter((p) => p.format === f);
        return inF.length ? `${inF.filter(found).length}/${inF.length}` : '–';
      });
      const hit = ofKind.filter(found).length;
      rows.push([kind, ...perFormat, String(ofKind.length), String(hit), `${((100 * hit) / ofKind.length).toFixed(1)} %`, String(negs.length), String(fpOn)]);
    }
    const claimedAll = positives.filter((p) => claimed(p));
    const hitAll = claimedAll.filter(found).length;
    rows.push(['all claimed', ...FORMATS.map(() => ''), String(claimedAll.length), String(hitAll), `${((100 * hitAll) / claimedAll.length).toFixed(1)} %`, String(negatives.length), String(falsePositives.length)]);
    const unclaimed = positives.filter((p) => !claimed(p));
    rows.push(['not claimed', ...FORMATS.map(() => ''), String(unclaimed.length), String(unclaimed.filter(found).length), '', '', '']);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n'));
    const missed = claimedAll.filter((p) => !found(p)).map((p) => `${p.format}/${p.context} ${p.vector.kind} ${p.vector.value} (${p.vector.source})`);
    if (missed.length) console.log(`missed:\n  ${missed.join('\n  ')}`);

    expect(positives.length, 'at least 800 positives planted').toBeGreaterThanOrEqual(800);
    expect(negatives.length, 'at least 300 negatives planted').toBeGreaterThanOrEqual(300);
    expect(falsePositives).toEqual([]);
    expect(hitAll / claimedAll.length, missed.join('\n')).toBeGreaterThanOrEqual(0.99);
  });
});
