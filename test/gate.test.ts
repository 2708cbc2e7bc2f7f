/**
 * The gate a pipeline relies on, end to end through the CLI: configuration file and flag precedence, waivers,
 * baselines, attestation errors, `report` re-rendering and `diff`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const LEAKY = 'fixtures/leaky-bank/jrt0185.config.yaml';
const COMPLIANT = 'fixtures/compliant-bank/jrt0185.config.yaml';
const ENV = { SOURCE_DATE_EPOCH: '1795996800' };
let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const json = (out: string) => JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrt-gate-'));
});

describe('configuration file', () => {
  it('flags override it, key by key', async () => {
    const out = join(dir, 'cfg');
    const r = await runCli(['assess', '--config', COMPLIANT, '--level', 'A1', '--role', 'app', '--format', 'json', '--out', out], ENV);
    // The fixture's own gate (minCoverage 95) still applies: its answers cover the bank's sentences, not the app's.
    expect(r.code).toBe(1);
    expect(json(out).gate.criteria).toMatchObject({ failUnder: 90, minCoverage: 95 });
    expect(json(out).profile).toEqual({ level: 'A1', role: 'app' });
    expect(json(out).subjectName).toBe('示范商业银行开放平台');
  });
  it('an unknown key or a bad value is an input error with file:line', async () => {
    const cfg = file('bad.config.yaml', 'level: A2\nopenapi: x.yaml\ncolour: blue\ngate:\n  failUnder: 120\n');
    const r = await runCli(['assess', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:3:9: (top level): unknown property "colour"`);
    expect(r.stderr).toContain(`${cfg}:5:14: /gate/failUnder: must be <= 100`);
  });
});

describe('waivers', () => {
  it('an active waiver takes a failed requirement out of the score and the gate; an expired one is reported and not applied', async () => {
    const waivers = file(
      'waivers.yaml',
      [
        'waivers:',
        '  - ruleId: tls-minimum-version',
        '    reason: 老版本 SDK 迁移期，2027 年一季度关闭 TLS 1.0/1.1',
        '    owner: 开放平台运维组',
        '    expires: 2027-03-31',
        '  - ruleId: api-call-flow-control',
        '    match: { file: "fixtures/leaky-bank/gateway/*.conf" }',
        '    reason: 上游 F5 限流',
        '    owner: 网络组',
        '    expires: 2026-01-31',
      ].join('\n'),
    );
    const out = join(dir, 'waived');
    await runCli(['assess', '--config', LEAKY, '--waivers', waivers, '--format', 'json', '--out', out], ENV);
    const result = json(out);
    const req = (id: string) => result.requirements.find((r: { ruleId: string }) => r.ruleId === id);
    expect(req('tls-minimum-version')).toMatchObject({ status: 'waived', weight: 0, waiver: { owner: '开放平台运维组', expires: '2027-03-31' } });
    expect(req('api-call-flow-control').status).toBe('fail');
    expect(result.warnings.map((w: { en: string }) => w.en)).toContain('waiver for api-call-flow-control expired on 2026-01-31 and was not applied (owner 网络组)');
  });
  it('reason, owner and expiry are required; unknown rule ids are errors', async () => {
    const waivers = file('bad-waivers.yaml', 'waivers:\n  - ruleId: no-such-rule\n    reason: x\n    owner: y\n    expires: 2027-01-01\n  - ruleId: tls-minimum-version\n    reason: x\n');
    const r = await runCli(['assess', '--config', LEAKY, '--waivers', waivers]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${waivers}:2:13: waivers[0]: unknown rule id "no-such-rule"`);
    expect(r.stderr).toContain(`${waivers}:6:5: waivers[1] needs "owner"`);
  });
});

describe('baseline', () => {
  it('only new failures trip the gate', async () => {
    const first = join(dir, 'base1');
    expect((await runCli(['assess', '--config', LEAKY, '--format', 'json', '--out', first], ENV)).code).toBe(1);
    const second = join(dir, 'base2');
    const again = await runCli(['assess', '--config', LEAKY, '--baseline', join(first, 'jrt0185-report.json'), '--format', 'json', '--out', second], ENV);
    expect(again.code).toBe(0);
    expect(json(second).findings.every((f: { new: boolean }) => f.new === false)).toBe(true);
    // Against the compliant bank's result, every failure of the leaky bank is new.
    const clean = join(dir, 'base3');
    await runCli(['assess', '--config', COMPLIANT, '--format', 'json', '--out', clean], ENV);
    const worse = await runCli(['assess', '--config', LEAKY, '--baseline', join(clean, 'jrt0185-report.json'), '--format', 'json', '--out', join(dir, 'base4')], ENV);
    expect(worse.code).toBe(1);
  });
  it('a file that is not a jrt0185 result is an input error', async () => {
    const bogus = file('bogus.json', '{"hello": 1}');
    const r = await runCli(['assess', '--config', LEAKY, '--baseline', bogus]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bogus}:1: not a jrt0185 JSON result`);
  });
});

describe('attestation answers', () => {
  it('unknown rule ids, bad dates and missing fields are input errors with file:line', async () => {
    const attest = file(
      'attest.yaml',
      ['assessor: 李静', 'date: 2026-11-20', 'answers:', '  no-such-rule:', '    answer: yes', '  secure-coding-standard:', '    answer: yes', '  secure-coding-training:', '    answer: no', '  code-security-audit:', '    answer: yes', '    evidence: AUD-1', '    date: 2026-13-01'].join('\n'),
    );
    const r = await runCli(['assess', '--config', COMPLIANT, '--attest', attest]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `jrt0185: ${attest}:5:5: unknown rule id "no-such-rule" (see \`jrt0185 rules\`)`,
      `jrt0185: ${attest}:7:5: a "yes" for secure-coding-standard needs an evidence reference (document, record, screenshot)`,
      `jrt0185: ${attest}:9:5: a "no" for secure-coding-training needs a note saying why`,
      `jrt0185: ${attest}:13:11: date "2026-13-01" for code-security-audit is not a valid YYYY-MM-DD date`,
    ]);
  });
});

describe('report and diff', () => {
  it('report re-renders a saved result byte-identically to the run that produced it', async () => {
    const out = join(dir, 'rr1');
    await runCli(['assess', '--config', LEAKY, '--format', 'json,html,markdown', '--out', out, '--lang', 'en'], ENV);
    const again = join(dir, 'rr2');
    expect((await runCli(['report', join(out, 'jrt0185-report.json'), '--format', 'html,markdown', '--out', again, '--lang', 'en'])).code).toBe(0);
    for (const f of ['jrt0185-report.html', 'jrt0185-report.md']) expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  });
  it('diff shows regressions and exits 1; the other way round, improvements and 0', async () => {
    const good = join(dir, 'd1');
    const bad = join(dir, 'd2');
    await runCli(['assess', '--config', COMPLIANT, '--format', 'json', '--out', good], ENV);
    await runCli(['assess', '--config', LEAKY, '--format', 'json', '--out', bad], ENV);
    const worse = await runCli(['diff', join(good, 'jrt0185-report.json'), join(bad, 'jrt0185-report.json'), '--lang', 'en']);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain('secure-channel-transport');
    const better = await runCli(['diff', join(bad, 'jrt0185-report.json'), join(good, 'jrt0185-report.json'), '--lang', 'en', '--format', 'json']);
    expect(better.code).toBe(0);
    expect(JSON.parse(better.stdout).improved.length).toBeGreaterThan(10);
  });
});

import { evaluateGate } from '../src/scoring/gate.js';
import type { Finding, RequirementResult } from '../src/model/result.js';

describe('the gate, pure', () => {
  const req = (ruleId: string, status: RequirementResult['status'], severity: RequirementResult['severity'] = 'critical', obligation: RequirementResult['obligation'] = 'shall'): RequirementResult =>
    ({ ruleId, clause: '9.2.2', subject: 'bank', levels: ['A2'], obligation, severity, weight: 10, status, source: 'automatic', assessment: ['automatic'], text: { zh: '', en: '' }, remediation: { zh: '', en: '' }, findingCounts: {} }) as RequirementResult;
  const finding = (ruleId: string, fingerprint: string, status: Finding['status'] = 'fail'): Finding =>
    ({ ruleId, clause: '9.2.2', status, severity: 'critical', messageId: 'm', message: { zh: '', en: '' }, fingerprint }) as Finding;
  const coverage = { total: 100, automatic: 100, probe: 0, attested: 0, notReviewed: 0, error: 0 };

  it('an error on a rule the gate covers fails it, with a reason line; an error the gate does not cover does not', () => {
    const broken = evaluateGate({ requirements: [req('tls-secure-channel', 'error'), req('api-docs', 'pass')], findings: [], score: 50, coverage }, {});
    expect(broken.passed).toBe(false);
    expect(broken.reasons.map((r) => r.en)).toEqual([
      '1 requirement(s) the gate covers could not be assessed (error: a check broke or input evidence was lost), which is never a pass: tls-secure-channel (9.2.2)',
    ]);
    // A medium `shall` is outside the default gate (critical only) …
    expect(evaluateGate({ requirements: [req('input-validation', 'error', 'medium')], findings: [], score: 0, coverage }, {}).passed).toBe(true);
    // … and inside it with --fail-on medium; a critical `should` is outside the default gate too.
    expect(evaluateGate({ requirements: [req('input-validation', 'error', 'medium')], findings: [], score: 0, coverage }, { failOn: 'medium' }).passed).toBe(false);
    expect(evaluateGate({ requirements: [req('x', 'error', 'critical', 'should')], findings: [], score: 0, coverage }, {}).passed).toBe(true);
  });

  it('with a baseline: only new failures and new errors count, and a score below the baseline fails it', () => {
    const baseline = {
      file: 'old.json',
      result: { requirements: [req('tls-secure-channel', 'fail'), req('rate-limiting', 'error')], findings: [finding('tls-secure-channel', 'tls#a')], score: 80 },
    };
    const same = evaluateGate(
      { requirements: [req('tls-secure-channel', 'fail'), req('rate-limiting', 'error')], findings: [finding('tls-secure-channel', 'tls#a')], score: 80, coverage },
      { baseline },
    );
    expect(same.passed).toBe(true);
    expect(same.criteria).toMatchObject({ baseline: 'old.json', baselineScore: 80 });
    const lower = evaluateGate({ requirements: [req('tls-secure-channel', 'fail'), req('rate-limiting', 'error')], findings: [finding('tls-secure-channel', 'tls#a')], score: 79.9, coverage }, { baseline });
    expect(lower.reasons.map((r) => r.en)).toEqual(["score 79.9 is lower than the baseline's 80"]);
    const newFinding = [finding('tls-secure-channel', 'tls#a'), finding('tls-secure-channel', 'tls#b')];
    const worse = evaluateGate({ requirements: [req('tls-secure-channel', 'fail'), req('a2-data-signature', 'error')], findings: newFinding, score: 85, coverage }, { baseline });
    expect(worse.reasons.map((r) => r.en)).toEqual([
      '1 critical mandatory requirement(s) failed (new since the baseline): tls-secure-channel (9.2.2)',
      '1 requirement(s) the gate covers could not be assessed (error: a check broke or input evidence was lost), which is never a pass (new since the baseline): a2-data-signature (9.2.2)',
    ]);
    expect(newFinding.map((f) => f.new)).toEqual([false, true]);
    // --fail-under applies to the new score only when asked.
    expect(evaluateGate({ requirements: [], findings: [], score: 85, coverage }, { baseline, failUnder: 90 }).reasons.map((r) => r.en)).toEqual(['score 85 is below --fail-under 90']);
  });
});

describe('errors fail the gate, end to end', () => {
  const conf = (include: string) =>
    `events {}\nhttp {\n  include ${include};\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_certificate /etc/x.pem;\n    ssl_certificate_key /etc/x.key;\n    ssl_verify_client on;\n    location /api/ { limit_req zone=z; proxy_pass http://up; }\n  }\n}\n`;
  it('an nginx include that is missing hides evidence: gated requirements end in error, and the gate fails saying so', async () => {
    const lost = file('lost.conf', conf('missing-snippets.conf'));
    const out = join(dir, 'err1');
    const r = await runCli(['assess', '--no-config', '--gateway', lost, '--format', 'json', '--out', out, '--lang', 'en'], ENV);
    expect(r.code).toBe(1);
    const result = json(out);
    expect(result.requirements.find((x: { ruleId: string }) => x.ruleId === 'a2-mutual-authentication-design').status).toBe('error');
    expect(result.gate.reasons.map((x: { en: string }) => x.en)).toContainEqual(expect.stringMatching(/^\d+ requirement\(s\) the gate covers could not be assessed \(error: a check broke or input evidence was lost\), which is never a pass: .*a2-mutual-authentication-design \(7\.2\.1\)/));
    // The same configuration with the include present: no error reason.
    file('present-snippets.conf', '');
    const whole = file('whole.conf', conf('present-snippets.conf'));
    const out2 = join(dir, 'err2');
    await runCli(['assess', '--no-config', '--gateway', whole, '--format', 'json', '--out', out2, '--lang', 'en'], ENV);
    expect(json(out2).gate.reasons.map((x: { en: string }) => x.en).some((x: string) => x.includes('could not be assessed'))).toBe(false);
    expect(json(out2).requirements.find((x: { ruleId: string }) => x.ruleId === 'a2-mutual-authentication-design').status).not.toBe('error');
  });
});
