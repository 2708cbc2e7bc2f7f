import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from './junit.js';
import { INJECTION, loadSample, withInjectedText } from './testing.js';

const sample = loadSample();

type Case = { '@_classname': string; '@_name': string; failure?: Outcome; error?: Outcome; skipped?: { '@_message': string } };
type Outcome = { '@_message': string; '@_type': string; '#text': string };
type Suite = { '@_name': string; '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; testcase: Case[] };

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
  return parser.parse(xml).testsuites as { '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; testsuite: Suite[] };
}

describe('renderJunit', () => {
  it('has a suite per chapter and a case per requirement, with counts that match the cases', () => {
    const root = parse(renderJunit(sample, { lang: 'en' }));
    expect(root.testsuite.map((s) => s['@_name'])).toEqual([
      'JR/T 0185-2020 7 Security design',
      'JR/T 0185-2020 9 Security integration',
      'JR/T 0185-2020 10 Security operation and maintenance',
      'JR/T 0185-2020 12 Security management',
      'JR/T 0185-2020 B Coding rules of the uniform API ID',
    ]);
    const cases = root.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(sample.requirements.length);
    // fail ×4 + manual-fail ×1 → failure; error ×1; not-reviewed, n/a, waived → skipped.
    expect(root).toMatchObject({ '@_tests': '13', '@_failures': '5', '@_errors': '1', '@_skipped': '3' });
    for (const suite of root.testsuite) {
      expect(Number(suite['@_tests'])).toBe(suite.testcase.length);
      expect(Number(suite['@_failures'])).toBe(suite.testcase.filter((c) => c.failure).length);
      expect(Number(suite['@_errors'])).toBe(suite.testcase.filter((c) => c.error).length);
      expect(Number(suite['@_skipped'])).toBe(suite.testcase.filter((c) => c.skipped).length);
    }
  });

  it('maps each outcome: fail and manual-fail → failure, error → error, passes pass, the rest skipped', () => {
    const cases = parse(renderJunit(sample, { lang: 'en' })).testsuite.flatMap((s) => s.testcase);
    const byRule = new Map(cases.map((c) => [c['@_name'].split(':')[0], c]));
    const kind = (id: string) => {
      const c = byRule.get(id)!;
      return c.failure ? 'failure' : c.error ? 'error' : c.skipped ? 'skipped' : 'passed';
    };
    expect(kind('tls-secure-channel')).toBe('failure');
    expect(kind('key-periodic-rotation')).toBe('failure');
    expect(kind('uapi-id-service-category')).toBe('error');
    expect(kind('session-token-lifetime')).toBe('passed');
    expect(kind('secure-coding-standard')).toBe('passed');
    expect(kind('developer-secure-coding-training')).toBe('skipped');
    expect(kind('a2-mutual-authentication')).toBe('skipped');
    expect(kind('rate-limiting')).toBe('skipped');
    expect(byRule.get('rate-limiting')!.skipped!['@_message']).toBe(
      'Waived — Reason: 限流由上游 WAF 统一实施，网关迁移完成前暂不在 Kong 配置 (CHG-2026-0871); Owner: 李娜 <lina@huadong-bank.example>; Expires: 2027-03-31',
    );
  });

  it('names a case `ruleId: text` under its clause and lists the findings with file:line and masked excerpt', () => {
    const cases = parse(renderJunit(sample, { lang: 'zh' })).testsuite.flatMap((s) => s.testcase);
    const pan = cases.find((c) => c['@_name'].startsWith('logs-no-unmasked-pan:'))!;
    expect(pan['@_classname']).toBe('JR/T 0185-2020.9.3.3');
    expect(pan['@_name']).toBe('logs-no-unmasked-pan: 不应采集、存储用户个人金融信息或支付敏感信息。');
    expect(pan.failure!['@_type']).toBe('shall-not/critical');
    expect(pan.failure!['@_message']).toBe('不符合: [不符合] fixtures/huadong-bank/logs/access.jsonl:1832:88 访问日志第 1832 行记录了未去标识化的银行卡号');
    const body = pan.failure!['#text'];
    expect(body).toContain('"cardNo":"622202******1234","mobile":"138****5678"');
    expect(body).toContain('fixtures/huadong-bank/logs/access.jsonl:2290:41');
    expect(body).toContain('整改建议: 在日志输出前对卡号做去标识化处理（保留前六后四）。');
    const attested = cases.find((c) => c['@_name'].startsWith('key-periodic-rotation:'))!;
    expect(attested.failure!['#text']).toContain('答复: 否 (评估人: 王芳, 2026-11-13)');
  });

  it('escapes markup and strips characters XML 1.0 forbids', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe\uD800f\u0009\n')).toBe('abcdef\t\n');
    expect(escapeXml(`<x a="1" b='2'>&</x>`)).toBe('&lt;x a=&quot;1&quot; b=&apos;2&apos;&gt;&amp;&lt;/x&gt;');
    expect(escapeXml('😀')).toBe('😀');
    const hostile = withInjectedText(sample);
    hostile.findings[0]!.message.en += '\u0001\u000B]]>';
    const xml = renderJunit(hostile, { lang: 'en' });
    const root = parse(xml);
    expect(xml).not.toMatch(/[\u0001\u000B]/);
    expect(xml).not.toContain('<script');
    const cases = root.testsuite.flatMap((s) => s.testcase);
    // Parsed back, the planted text is exactly what the model held: escaped on the way out, nothing lost.
    expect(cases.every((c) => c['@_name'].endsWith(INJECTION))).toBe(true);
  });

  it('renders the same result byte-identically', () => {
    expect(renderJunit(sample, { lang: 'en' })).toBe(renderJunit(structuredClone(sample), { lang: 'en' }));
  });
});
