import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown, renderMarkdown } from './markdown.js';
import { INJECTION, loadSample, withInjectedText } from './testing.js';

const sample = loadSample();

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\|\s?|\s?\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The GFM tables of a document: runs of consecutive lines starting with a pipe. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length) out.push(current), (current = []);
  }
  if (current.length) out.push(current);
  return out;
}

describe('renderMarkdown', () => {
  it('opens with the verdict line: gate, score, coverage, profile and time', () => {
    const md = renderMarkdown(sample, { lang: 'en' });
    const lines = md.split('\n');
    // The assessed party of the report metadata names the subject when given.
    expect(lines[0]).toBe('## JR/T 0185-2020 — 华东商业银行 开放银行 API 平台');
    // The date is the run's date in the report's zone (Asia/Shanghai by default), not a UTC stamp.
    expect(lines[2]).toBe('**❌ Gate failed** · Overall score **25.9** · Score over assessed requirements **26.4** · Coverage **92.9%** · A2 / Bank · 2026-11-20');
    expect(md).toContain('- A critical shall requirement failed: tls-secure-channel \\(9.2.2\\)');
  });

  it('has a score and coverage table with a row per chapter', () => {
    const md = renderMarkdown(sample, { lang: 'zh' });
    const table = tables(md).find((t) => t[0]!.startsWith('| 条款 | 标题 |'))!;
    expect(table).toHaveLength(2 + sample.clauses.length);
    expect(cells(table[0]!)).toEqual(['条款', '标题', '得分', '覆盖率', '结果', '要求']);
    expect(cells(table[4]!)).toEqual(['9', '安全集成', '23', '100%', '不符合', '5']);
    expect(cells(table[3]!)).toEqual(['8', '安全部署', '—', '—', '不适用', '0']);
  });

  it('says under a passed requirement what its checks examined', () => {
    const result = structuredClone(sample);
    const passing = result.requirements.find((r) => r.status === 'pass')!;
    result.findings.push({
      ruleId: passing.ruleId,
      clause: passing.clause,
      status: 'pass',
      severity: passing.severity,
      messageId: 'examined',
      message: { zh: '已检查 2 个日志文件中的 120 条记录（共 121 行）', en: 'examined 120 records (121 lines) in 2 log files' },
      fingerprint: '0'.repeat(32),
    });
    const md = renderMarkdown(result, { lang: 'en' });
    expect(md).toContain(`${passing.clause} \`${passing.ruleId}\` — Pass: `);
    expect(md).toMatch(new RegExp(`\`${passing.ruleId}\` — Pass: [^\\n]*\\n  - examined 120 records \\\\\\(121 lines\\\\\\) in 2 log files`));
  });

  it('lists failed requirements with findings (file:line, masked excerpt) and remediation', () => {
    const md = renderMarkdown(sample, { lang: 'zh' });
    expect(md).toContain('### 不符合的要求 (6)');
    expect(md).toContain('#### 9.3.3 `logs-no-unmasked-pan` — 不符合 · 严重 · 不应');
    expect(md).toContain(
      '- **不符合** `fixtures/huadong-bank/logs/access.jsonl:1832:88` 访问日志第 1832 行记录了未去标识化的银行卡号\n  `"cardNo":"622202******1234","mobile":"138****5678"`',
    );
    expect(md).toContain('**整改建议:** 在日志输出前对卡号做去标识化处理（保留前六后四）。');
    expect(md).toContain('- 答复: 否 · 评估人: 王芳 · 2026-11-13 · App\\_Secret 自 2023 年签发后未轮换');
    // Passing findings are not listed among what to fix.
    expect(md).not.toContain('https://openapi.huadong-bank.example/v1 使用 HTTPS');
  });

  it('marks findings that are new against the baseline', () => {
    const md = renderMarkdown(sample, { lang: 'en' });
    expect(md).toContain('- **Fail** _🆕 new_ `fixtures/huadong-bank/logs/access.jsonl:2290:41`');
    expect(md).toContain('- **Fail** `fixtures/huadong-bank/logs/access.jsonl:1832:88`');
  });

  it('folds passed, not-reviewed and waived/n-a requirements into <details>', () => {
    const md = renderMarkdown(sample, { lang: 'en' });
    expect(md).toContain('<details>\n<summary>Passed requirements (4)</summary>');
    expect(md).toContain('<details>\n<summary>Requirements not reviewed (1)</summary>');
    expect(md).toContain('<details>\n<summary>Other requirements (2)</summary>');
    expect(md).toMatch(/- 7\.3\.2 `rate-limiting` — Waived: .*Owner: 李娜 \\<lina@huadong-bank\.example\\>; Expires: 2027-03-31/);
    expect(md).toContain('_(Assessor: 张伟（安全评估组）, 2026-11-12)_');
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
  });

  it('escapes pipes, backticks, links and HTML so hostile text stays text and tables keep their shape', () => {
    const rendered = renderMarkdown(withInjectedText(sample), { lang: 'en' });
    // Evidence lines are code spans: their content is shown verbatim by every Markdown renderer, never parsed.
    const evidenceLines = rendered.split('\n').filter((l) => /^ {2}`/.test(l));
    expect(evidenceLines.length).toBeGreaterThan(0);
    for (const line of evidenceLines) expect(line).toMatch(/^ {2}(`+).*[^`]\1$/);
    const md = rendered
      .split('\n')
      .filter((l) => !/^ {2}`/.test(l))
      .join('\n');
    expect(md).not.toMatch(/(?<!\\)<script/);
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).not.toMatch(/(?<!\\)\[x\]\(javascript:/);
    // Every table keeps its shape: each row has as many cells as its header.
    const all = tables(md);
    expect(all.length).toBe(4);
    for (const table of all) for (const row of table) expect(cells(row)).toHaveLength(cells(table[0]!).length);
    expect(escapeMarkdown('a|b`c<d>[e](f)*g_\nh')).toBe('a\\|b\\`c\\<d\\>\\[e\\]\\(f\\)\\*g\\_ h');
    // Excerpts keep every character inside a code span whose fence outgrows the backticks in them.
    expect(codeSpan('x`y')).toBe('``x`y``');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
    expect(codeSpan('a|b', true)).toBe('`a\\|b`');
    const withTicks = structuredClone(sample);
    withTicks.findings.find((f) => f.ruleId === 'logs-no-unmasked-pan')!.evidence = 'pan=`621700******0019`';
    expect(renderMarkdown(withTicks, { lang: 'en' })).toContain('`` pan=`621700******0019` ``');
    expect(evidenceLines.some((l) => l.includes(INJECTION))).toBe(true);
  });

  it('renders the same result byte-identically', () => {
    expect(renderMarkdown(sample, { lang: 'zh' })).toBe(renderMarkdown(structuredClone(sample), { lang: 'zh' }));
  });
});
