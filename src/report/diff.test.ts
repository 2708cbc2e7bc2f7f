import { describe, expect, it } from 'vitest';
import { diffResults, hasRegressions, renderDiff } from './diff.js';
import type { Finding } from '../model/result.js';
import { loadSample } from './testing.js';

/** A readable identity for assertions: rule and where (the real fingerprint is a hash of this kind of thing). */
const where = (f: Finding) => `${f.ruleId} ${f.location?.file ?? ''}${f.location?.pointer ? `#${f.location.pointer}` : ''}`;

const before = loadSample();

/** The next assessment of the same bank: the plain-http server removed, an attestation lapsed, lines shifted. */
function nextAssessment() {
  const after = structuredClone(before);
  const tls = after.requirements.find((r) => r.ruleId === 'tls-secure-channel')!;
  after.findings = after.findings.filter((f) => f.location?.pointer !== '/servers/1/url');
  // Every finding moved 12 lines down: that alone must not read as fixed + new.
  for (const f of after.findings) if (f.location?.line) f.location.line += 12;
  tls.findingCounts = { fail: 1, pass: 1 };
  const coding = after.requirements.find((r) => r.ruleId === 'secure-coding-standard')!;
  coding.status = 'not-reviewed';
  const training = after.requirements.find((r) => r.ruleId === 'developer-secure-coding-training')!;
  training.status = 'manual-pass';
  const leak = after.requirements.find((r) => r.ruleId === 'error-info-no-internal-leak')!;
  leak.status = 'pass';
  after.findings = after.findings.filter((f) => f.ruleId !== 'error-info-no-internal-leak' || f.status === 'pass');
  after.findings.push({
    ruleId: 'logs-no-unmasked-pan',
    clause: '9.3.3',
    check: 'logs.noUnmaskedPan',
    status: 'fail',
    severity: 'critical',
    messageId: 'panInLog',
    message: { zh: '错误日志中出现银行卡号', en: 'A card number appears in the error log' },
    location: { file: 'fixtures/huadong-bank/logs/error.log', line: 77 },
    evidence: 'cardNo=622202******1234',
    fingerprint: 'c0ffee00c0ffee00c0ffee00c0ffee00',
  });
  after.requirements = after.requirements.filter((r) => r.ruleId !== 'a2-mutual-authentication');
  after.requirements.push({ ...structuredClone(before.requirements[0]!), ruleId: 'debug-endpoints-disabled', clause: '7.1', status: 'pass' });
  after.score = 31.2;
  after.coverage.total = 90.1;
  return after;
}

describe('diffResults', () => {
  it('sorts requirement changes into improved, regressed, added and removed', () => {
    const diff = diffResults(before, nextAssessment());
    expect(diff.improved.map((c) => [c.ruleId, c.before, c.after])).toEqual([
      ['developer-secure-coding-training', 'not-reviewed', 'manual-pass'],
      ['error-info-no-internal-leak', 'fail', 'pass'],
    ]);
    expect(diff.regressed.map((c) => [c.ruleId, c.before, c.after])).toEqual([['secure-coding-standard', 'manual-pass', 'not-reviewed']]);
    expect(diff.added.map((r) => r.ruleId)).toEqual(['debug-endpoints-disabled']);
    expect(diff.removed.map((r) => r.ruleId)).toEqual(['a2-mutual-authentication']);
    expect(diff.score).toEqual({ before: 25.9, after: 31.2, delta: 5.3 });
    expect(diff.coverage).toEqual({ before: 92.9, after: 90.1, delta: -2.8 });
  });

  it('matches findings by fingerprint, not line: moved findings are neither new nor fixed', () => {
    const diff = diffResults(before, nextAssessment());
    expect(diff.newFindings.map(where)).toEqual(['logs-no-unmasked-pan fixtures/huadong-bank/logs/error.log']);
    expect(diff.fixedFindings.map(where).sort()).toEqual([
      'error-info-no-internal-leak fixtures/huadong-bank/gateway/kong.yaml#/_format_version',
      'error-info-no-internal-leak fixtures/huadong-bank/openapi.yaml#/paths/~1accounts~1{accountId}/get/responses/500/content/application~1json/example',
      'tls-secure-channel fixtures/huadong-bank/openapi.yaml#/servers/1/url',
    ]);
    expect(hasRegressions(diff)).toBe(true);
  });

  it('finds nothing between a result and itself', () => {
    const diff = diffResults(before, structuredClone(before));
    expect(hasRegressions(diff)).toBe(false);
    expect([diff.improved, diff.regressed, diff.changed, diff.added, diff.removed, diff.newFindings, diff.fixedFindings].every((l) => l.length === 0)).toBe(true);
    expect(renderDiff(diff, 'en')).toBe('Assessment comparison\n\nScore: 25.9 → 25.9 (±0)\nCoverage: 92.9% → 92.9% (±0)\n\nNo change\n');
  });

  it('renders what got worse first, in zh and en', () => {
    const diff = diffResults(before, nextAssessment());
    const en = renderDiff(diff, 'en');
    expect(en).toContain('Score: 25.9 → 31.2 (+5.3)');
    expect(en).toContain('Coverage: 92.9% → 90.1% (−2.8)');
    expect(en.indexOf('Regressed requirements (1)')).toBeLessThan(en.indexOf('Improved requirements (2)'));
    expect(en).toContain('  7.1 secure-coding-standard: Manual pass → Not reviewed — A secure coding standard shall be established.');
    expect(en).toContain('New findings (1)\n  9.3.3 logs-no-unmasked-pan [Fail] fixtures/huadong-bank/logs/error.log:77 — A card number appears in the error log');
    const zh = renderDiff(diff, 'zh');
    expect(zh).toContain('退化的要求 (1)');
    expect(zh).toContain('  7.1 secure-coding-standard: 人工确认符合 → 未评审 — 应制定安全编码规范。');
    expect(zh).toContain('已修复的问题 (3)');
  });
});
