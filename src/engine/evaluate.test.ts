import { describe, expect, it } from 'vitest';
import { evaluate, globMatch, type Waiver } from './evaluate.js';
import { CheckRegistry, defineCheck } from '../checks/registry.js';
import type { Rule } from '../model/rulebook.js';
import { emptyBundle, type EvidenceBundle, type OpenApiDocumentEvidence } from '../model/evidence.js';
import type { AttestationRecord } from '../model/result.js';

const doc = (file: string): OpenApiDocumentEvidence => ({
  kind: 'openapi',
  file,
  version: '3.0',
  servers: [{ url: 'http://api.example.com', location: { file, pointer: '/servers/0/url' } }],
  securitySchemes: [],
  operations: [],
  problems: [],
  digests: {},
});

// A check that fails every http server and passes https ones: enough to drive the engine.
const serversCheck = defineCheck({
  name: 'test.servers',
  evidence: ['openapi'],
  description: 'test',
  params: { type: 'object' },
  messages: { plain: { zh: '{{url}} 明文', en: '{{url}} is plain http' }, ok: { zh: '好', en: 'ok' } },
  run: (bundle) =>
    bundle.openapi.flatMap((d) =>
      d.servers.map((s) => ({
        status: s.url.startsWith('https:') ? ('pass' as const) : ('fail' as const),
        messageId: s.url.startsWith('https:') ? 'ok' : 'plain',
        data: { url: s.url },
        location: s.location,
        subject: s.url,
      })),
    ),
});
const nothingCheck = defineCheck({ name: 'test.nothing', evidence: ['openapi'], description: '', params: {}, messages: {}, run: () => [] });
const brokenCheck = defineCheck({
  name: 'test.broken',
  evidence: ['openapi'],
  description: '',
  params: {},
  messages: {},
  run: () => {
    throw new Error('boom');
  },
});
const registry = new CheckRegistry().register(serversCheck, nothingCheck, brokenCheck);

const rule = (id: string, over: Partial<Rule> = {}): Rule => ({
  id,
  clause: '9.2.2',
  subject: 'bank',
  levels: ['A1', 'A2'],
  obligation: 'shall',
  severity: 'critical',
  text: { zh: '原文', en: 'text' },
  assessment: ['automatic', 'attestation'],
  checks: [{ fn: 'test.servers', covers: 'whole' }],
  attestation: { question: { zh: '问', en: 'q' }, evidence: { zh: '证', en: 'e' } },
  remediation: { zh: '改', en: 'fix' },
  source: { file: 'rules/x.yaml', line: 1 },
  ...over,
});

const bundleWith = (...docs: OpenApiDocumentEvidence[]): EvidenceBundle => ({ ...emptyBundle(), openapi: docs });
const yes = (over: Partial<AttestationRecord> = {}): AttestationRecord => ({
  answer: 'yes',
  evidence: 'DOC-1',
  assessor: 'A',
  date: '2026-01-01',
  expired: false,
  location: { file: 'attest.yaml', line: 3 },
  ...over,
});

const run = (rules: Rule[], bundle: EvidenceBundle, extra: Partial<Parameters<typeof evaluate>[0]> = {}) =>
  evaluate({ rules, bundle, locators: [], profile: { level: 'A2' }, registry, ...extra });

