import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentResult } from '../model/result.js';
import { escapeHtml, renderHtml } from './html.js';
import { loadSample, INJECTION, withInjectedText } from './testing.js';

const CHROMIUM = '/usr/bin/chromium';
const sample = loadSample();

/** The visible text of the document, roughly: tags dropped, the entities we emit decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe('renderHtml cover and front matter', () => {
  it('shows every report metadata key, and "not provided" for one that was not given', () => {
    const text = visibleText(renderHtml(sample, { lang: 'zh' }));
    for (const fragment of [
      '报告编号 HDB-JRT-2026-017',
      '委托方 华东商业银行股份有限公司 金融科技部',
      '被评估方 华东商业银行 开放银行 API 平台',
      '评估机构 示例信息安全测评中心',
      '评估人员 张伟、王芳',
      '审核人 陈静',
      '批准人 刘洋',
      '评估期间 2026-11-02 至 2026-11-20',
      '评估范围 开放银行 API 平台生产环境',
      '评估方法 自动检查、在线探测与人工确认相结合',
      '局限性说明 未对应用方侧系统进行现场检查',
      '依据标准 JR/T 0185-2020（2020 年版） 商业银行应用程序接口安全管理规范',
      '评估配置 安全级别 A2 · 评估角色 商业银行',
      '时区 Asia/Shanghai',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(fragment);
    }
    const bare = structuredClone(sample);
    delete bare.report!.approver;
    expect(renderHtml(bare, { lang: 'en' })).toContain('<dt>Approver</dt><dd data-field="approver" class="missing">(not provided)</dd>');
  });

  it('writes the conclusion from the result: both scores, coverage, failed critical requirements, what was not reviewed', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    const conclusion = visibleText(html.slice(html.indexOf('<section class="conclusion"'), html.indexOf('</section>', html.indexOf('<section class="conclusion"'))));
    expect(conclusion).toContain('覆盖率 92.9%');
    expect(conclusion).toContain('总体得分 25.9（未评审的要求按 0 分计入）；已评估要求得分 26.4');
    expect(conclusion).toContain('严重级强制性要求未满足 2 项：tls-secure-channel（9.2.2）、logs-no-unmasked-pan（9.3.3）。');
    expect(conclusion).toContain('未评审的要求 1 项（条款 7.1），本报告对其符合情况不作结论。');
    expect(conclusion).toContain('门禁未通过。');
    expect(conclusion).toContain('门禁规则：任一严重（critical）级别的强制性要求（应 / 不应）未满足，即判定不通过；总体得分低于 60，即不通过；覆盖率低于 80%，即不通过');
    const en = visibleText(renderHtml(sample, { lang: 'en' }));
    expect(en).toContain('2 critical mandatory requirement(s) failed: tls-secure-channel (9.2.2), logs-no-unmasked-pan (9.3.3).');
    expect(en).toContain('1 requirement(s) were not reviewed (clauses 7.1); this report draws no conclusion about them.');
  });

  it('has signature blocks 编制 / 审核 / 批准 with name and date and an empty box to sign', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    expect(html).toContain('<tr data-sign="prepared"><th>编制</th><td class="sign-name">张伟、王芳</td><td class="sign-box"></td><td class="sign-date">2026-11-20</td></tr>');
    expect(html).toContain('<tr data-sign="reviewed"><th>审核</th><td class="sign-name">陈静</td><td class="sign-box"></td>');
    expect(html).toContain('<tr data-sign="approved"><th>批准</th><td class="sign-name">刘洋</td><td class="sign-box"></td>');
  });

  it('numbers printed pages and puts the report number in the page header, escaped as CSS text', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    expect(html).toContain('@bottom-center{content:"第 " counter(page) " 页 / 共 " counter(pages) " 页"');
    expect(html).toContain('@top-left{content:"报告编号: HDB-JRT-2026-017"');
    const hostile = structuredClone(sample);
    hostile.report!.reportNumber = 'X"}</style><script>alert(1)</script>\\';
    const out = renderHtml(hostile, { lang: 'en' });
    const css = out.slice(out.indexOf('<style>') + '<style>'.length, out.indexOf('</style>'));
    expect(css).not.toContain('<');
    expect(css).toContain('@top-left{content:"Report number: X\\22 \\7d \\3c /style\\3e \\3c script\\3e alert\\28 1\\29 \\3c /script\\3e \\5c "');
  });

  it('dates the report in its time zone, not UTC', () => {
    const late = structuredClone(sample);
    late.generatedAt = '2026-11-20T18:30:00.000Z'; // 02:30 on the 21st in Shanghai
    const flat = (html: string) => visibleText(html).replace(/\s+/g, ' ');
    expect(flat(renderHtml(late, { lang: 'zh' }))).toContain('报告日期 2026-11-21');
    late.report!.timeZone = 'Europe/London';
    expect(flat(renderHtml(late, { lang: 'zh' }))).toContain('报告日期 2026-11-20');
  });

  it('shows absolute input paths relative to the working directory it is given', () => {
    const abs = structuredClone(sample);
    abs.inputs[0]!.file = '/home/assessor/work/fixtures/huadong-bank/openapi.yaml';
    abs.findings[0]!.location!.file = '/home/assessor/work/fixtures/huadong-bank/openapi.yaml';
    const text = visibleText(renderHtml(abs, { lang: 'zh', baseDir: '/home/assessor/work' }));
    expect(text).not.toContain('/home/assessor');
    expect(text).toContain('fixtures/huadong-bank/openapi.yaml');
  });

  it('says what each score means, and no longer claims the score reflects only what was assessed', () => {
    for (const lang of ['zh', 'en'] as const) {
      const text = visibleText(renderHtml(sample, { lang }));
      expect(text).not.toContain('覆盖率较低');
      expect(text).not.toContain('the score reflects only what was assessed');
    }
    const text = visibleText(renderHtml(sample, { lang: 'en' }));
    expect(text).toContain('Overall score: every applicable requirement counts by its weight and requirements not reviewed count as 0');
    expect(text).toContain('Score over assessed requirements: only requirements with an outcome');
  });
});

describe('renderHtml evidence for passes', () => {
  it('lists what a passing requirement examined, with its places, instead of a bare pass count', () => {
    const result = structuredClone(sample);
    const passing = result.requirements.find((r) => r.status === 'pass')!;
    result.findings = result.findings.filter((f) => !(f.ruleId === passing.ruleId && f.status === 'pass'));
    result.findings.push({
      ruleId: passing.ruleId,
      clause: passing.clause,
      check: 'openapi.serversHttps',
      status: 'pass',
      severity: passing.severity,
      messageId: 'examined',
      message: { zh: '已检查 1 份 OpenAPI 描述中的 2 个接口操作、1 个服务地址', en: 'examined 2 operations and 1 server URL in 1 OpenAPI description' },
      locations: [
        { file: 'fixtures/huadong-bank/openapi.yaml', line: 20, column: 5, subject: 'GET /accounts' },
        { file: 'fixtures/huadong-bank/openapi.yaml', line: 44, column: 5, subject: 'POST /payments' },
      ],
      fingerprint: '0'.repeat(32),
    });
    const html = renderHtml(result, { lang: 'zh' });
    const row = html.slice(html.indexOf(`id="req-${passing.ruleId}"`), html.indexOf('</tr>', html.indexOf(`id="req-${passing.ruleId}"`)));
    expect(row).toContain(
      '<div class="examined"><strong>已检查</strong><ul><li>已检查 1 份 OpenAPI 描述中的 2 个接口操作、1 个服务地址<ul class="locations"><li><code>fixtures/huadong-bank/openapi.yaml:20:5</code> GET /accounts</li><li><code>fixtures/huadong-bank/openapi.yaml:44:5</code> POST /payments</li></ul></li></ul></div>',
    );
    expect(row).not.toContain('passed-count');
  });
});

describe('renderHtml order', () => {
  it('lists the requirements of a clause in the standard\'s sentence order (the rulebook\'s), not by id', () => {
    const result = structuredClone(sample);
    const [, first, second] = result.requirements.filter((r) => r.clause === '7.1');
    expect(first!.ruleId > second!.ruleId).toBe(true); // the sample lists 7.1 out of alphabetical order
    const html = renderHtml(result, { lang: 'zh' });
    expect(html.indexOf(`id="req-${first!.ruleId}"`)).toBeLessThan(html.indexOf(`id="req-${second!.ruleId}"`));
  });
});

describe('renderHtml structure', () => {
  it('puts the cover facts first: subject, profile, date, tool and rulebook versions, input digests', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    const text = visibleText(html);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(text).toContain('华东商业银行 开放银行 API');
    expect(text).toContain('安全级别 A2');
    expect(text.replace(/\s+/g, ' ')).toContain('报告日期 2026-11-20');
    expect(text).not.toContain('08:30:00');
    expect(text).toContain('jrt0185 0.1.0');
    expect(text).toContain(sample.rulebook.digest);
    for (const input of sample.inputs) {
      expect(text).toContain(input.file);
      expect(text).toContain(input.sha256);
    }
  });

  it('shows score and coverage as figures and as SVG gauges and one bar per chapter 7–12 and B', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    expect(html).toContain('data-figure="score">25.9</text>');
    expect(html).toContain('data-figure="score-assessed">26.4</text>');
    expect(html).toContain('data-figure="coverage">92.9</text>');
    for (const chapter of ['7', '8', '9', '10', '11', '12', 'B']) expect(html).toContain(`<g class="clause-bar" data-clause="${chapter}">`);
    expect(html.match(/<svg /g)?.length).toBe(5);
  });

  it('has a section per chapter with each requirement, its outcome, the standard\'s words and the remediation', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    for (const chapter of ['7', '9', '10', '12', 'B']) expect(html).toContain(`<section class="chapter" id="clause-${chapter}">`);
    for (const requirement of sample.requirements) expect(html).toContain(`id="req-${requirement.ruleId}"`);
    const text = visibleText(html);
    expect(text).toContain('应采用 SSL/TLS等安全通道连接进行通信。');
    expect(text).toContain('删除所有 http:// 服务地址，网关仅监听 HTTPS 端口。');
    expect(text).toContain('人工确认不符合');
    expect(text).toContain('已豁免');
    expect(text).toContain('未评审');
  });

  it('prints evidence with file:line:column and the masked excerpt exactly as the model holds it', () => {
    const text = visibleText(renderHtml(sample, { lang: 'zh' }));
    expect(text).toContain('fixtures/huadong-bank/logs/access.jsonl:1832:88');
    expect(text).toContain('"cardNo":"622202******1234","mobile":"138****5678"');
    expect(text).toContain('GET /v1/cards?pan=621700******0019&idNo=110105********1234');
    expect(text).toContain('openapi.huadong-bank.example:443');
    // A pointer-only location falls back to file#pointer.
    const pointerOnly = structuredClone(sample);
    delete pointerOnly.findings[0]!.location!.line;
    expect(visibleText(renderHtml(pointerOnly, { lang: 'zh' }))).toContain(
      'fixtures/huadong-bank/openapi.yaml#/paths/~1accounts~1{accountId}/get/responses/500/content/application~1json/example',
    );
  });

  it('badges findings new against the baseline and shows a finding\'s own waiver', () => {
    const html = renderHtml(sample, { lang: 'en' });
    expect(html).toContain('<span class="badge st-fail">Fail</span> <span class="badge st-new">new</span> A card number appears in a query parameter');
    expect(html.match(/class="badge st-new"/g)).toHaveLength(1);
    expect(visibleText(html)).toContain('waived — Reason: 限流由上游 WAF 统一实施');
  });

  it('lists attestation answers with assessor and date, and waivers with reason, owner and expiry', () => {
    const text = visibleText(renderHtml(sample, { lang: 'zh' }));
    expect(text).toMatch(/secure-coding-standard\s+7\.1\s+是\s+张伟（安全评估组）\s+2026-11-12\s+2027-11-12/);
    expect(text).toMatch(/key-periodic-rotation\s+7\.3\.4\s+否\s+王芳\s+2026-11-13/);
    expect(text).toMatch(/rate-limiting\s+7\.3\.2\s+已豁免\s+限流由上游 WAF.*李娜 <lina@huadong-bank.example>\s+2027-03-31/);
    expect(text).toContain('检查 uapi.serviceCategory 在 fixtures/huadong-bank/openapi.yaml:120 执行失败');
  });

  it('speaks English with --lang en and gives the standard\'s Chinese words beside the translation', () => {
    const html = renderHtml(sample, { lang: 'en' });
    const text = visibleText(html);
    expect(html).toContain('<html lang="en">');
    expect(text).toContain('JR/T 0185-2020 Commercial Bank API Security Assessment Report');
    expect(text).toContain('Communication shall use a secure channel such as SSL/TLS.');
    expect(text).toContain('应采用 SSL/TLS等安全通道连接进行通信。');
    expect(text).toContain('Remove every http:// server URL');
    expect(text).toContain('Waived requirements');
    expect(text).not.toContain('删除所有 http:// 服务地址');
  });

  it('has a print stylesheet that starts each chapter on a new page', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    const print = html.slice(html.indexOf('@media print{'), html.indexOf('</style>'));
    expect(print).toContain('section.chapter,section.appendix,section.front-matter,section.overview{break-before:page}');
    expect(print).toContain('tr,li,pre{break-inside:avoid}');
  });

  it('is self-contained: no script, no external reference, and a CSP that forbids any fetch', () => {
    const html = renderHtml(sample, { lang: 'en' });
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('renders the same result byte-identically', () => {
    expect(renderHtml(sample, { lang: 'zh' })).toBe(renderHtml(structuredClone(sample), { lang: 'zh' }));
  });
});

describe('renderHtml escaping', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('never lets spec, config, attestation or waiver text become markup', () => {
    for (const lang of ['zh', 'en'] as const) {
      const html = renderHtml(withInjectedText(sample), { lang });
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toMatch(/<[^>]*\sonerror=/i);
      expect(html).not.toContain('"><svg onload');
      // Every planted value is still shown, as text.
      expect(visibleText(html)).toContain(INJECTION);
    }
  });
});

describe('renderHtml in headless Chromium', () => {
  const haveChromium = existsSync(CHROMIUM);
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jrt0185-html-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!haveChromium)(
    'renders with no console error and no network request, shows the key figures, and screenshots (skipped without /usr/bin/chromium)',
    async () => {
      const { chromium } = await import('playwright-core');
      const htmlFile = join(dir, 'report.html');
      // The injected variant: if any planted markup ran, a console error or a request would show it.
      const result: AssessmentResult = withInjectedText(sample);
      writeFileSync(htmlFile, renderHtml(result, { lang: 'zh' }));
      // A new, empty profile: no extension, cached page or synced setting can add a request of its own.
      const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1200, height: 900 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage();
        const consoleErrors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        });
        page.on('pageerror', (e) => consoleErrors.push(e.message));
        page.on('request', (r) => {
          if (r.url() !== `file://${htmlFile}`) requests.push(r.url());
        });
        await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
        expect(await page.textContent('[data-figure="score"]')).toBe('25.9');
        expect(await page.textContent('[data-figure="coverage"]')).toBe('92.9');
        expect(await page.locator('section.chapter').count()).toBe(7);
        expect(await page.locator('tr.req').count()).toBe(sample.requirements.length);
        expect(await page.locator('script, img, iframe').count()).toBe(0);
        const png = join(dir, 'report.png');
        await page.screenshot({ path: png, fullPage: false });
        expect(statSync(png).size).toBeGreaterThan(10_000);
        expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
        const pdf = await page.pdf({ format: 'A4' });
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(consoleErrors).toEqual([]);
        expect(requests).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
