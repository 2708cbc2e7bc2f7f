import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, renderCsv } from './csv.js';
import { INJECTION, loadSample, withInjectedText } from './testing.js';

const sample = loadSample();

/** A small RFC 4180 reader: quoted fields may hold commas, quotes ("") and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = readCsv(text.slice(CSV_BOM.length));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe('renderCsv', () => {
  it('starts with a UTF-8 byte-order mark, ends lines with CRLF and has one row per finding (or requirement without one)', () => {
    const csv = renderCsv(sample, { lang: 'zh' });
    expect(csv.startsWith('\uFEFFruleId,clause,subject,levels,obligation,severity,weight,status,statusLabel,source,')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
    const rows = readCsv(csv.slice(1));
    const expected = sample.requirements.reduce((n, r) => n + Math.max(1, sample.findings.filter((f) => f.ruleId === r.ruleId).length), 0);
    expect(rows).toHaveLength(1 + expected);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
  });

  it('carries the requirement, its counts, both texts, the first location, attestation and waiver', () => {
    const byRule = new Map<string, Record<string, string>>();
    for (const r of records(renderCsv(sample, { lang: 'en' }))) if (!byRule.has(r.ruleId!)) byRule.set(r.ruleId!, r);
    expect(byRule.get('logs-no-unmasked-pan')).toMatchObject({
      clause: '9.3.3',
      subject: 'both',
      levels: 'A1 A2',
      obligation: 'shall-not',
      severity: 'critical',
      weight: '10',
      status: 'fail',
      statusLabel: 'Fail',
      source: 'automatic',
      fail: '2',
      pass: '0',
      textZh: '不应采集、存储用户个人金融信息或支付敏感信息。',
      remediation: 'Mask card numbers before they are logged (keep first 6 / last 4 at most).',
      firstLocation: 'fixtures/huadong-bank/logs/access.jsonl:1832:88',
    });
    expect(byRule.get('secure-coding-standard')).toMatchObject({
      status: 'manual-pass',
      attestationAnswer: 'yes',
      attestationAssessor: '张伟（安全评估组）',
      attestationDate: '2026-11-12',
    });
    expect(byRule.get('rate-limiting')).toMatchObject({
      status: 'waived',
      waiverOwner: '李娜 <lina@huadong-bank.example>',
      waiverExpires: '2027-03-31',
    });
    expect(byRule.get('tls-version-1-2')!.firstLocation).toBe('openapi.huadong-bank.example:443');
    expect(byRule.get('error-info-no-internal-leak')!.firstLocation).toBe('fixtures/huadong-bank/openapi.yaml:214:17');
  });

  it('is a working paper: each finding with its message, location, masked evidence and waiver; answers with evidence and note', () => {
    const rows = records(renderCsv(sample, { lang: 'zh' }));
    const pan = rows.filter((r) => r.ruleId === 'logs-no-unmasked-pan');
    expect(pan.map((r) => [r.findingStatus, r.findingMessage, r.findingLocation, r.findingEvidence])).toEqual([
      ['fail', '访问日志第 1832 行记录了未去标识化的银行卡号', 'fixtures/huadong-bank/logs/access.jsonl:1832:88', '"cardNo":"622202******1234","mobile":"138****5678"'],
      ['fail', '访问日志第 2290 行的查询参数中出现银行卡号', 'fixtures/huadong-bank/logs/access.jsonl:2290:41', 'GET /v1/cards?pan=621700******0019&idNo=110105********1234'],
    ]);
    const waived = rows.find((r) => r.ruleId === 'rate-limiting' && r.findingStatus === 'fail')!;
    expect(waived.findingWaiver).toBe('限流由上游 WAF 统一实施，网关迁移完成前暂不在 Kong 配置 (CHG-2026-0871) · 李娜 <lina@huadong-bank.example> · 2027-03-31');
    const rotation = rows.find((r) => r.ruleId === 'key-periodic-rotation')!;
    expect(rotation).toMatchObject({ attestationEvidence: '密钥管理台账（2026-10）', attestationNote: 'App_Secret 自 2023 年签发后未轮换' });
  });

  it('follows --lang for the outcome label and remediation', () => {
    const zh = new Map(records(renderCsv(sample, { lang: 'zh' })).map((r) => [r.ruleId, r]));
    expect(zh.get('key-periodic-rotation')).toMatchObject({ statusLabel: '人工确认不符合', remediation: '按接口级别设定密钥有效期（A2 不超过 1 年），建立轮换台账。' });
  });

  it('quotes per RFC 4180 and defuses formula injection', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=x')).toBe("'\t=x");
    const rows = records(renderCsv(withInjectedText(sample), { lang: 'en' }));
    for (const row of rows) {
      expect(row.remediation).toBe(`'${INJECTION}`);
      for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@]/);
    }
  });

  it('renders the same result byte-identically', () => {
    expect(renderCsv(sample, { lang: 'zh' })).toBe(renderCsv(structuredClone(sample), { lang: 'zh' }));
  });
});