describe('evaluate', () => {
  it('fails a requirement when a check fails, with a located, fingerprinted finding', () => {
    const out = run([rule('https-transport')], bundleWith(doc('a.yaml')));
    expect(out.requirements[0]).toMatchObject({ ruleId: 'https-transport', status: 'fail', source: 'automatic', weight: 10 });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ status: 'fail', messageId: 'plain', message: { en: 'http://api.example.com is plain http' }, location: { file: 'a.yaml', pointer: '/servers/0/url' } });
    expect(out.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('resolves pointers to lines through the locator of the file', () => {
    const out = run([rule('https-transport')], bundleWith(doc('a.yaml')), {
      locators: [{ file: 'a.yaml', locate: (ps) => new Map(ps.map((p) => [p, { line: 7, column: 5 }])) }],
    });
    expect(out.findings[0]!.location).toEqual({ file: 'a.yaml', pointer: '/servers/0/url', line: 7, column: 5 });
  });

  it('passes when every outcome passes; automatic results win over an attestation', () => {
    const d = doc('a.yaml');
    d.servers = [{ url: 'https://api.example.com', location: { file: 'a.yaml', pointer: '/servers/0/url' } }];
    const out = run([rule('https-transport')], bundleWith(d), { attestations: new Map([['https-transport', yes({ answer: 'no', note: 'x' })]]) });
    expect(out.requirements[0]).toMatchObject({ status: 'pass', source: 'automatic' });
  });

  it('falls back to attestation when the evidence kind is absent', () => {
    const rules = [rule('a-rule'), rule('b-rule'), rule('c-rule'), rule('d-rule')];
    const attestations = new Map([
      ['a-rule', yes()],
      ['b-rule', yes({ answer: 'no', note: 'missing' })],
      ['c-rule', yes({ answer: 'n/a', note: 'no A2' })],
    ]);
    const out = run(rules, emptyBundle(), { attestations });
    expect(out.requirements.map((r) => [r.ruleId, r.status, r.source])).toEqual([
      ['a-rule', 'manual-pass', 'attestation'],
      ['b-rule', 'manual-fail', 'attestation'],
      ['c-rule', 'n/a', 'attestation'],
      ['d-rule', 'not-reviewed', 'none'],
    ]);
    expect(out.requirements[2]!.weight).toBe(0);
  });

  it('treats an expired attestation as not reviewed', () => {
    const out = run([rule('a-rule')], emptyBundle(), { attestations: new Map([['a-rule', yes({ expired: true, expires: '2025-01-01' })]]) });
    expect(out.requirements[0]!.status).toBe('not-reviewed');
  });

  it('is n/a when the checks of a one-level sentence found nothing to judge, or the rule says a missing input means n/a', () => {
    const out = run([rule('nothing', { levels: ['A1'], checks: [{ fn: 'test.nothing' }] }), rule('absent', { whenNoEvidence: 'n/a' })], bundleWith(doc('a.yaml')).openapi.length ? { ...emptyBundle(), openapi: [doc('a.yaml')] } : emptyBundle());
    expect(out.requirements[0]!.status).toBe('n/a');
    const out2 = run([rule('absent', { whenNoEvidence: 'n/a' })], emptyBundle());
    expect(out2.requirements[0]!.status).toBe('n/a');
  });

  it('a sentence of every level whose checks reached no verdict was not judged: not reviewed, never a silent n/a', () => {
    const nothing = rule('nothing', { levels: ['A1', 'A2'], checks: [{ fn: 'test.nothing', covers: 'whole' }] });
    expect(run([nothing], bundleWith(doc('a.yaml'))).requirements[0]).toMatchObject({ status: 'not-reviewed', weight: 10 });
    expect(run([nothing], bundleWith(doc('a.yaml')), { attestations: new Map([['nothing', yes({ answer: 'n/a', note: 'TLS ends at the load balancer' })]]) }).requirements[0]!.status).toBe('n/a');
  });

  it('reports a broken check as error, with a warning, not a crash', () => {
    const out = run([rule('broken', { checks: [{ fn: 'test.broken' }] })], bundleWith(doc('a.yaml')));
    expect(out.requirements[0]).toMatchObject({ status: 'error', weight: 10 });
    expect(out.findings[0]).toMatchObject({ status: 'error', messageId: 'checkError' });
    expect(out.warnings[0]!.en).toContain('boom');
  });

  it('reports a check whose outcome is error as error, even when another check passes', () => {
    const erroring = defineCheck({ ...nothingCheck, name: 'test.erroring', messages: { e: { zh: '坏', en: 'bad' } }, run: () => [{ status: 'error' as const, messageId: 'e' }] });
    const reg = new CheckRegistry().register(serversCheck, erroring);
    const d = doc('a.yaml');
    d.servers = [{ url: 'https://api.example.com', location: { file: 'a.yaml', pointer: '/servers/0/url' } }];
    const out = evaluate({ rules: [rule('mixed', { checks: [{ fn: 'test.servers', covers: 'whole' }, { fn: 'test.erroring', covers: 'whole' }] })], bundle: bundleWith(d), locators: [], profile: { level: 'A2' }, registry: reg });
    expect(out.requirements[0]!.status).toBe('error');
  });

  it('runs each check once per distinct params, however many rules use it', () => {
    let calls = 0;
    const counting = defineCheck({ ...nothingCheck, name: 'test.counting', run: () => (calls++, []) });
    const reg = new CheckRegistry().register(counting);
    evaluate({ rules: [rule('x-one', { checks: [{ fn: 'test.counting' }] }), rule('x-two', { checks: [{ fn: 'test.counting' }] })], bundle: bundleWith(doc('a.yaml')), locators: [], profile: { level: 'A2' }, registry: reg });
    expect(calls).toBe(1);
  });

  it('selects by level and role: A1 profile drops A2-only sentences, role app drops bank sentences', () => {
    const rules = [rule('a2-only', { levels: ['A2'] }), rule('bank-only', { subject: 'bank' }), rule('app-only', { subject: 'app' }), rule('both-parties', { subject: 'both' })];
    const a1app = evaluate({ rules, bundle: emptyBundle(), locators: [], profile: { level: 'A1', role: 'app' }, registry });
    expect(a1app.requirements.map((r) => [r.ruleId, r.status])).toEqual([
      ['a2-only', 'n/a'],
      ['bank-only', 'n/a'],
      ['app-only', 'not-reviewed'],
      ['both-parties', 'not-reviewed'],
    ]);
  });

  it('applies active waivers and ignores expired ones', () => {
    const waiver = (over: Partial<Waiver>): Waiver => ({ ruleId: 'https-transport', reason: 'sandbox', owner: 'ops', expires: '2099-01-01', expired: false, ...over });
    const active = run([rule('https-transport')], bundleWith(doc('specs/a.yaml')), { waivers: [waiver({ match: { file: 'specs/*.yaml' } })] });
    expect(active.requirements[0]).toMatchObject({ status: 'waived', weight: 0, waiver: { owner: 'ops' } });
    expect(active.findings[0]!.waiver?.reason).toBe('sandbox');
    const other = run([rule('https-transport')], bundleWith(doc('specs/a.yaml')), { waivers: [waiver({ match: { file: 'other/*.yaml' } })] });
    expect(other.requirements[0]!.status).toBe('fail');
    const expired = run([rule('https-transport')], bundleWith(doc('specs/a.yaml')), { waivers: [waiver({ expired: true })] });
    expect(expired.requirements[0]!.status).toBe('fail');
  });

  it('fingerprints ignore line numbers', () => {
    const a = run([rule('https-transport')], bundleWith(doc('a.yaml')), { locators: [{ file: 'a.yaml', locate: (ps) => new Map(ps.map((p) => [p, { line: 3, column: 1 }])) }] });
    const b = run([rule('https-transport')], bundleWith(doc('a.yaml')), { locators: [{ file: 'a.yaml', locate: (ps) => new Map(ps.map((p) => [p, { line: 30, column: 1 }])) }] });
    expect(a.findings[0]!.fingerprint).toBe(b.findings[0]!.fingerprint);
  });
});

describe('globMatch', () => {
  it.each([
    ['specs/*.yaml', 'specs/a.yaml', true],
    ['specs/*.yaml', 'specs/x/a.yaml', false],
    ['specs/**/*.yaml', 'specs/x/a.yaml', true],
    ['**/kong.yaml', 'deploy/prod/kong.yaml', true],
    ['a?.json', 'ab.json', true],
    ['./specs/a.yaml', 'specs/a.yaml', true],
  ])('%s ~ %s → %s', (glob, path, expected) => {
    expect(globMatch(glob, path)).toBe(expected);
  });
});

describe('evaluate: checks that cover only part of a sentence (covers: part)', () => {
  const https = () => {
    const d = doc('a.yaml');
    d.servers = [{ url: 'https://api.example.com', location: { file: 'a.yaml', pointer: '/servers/0/url' } }];
    return bundleWith(d);
  };
  const partial = (id: string, over: Partial<Rule> = {}) => rule(id, { checks: [{ fn: 'test.servers', covers: 'part' }], ...over });

  it('without an answer, a passing partial check leaves the rule not reviewed, with the automatic part shown beside it', () => {
    const out = run([partial('soft-keyboard')], https());
    expect(out.requirements[0]).toMatchObject({ status: 'not-reviewed', source: 'none', weight: 10, findingCounts: { pass: 1, manual: 1 } });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ status: 'manual', messageId: 'partialCheck', check: 'test.servers' });
    expect(out.findings[0]!.message.en).toContain('test.servers (1)');
    expect(out.findings[0]!.locations).toEqual([{ file: 'a.yaml', pointer: '/servers/0/url', subject: 'https://api.example.com' }]);
  });

  it('with a current answer, takes the answer: yes → manual-pass, no → manual-fail', () => {
    const yesOut = run([partial('soft-keyboard')], https(), { attestations: new Map([['soft-keyboard', yes()]]) });
    expect(yesOut.requirements[0]).toMatchObject({ status: 'manual-pass', source: 'attestation', attestation: { evidence: 'DOC-1' } });
    const noOut = run([partial('soft-keyboard')], https(), { attestations: new Map([['soft-keyboard', yes({ answer: 'no', note: 'no soft keyboard' })]]) });
    expect(noOut.requirements[0]).toMatchObject({ status: 'manual-fail', source: 'attestation' });
  });

  it('an expired answer does not count: not reviewed', () => {
    const out = run([partial('soft-keyboard')], https(), { attestations: new Map([['soft-keyboard', yes({ expired: true, expires: '2025-01-01' })]]) });
    expect(out.requirements[0]!.status).toBe('not-reviewed');
  });

  it('a failing partial check fails the rule whatever the answer', () => {
    const out = run([partial('soft-keyboard')], bundleWith(doc('a.yaml')), { attestations: new Map([['soft-keyboard', yes()]]) });
    expect(out.requirements[0]).toMatchObject({ status: 'fail', source: 'automatic' });
    expect(out.findings.map((f) => f.status)).toEqual(['fail']);
  });

  it('a check that covers the whole sentence passes it alone, beside a partial one', () => {
    const out = run([rule('both-kinds', { checks: [{ fn: 'test.servers', covers: 'part' }, { fn: 'test.servers', covers: 'whole', with: { again: true } }] })], https());
    expect(out.requirements[0]!.status).toBe('pass');
  });

  it('a check that does not say what it covers is treated as partial', () => {
    const out = run([rule('unsaid', { checks: [{ fn: 'test.servers' }] })], https());
    expect(out.requirements[0]!.status).toBe('not-reviewed');
  });
});

