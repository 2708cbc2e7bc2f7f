import { describe, expect, it } from 'vitest';
import { assessedScoreOf, clauseResults, coverageOf, scoreOf } from './score.js';
import { evaluateGate, newFailures } from './gate.js';
import type { Finding, RequirementResult } from '../model/result.js';
import { ruleWeight } from '../model/rulebook.js';

const req = (ruleId: string, status: RequirementResult['status'], over: Partial<RequirementResult> = {}): RequirementResult => {
  const severity = over.severity ?? 'critical';
  const obligation = over.obligation ?? 'shall';
  return {
    ruleId,
    clause: '9.2.2',
    subject: 'bank',
    levels: ['A2'],
    obligation,
    severity,
    weight: status === 'n/a' || status === 'waived' ? 0 : ruleWeight({ severity, obligation }),
    status,
    source: status.startsWith('manual') ? 'attestation' : status === 'pass' || status === 'fail' ? 'automatic' : 'none',
    assessment: ['automatic'],
    text: { zh: '', en: '' },
    remediation: { zh: '', en: '' },
    findingCounts: {},
    ...over,
  };
};

describe('weights', () => {
  it('follow severity, and a should carries half', () => {
    expect([ruleWeight({ severity: 'critical', obligation: 'shall' }), ruleWeight({ severity: 'high', obligation: 'shall-not' }), ruleWeight({ severity: 'medium', obligation: 'shall' }), ruleWeight({ severity: 'low', obligation: 'shall' })]).toEqual([10, 7, 3, 1]);
    expect(ruleWeight({ severity: 'high', obligation: 'should' })).toBe(3.5);
    expect(ruleWeight({ severity: 'high', obligation: 'should', weight: 2 })).toBe(2);
  });
});

describe('score and coverage', () => {
  const reqs = [
    req('a', 'pass'), // 10
    req('b', 'fail', { severity: 'high' }), // 7
    req('c', 'manual-pass', { severity: 'medium' }), // 3
    req('d', 'not-reviewed', { severity: 'low' }), // 1
    req('e', 'n/a'),
    req('f', 'waived'),
    req('g', 'error', { severity: 'medium', clause: '10.1.2' }), // 3
  ];
  it('score = 100·Σw·s/Σw over applicable requirements, no partial credit', () => {
    // satisfied 10 + 3 = 13 of 24
    expect(scoreOf(reqs)).toBe(54.2);
  });
  it('the score over assessed requirements leaves out not-reviewed ones but keeps errors at 0', () => {
    // satisfied 13 of 23 (a, b, c, g; d not reviewed is left out)
    expect(assessedScoreOf(reqs)).toBe(56.5);
    // With nothing reviewed, there is no assessed score at all (not 0, not 100).
    expect(assessedScoreOf([req('x', 'not-reviewed')])).toBeNull();
    expect(scoreOf([req('x', 'not-reviewed')])).toBe(0);
  });
  it('coverage splits the applicable weight by how it was decided', () => {
    expect(coverageOf(reqs)).toEqual({ total: 83.3, automatic: 70.8, probe: 0, attested: 12.5, notReviewed: 4.2, error: 12.5 });
  });
  it('nothing applicable → null score, zero coverage', () => {
    expect(scoreOf([req('x', 'n/a')])).toBeNull();
    expect(coverageOf([]).total).toBe(0);
  });
  it('per chapter: score, coverage and a status', () => {
    const clauses = clauseResults(reqs);
    expect(clauses.find((c) => c.clause === '9')).toMatchObject({ score: 61.9, status: 'fail', requirements: 6 });
    expect(clauses.find((c) => c.clause === '10')).toMatchObject({ score: 0, coverage: 0, status: 'incomplete' });
    expect(clauses.find((c) => c.clause === '11')).toMatchObject({ score: null, coverage: null, status: 'n/a' });
  });
});

describe('gate', () => {
  const base = { findings: [] as Finding[], score: 90, coverage: { total: 90, automatic: 90, probe: 0, attested: 0, notReviewed: 10, error: 0 } };
  it('fails by default on a failed critical shall requirement, not on a critical should', () => {
    expect(evaluateGate({ ...base, requirements: [req('a', 'fail')] }, {}).passed).toBe(false);
    expect(evaluateGate({ ...base, requirements: [req('a', 'manual-fail')] }, {}).passed).toBe(false);
    expect(evaluateGate({ ...base, requirements: [req('a', 'fail', { obligation: 'should' })] }, {}).passed).toBe(true);
    expect(evaluateGate({ ...base, requirements: [req('a', 'fail', { severity: 'high' })] }, {}).passed).toBe(true);
  });
  it('--fail-on, --fail-under and --min-coverage tighten it', () => {
    const requirements = [req('a', 'fail', { severity: 'medium' })];
    expect(evaluateGate({ ...base, requirements }, { failOn: 'high' }).passed).toBe(true);
    const g = evaluateGate({ ...base, requirements }, { failOn: 'medium' });
    expect(g.passed).toBe(false);
    expect(g.reasons[0]!.en).toContain('a (9.2.2)');
    // "N of severity high or higher" counts the critical failures too.
    const both = evaluateGate({ ...base, requirements: [req('c', 'fail'), req('h', 'fail', { severity: 'high' })] }, { failOn: 'high' });
    expect(both.reasons.map((r) => r.en.split(':')[0])).toEqual(['1 critical mandatory requirement(s) failed', '2 requirement(s) of severity high or higher failed']);
    expect(both.reasons[1]!.zh).toMatch(/^2 项严重程度不低于 high 的要求未满足/);
    expect(evaluateGate({ ...base, requirements: [] }, { failUnder: 95 }).reasons[0]!.en).toBe('score 90 is below --fail-under 95');
    expect(evaluateGate({ ...base, requirements: [] }, { minCoverage: 95 }).reasons[0]!.en).toBe('coverage 90% is below --min-coverage 95%');
    expect(evaluateGate({ ...base, requirements: [] }, { failUnder: 90, minCoverage: 90 }).passed).toBe(true);
  });
  it('with a baseline only new failures trip it', () => {
    const finding = (fp: string): Finding => ({ ruleId: 'a', clause: '9.2.2', status: 'fail', severity: 'critical', messageId: 'm', message: { zh: '', en: '' }, fingerprint: fp });
    const baseline = { file: 'old.json', result: { requirements: [req('a', 'fail')], findings: [finding('f1')] } };
    const same = [finding('f1')];
    expect(evaluateGate({ ...base, requirements: [req('a', 'fail')], findings: same }, { baseline }).passed).toBe(true);
    expect(same[0]!.new).toBe(false);
    const more = [finding('f1'), finding('f2')];
    const g = evaluateGate({ ...base, requirements: [req('a', 'fail')], findings: more }, { baseline });
    expect(g.passed).toBe(false);
    expect(g.reasons[0]!.en).toContain('new since the baseline');
    expect(more.map((f) => f.new)).toEqual([false, true]);
    // A requirement that did not fail before is new even without findings (e.g. an attestation answer "no").
    expect([...newFailures([req('b', 'manual-fail')], [], baseline)]).toEqual(['b']);
  });
});
