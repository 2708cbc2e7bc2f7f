/**
 * Rulebook fidelity (issue 15): the parties a sentence binds, its obligation and its severity, each pinned with the
 * reason the rule's YAML comment gives, and what the engine makes of them in a profile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadRulebook } from './load.js';
import { appliesTo } from '../engine/select.js';
import type { Rule, Rulebook } from '../model/rulebook.js';

let rulebook: Rulebook;
const rule = (id: string): Rule => {
  const found = rulebook.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
/** The YAML comment lines directly above `field:` in the rule's block: where the reason is written. */
function reasonFor(id: string, field: string): string {
  const r = rule(id);
  const lines = readFileSync(r.source.file, 'utf8').split('\n');
  const start = (r.source.line ?? 1) - 1;
  const at = lines.findIndex((l, i) => i > start && new RegExp(`^\\s+${field}:`).test(l));
  const comment: string[] = [];
  for (let i = at - 1; i > start && /^\s*#/.test(lines[i]!); i--) comment.unshift(lines[i]!.replace(/^\s*#\s?/, ''));
  return comment.join(' ');
}

beforeAll(async () => {
  rulebook = await loadRulebook();
});

describe('subjects: who a sentence binds', () => {
  it.each([
    ['user-explicit-consent', '商业银行应对接口权限进行有效控制'],
    ['consent-validity-period', 'permission control'],
    ['a2-mutual-authentication', '双向身份认证'],
    ['user-initiated-transaction-verification', 'names no party'],
    ['high-risk-service-risk-notice', 'naming no party'],
  ])('%s binds both parties, and says why', (id, because) => {
    expect(rule(id).subject).toBe('both');
    expect(reasonFor(id, 'subject')).toContain(because);
  });

  it('a bank assessment and an application-party assessment both include them (no longer n/a for the bank)', () => {
    for (const id of ['user-explicit-consent', 'consent-validity-period', 'a2-mutual-authentication', 'user-initiated-transaction-verification', 'high-risk-service-risk-notice']) {
      expect(appliesTo(rule(id), { level: 'A2', role: 'bank' }), id).toBe(true);
      expect(appliesTo(rule(id), { level: 'A2', role: 'app' }), id).toBe(true);
    }
  });
});

describe('severities', () => {
  it.each([
    ['user-explicit-consent', 'critical', 'without the user\'s consent'],
    ['app-no-onward-transfer', 'critical', 'third parties'],
    ['consent-validity-period', 'high', 'validity period'],
    ['app-bank-sdk-usage', 'high', 'SDK'],
    ['app-pfi-collector-disclosure', 'medium', 'consumer-protection'],
    ['code-security-audit', 'high', 'api-security-technical-inspection'],
    ['interface-change-notification', 'medium', 'bank-api-change-management'],
  ])('%s is %s, and says why', (id, severity, because) => {
    expect(rule(id).severity).toBe(severity);
    expect(reasonFor(id, 'severity')).toContain(because);
  });

  it('the 7.1 sentences match their twins in 10.4 and 10.3', () => {
    expect(rule('code-security-audit').severity).toBe(rule('api-security-technical-inspection').severity);
    expect(rule('interface-change-notification').severity).toBe(rule('bank-api-change-management').severity);
  });
});

describe('obligations: Annex B', () => {
  it('B.3.6 splits: the 6-character length is a shall, the 000001–999999 numbering (优先使用) a should', () => {
    expect(rule('uapi-sequence-code')).toMatchObject({ clause: 'B.3.6', obligation: 'shall', text: { zh: '顺序码编码由6个字符组成，' } });
    expect(rule('uapi-sequence-code').checks).toEqual([{ fn: 'uapi.format', with: { part: 'sequence' }, covers: 'whole' }]);
    const numbering = rule('uapi-sequence-numbering');
    expect(numbering).toMatchObject({ clause: 'B.3.6', obligation: 'should' });
    expect(numbering.text.zh).toContain('优先使用从000001-999999的顺序连续编码');
    expect(numbering.checks.map((c) => [c.fn, c.with?.part, c.covers])).toEqual([['uapi.format', 'sequenceNumbering', 'part'], ['uapi.unique', undefined, 'part']]);
  });

  it('table B.2 (first level 2 characters, 00 reserved; second level 4 characters, 0000 reserved) is its own rule', () => {
    const levels = rule('uapi-service-category-levels');
    expect(levels).toMatchObject({ clause: 'B.3.5', obligation: 'shall' });
    expect(levels.text.zh).toMatch(/^一级标识：00保留.*0000为保留位。$/);
    expect(levels.checks.map((c) => c.with?.part)).toEqual(['categoryLevels']);
    expect(rule('uapi-service-category-code').checks.map((c) => c.with?.part)).toEqual(['category']);
  });
});

describe('10.1.2: fault isolation', () => {
  it('故障隔离 of the lead-in is in api-fault-detection-recovery\'s text and question', () => {
    const r = rule('api-fault-detection-recovery');
    expect(r.text.zh).toContain('故障隔离');
    expect(r.text.zh).toContain('应具备故障监测和恢复能力');
    expect(r.attestation.question.zh).toContain('隔离故障');
    expect(r.attestation.question.en).toContain('isolated');
  });
});

describe('machine checks where a machine can decide', () => {
  it.each([
    ['unauthorized-resource-denial', ['access.operationScopes', 'access.routeAuthorization']],
    ['app-authentication-factors', ['openapi.operationAuthentication', 'gateway.routeAuthentication', 'access.appIdFactors']],
    ['user-authentication-design-at-bank', ['access.noPasswordGrant', 'access.noUserCredentialFields', 'access.bankHostedAuthorization', 'access.noGatewayPasswordGrant']],
    ['user-authentication-at-bank', ['access.noPasswordGrant', 'access.noUserCredentialFields', 'access.bankHostedAuthorization', 'access.noGatewayPasswordGrant']],
  ])('%s is checked by %j', (id, fns) => {
    const r = rule(id);
    for (const fn of fns) expect(r.checks.map((c) => c.fn)).toContain(fn);
    expect(r.assessment).toContain('automatic');
  });

  it('the issue\'s examples of partial checks are partial', () => {
    expect(rule('payment-sensitive-input-protection').checks.map((c) => c.covers)).toEqual(['part']);
    for (const id of ['app-input-retention-prohibition', 'app-pfi-collection-prohibition', 'app-sensitive-input-no-retention']) {
      expect(rule(id).checks.every((c) => c.covers === 'part'), id).toBe(true);
    }
  });
});