describe('evaluate: evidence a reader lost (InputProblem.hidesEvidence)', () => {
  const lossy = (hides: boolean) => {
    const d = doc('a.yaml');
    d.servers = [{ url: 'https://api.example.com', location: { file: 'a.yaml', pointer: '/servers/0/url' } }];
    d.problems = [{ message: 'components.yaml: file not found ($ref)', location: { file: 'a.yaml', line: 12, column: 7, pointer: '/paths/~1x' }, hidesEvidence: hides }];
    return bundleWith(d);
  };

  it('turns a would-be pass into error, with a finding that names the problem and where it is', () => {
    const out = run([rule('https-transport')], lossy(true));
    expect(out.requirements[0]).toMatchObject({ status: 'error', source: 'automatic', weight: 10 });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ status: 'error', messageId: 'evidenceHidden', location: { file: 'a.yaml', line: 12, column: 7 } });
    expect(out.findings[0]!.message.en).toContain('components.yaml: file not found ($ref)');
  });

  it('leaves a pass alone when the problem does not hide evidence', () => {
    expect(run([rule('https-transport')], lossy(false)).requirements[0]!.status).toBe('pass');
  });

  it('a failure found in what was read still fails', () => {
    const b = lossy(true);
    b.openapi[0]!.servers[0]!.url = 'http://api.example.com';
    expect(run([rule('https-transport')], b).requirements[0]!.status).toBe('fail');
  });

  it('a partial pass cannot be completed by an answer when the automatic part lost evidence', () => {
    const out = run([rule('soft-keyboard', { checks: [{ fn: 'test.servers', covers: 'part' }] })], lossy(true), { attestations: new Map([['soft-keyboard', yes()]]) });
    expect(out.requirements[0]!.status).toBe('error');
  });

  it('only a check that passed on the lossy item blocks the pass; one that found nothing there does not', () => {
    const nothing = rule('nothing', { levels: ['A2'], checks: [{ fn: 'test.nothing', covers: 'whole' }] });
    expect(run([nothing], lossy(true)).requirements[0]!.status).toBe('n/a');
    expect(run([nothing], lossy(true), { attestations: new Map([['nothing', yes()]]) }).requirements[0]!.status).toBe('manual-pass');
  });

  it('counts a probe result only for checks whose outcomes point at its target', () => {
    const probeCheck = defineCheck({
      name: 'test.probe',
      evidence: ['probe'],
      description: '',
      params: {},
      messages: { ok: { zh: '好', en: 'ok' } },
      run: (bundle) => bundle.probe.filter((p) => p.probe === 'tls').map((p) => ({ status: 'pass' as const, messageId: 'ok', location: { file: p.target, target: p.target } })),
    });
    const reg = new CheckRegistry().register(probeCheck);
    const probe = (probeName: string, target: string, hides: boolean) => ({ kind: 'probe' as const, probe: probeName, target, facts: {}, requests: 1, problems: hides ? [{ message: 'timeout', location: { file: target, target }, hidesEvidence: true }] : [] });
    const evalWith = (items: ReturnType<typeof probe>[]) =>
      evaluate({ rules: [rule('tls-probe', { checks: [{ fn: 'test.probe', covers: 'whole' }] })], bundle: { ...emptyBundle(), probe: items }, locators: [], profile: { level: 'A2' }, registry: reg }).requirements[0]!;
    expect(evalWith([probe('tls', 'https://a.example', false), probe('rate-limit', 'https://a.example/x', true)])).toMatchObject({ status: 'pass', source: 'probe' });
    expect(evalWith([probe('tls', 'https://a.example', true)]).status).toBe('error');
  });
});
