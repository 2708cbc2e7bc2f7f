import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { artifactUri, FINGERPRINT_KEY, partialFingerprint, renderSarif } from './sarif.js';
import { INJECTION, loadSample, sarifValidator, withInjectedText } from './testing.js';

const sample = loadSample();

function checkedSarifValidator() {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/sarif-2.1.0.json', import.meta.url)), 'utf8'));
  expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
  return sarifValidator();
}
const validate = checkedSarifValidator();

type Log = {
  runs: {
    tool: { driver: { name: string; version: string; rules: Record<string, any>[] } };
    results: Record<string, any>[];
    invocations: Record<string, any>[];
    artifacts: Record<string, any>[];
  }[];
};
const parse = (text: string) => JSON.parse(text) as Log;

describe('renderSarif', () => {
  it('is valid SARIF 2.1.0 in both languages, also with hostile text planted', () => {
    for (const result of [sample, withInjectedText(sample)]) {
      for (const lang of ['zh', 'en'] as const) {
        const log = JSON.parse(renderSarif(result, { lang }));
        const ok = validate(log);
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      }
    }
  });

  it('uses a validator that does reject a broken log (so the check above means something)', () => {
    const log = JSON.parse(renderSarif(sample, { lang: 'en' }));
    log.runs[0].results[0].level = 'critical';
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/results/0/level', '/runs/0/results/0/locations/0/physicalLocation/region/startLine']),
    );
  });

  it('has one rule per requirement, with clause, text, help with remediation, obligation and security-severity', () => {
    const tagged = structuredClone(sample);
    tagged.requirements.find((r) => r.ruleId === 'tls-secure-channel')!.tags = ['transport'];
    const { runs } = parse(renderSarif(tagged, { lang: 'en' }));
    const rules = runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id).sort()).toEqual(sample.requirements.map((r) => r.ruleId).sort());
    const tls = rules.find((r) => r.id === 'tls-secure-channel')!;
    expect(tls.name).toBe('TlsSecureChannel');
    expect(tls.shortDescription.text).toBe('9.2.2 Communication shall use a secure channel such as SSL/TLS.');
    expect(tls.fullDescription.text).toBe('JR/T 0185-2020 9.2.2 Secure transmission: Communication shall use a secure channel such as SSL/TLS.');
    expect(tls.help.text).toContain('应采用 SSL/TLS等安全通道连接进行通信。');
    expect(tls.help.text).toContain('Remediation: Remove every http:// server URL');
    expect(tls.help.markdown).toContain('**Remediation:**');
    expect(tls.properties).toMatchObject({ clause: '9.2.2', obligation: 'shall', 'security-severity': '9.5' });
    expect(tls.properties.tags).toEqual(['security', 'JR/T 0185-2020', 'clause-9.2.2', 'transport']);
    const severities = Object.fromEntries(rules.map((r) => [r.id, r.properties['security-severity']]));
    expect(severities).toMatchObject({
      'tls-secure-channel': '9.5',
      'rate-limiting': '7.5',
      'secure-coding-standard': '5.0',
      'developer-secure-coding-training': '2.0',
    });
  });

  it('reports failed and warned findings that have a location, on their file, line and column', () => {
    const { runs } = parse(renderSarif(sample, { lang: 'zh' }));
    const results = runs[0]!.results;
    // 7 fail/warn findings in the sample, all located: 2 openapi/gateway tls, 2 logs, 1 probe, 1 leak + 1 warn, 1 waived rate limit.
    const expected = sample.findings.filter((f) => (f.status === 'fail' || f.status === 'warn') && f.location);
    expect(results).toHaveLength(expected.length);
    expect(results.map((r) => r.ruleId)).not.toContain('secure-coding-standard');
    const pan = results.find((r) => r.ruleId === 'logs-no-unmasked-pan')!;
    expect(pan.level).toBe('error');
    expect(pan.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/huadong-bank/logs/access.jsonl', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1832, startColumn: 88 },
    });
    expect(pan.message.text).toBe('访问日志第 1832 行记录了未去标识化的银行卡号\n证据: "cardNo":"622202******1234","mobile":"138****5678"');
    const warn = results.find((r) => r.properties.findingStatus === 'warn')!;
    expect(warn.level).toBe('warning');
    const leak = results.find((r) => r.locations[0].physicalLocation?.region?.startLine === 214)!;
    expect(leak.locations[0].logicalLocations).toEqual([
      { fullyQualifiedName: '/paths/~1accounts~1{accountId}/get/responses/500/content/application~1json/example', kind: 'object' },
    ]);
  });

  it('puts probe findings on a logical location naming the target', () => {
    const { runs } = parse(renderSarif(sample, { lang: 'en' }));
    const probe = runs[0]!.results.find((r) => r.ruleId === 'tls-version-1-2')!;
    expect(probe.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'fixtures/huadong-bank/probe.yaml', uriBaseId: '%SRCROOT%' } },
      logicalLocations: [{ name: 'openapi.huadong-bank.example:443', fullyQualifiedName: 'openapi.huadong-bank.example:443', kind: 'resource' }],
    });
  });

  it('fingerprints results from the finding fingerprint, so a result survives its line moving', () => {
    const moved = structuredClone(sample);
    for (const f of moved.findings) if (f.location?.line) f.location.line += 40;
    const before = parse(renderSarif(sample, { lang: 'en' })).runs[0]!.results;
    const after = parse(renderSarif(moved, { lang: 'en' })).runs[0]!.results;
    expect(after.map((r) => r.partialFingerprints)).toEqual(before.map((r) => r.partialFingerprints));
    expect(after[0]!.locations[0].physicalLocation.region.startLine).not.toBe(before[0]!.locations[0].physicalLocation.region.startLine);
    const keys = new Set(before.map((r) => r.partialFingerprints[FINGERPRINT_KEY]));
    expect(keys.size).toBe(before.length);
    expect(partialFingerprint(sample.findings[0]!)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('turns a waiver into an external, accepted suppression with its reason, owner and expiry', () => {
    const { runs } = parse(renderSarif(sample, { lang: 'zh' }));
    const waived = runs[0]!.results.filter((r) => r.suppressions);
    expect(waived.map((r) => r.ruleId)).toEqual(['rate-limiting']);
    expect(waived[0]!.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: '限流由上游 WAF 统一实施，网关迁移完成前暂不在 Kong 配置 (CHG-2026-0871) (责任人: 李娜 <lina@huadong-bank.example>; 有效期至: 2027-03-31)',
        location: { physicalLocation: { artifactLocation: { uri: 'fixtures/huadong-bank/waivers.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2 } } },
      },
    ]);
  });

  it('suppresses a single finding its own waiver covers, even when the requirement still fails', () => {
    const partly = structuredClone(sample);
    const gateway = partly.findings.find((f) => f.ruleId === 'tls-secure-channel' && f.location?.file.endsWith('kong.yaml'))!;
    gateway.waiver = { ruleId: 'tls-secure-channel', reason: 'legacy route, removed in CHG-2026-0902', owner: 'ops', expires: '2026-12-31' };
    const results = parse(renderSarif(partly, { lang: 'en' })).runs[0]!.results.filter((r) => r.ruleId === 'tls-secure-channel');
    expect(results.map((r) => r.suppressions?.[0]?.justification)).toEqual([
      undefined,
      'legacy route, removed in CHG-2026-0902 (Owner: ops; Expires: 2026-12-31)',
    ]);
  });

  it('gives baselineState only when the run had a baseline', () => {
    const results = parse(renderSarif(sample, { lang: 'en' })).runs[0]!.results.filter((r) => r.ruleId === 'logs-no-unmasked-pan');
    expect(results.map((r) => [r.locations[0].physicalLocation.region.startLine, r.baselineState])).toEqual([
      [1832, 'unchanged'],
      [2290, 'new'],
    ]);
    const noBaseline = structuredClone(sample);
    for (const f of noBaseline.findings) delete f.new;
    expect(parse(renderSarif(noBaseline, { lang: 'en' })).runs[0]!.results.every((r) => !('baselineState' in r))).toBe(true);
  });

  it('describes the tool, the invocation (time from the result only) and the inputs with their digests', () => {
    const { runs } = parse(renderSarif(sample, { lang: 'en' }));
    const run = runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'jrt0185', version: '0.1.0' });
    expect(run.tool.driver).not.toHaveProperty('informationUri');
    const withUri = parse(renderSarif(sample, { lang: 'en', informationUri: 'https://example.org/jrt0185' })).runs[0]!.tool.driver;
    expect(withUri).toMatchObject({ informationUri: 'https://example.org/jrt0185' });
    expect(run.invocations).toHaveLength(1);
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: true, endTimeUtc: '2026-11-20T08:30:00.000Z' });
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(2);
    expect(run.artifacts[0]).toEqual({
      location: { uri: 'fixtures/huadong-bank/openapi.yaml', uriBaseId: '%SRCROOT%' },
      hashes: { 'sha-256': sample.inputs[0]!.sha256 },
      roles: ['analysisTarget'],
      description: { text: 'openapi 3.0' },
    });
  });

  it('makes artifact URIs relative to the working directory and percent-encodes them', () => {
    expect(artifactUri('/work/bank/api spec/开放接口.yaml', '/work/bank')).toBe('api%20spec/%E5%BC%80%E6%94%BE%E6%8E%A5%E5%8F%A3.yaml');
    expect(artifactUri('/etc/gateway/kong.yaml', '/work/bank')).toBe('file:///etc/gateway/kong.yaml');
    expect(artifactUri('fixtures/a#b.yaml')).toBe('fixtures/a%23b.yaml');
  });

  it('keeps excerpts as the model holds them and hostile text as plain JSON strings', () => {
    const text = renderSarif(withInjectedText(sample), { lang: 'en' });
    const log = parse(text);
    expect(log.runs[0]!.results.some((r) => String(r.message.text).includes(INJECTION))).toBe(true);
    // Markdown help escapes what GitHub would turn into a link or HTML.
    const help = log.runs[0]!.tool.driver.rules[0]!.help.markdown as string;
    expect(help).not.toContain('<script>');
    expect(help).not.toContain('[x](javascript:');
  });

  it('renders the same result byte-identically', () => {
    expect(renderSarif(sample, { lang: 'zh' })).toBe(renderSarif(structuredClone(sample), { lang: 'zh' }));
  });
});

describe('SARIF for code scanning', () => {
  const RULEBOOK_MD = readFileSync(fileURLToPath(new URL('../../docs/rulebook.md', import.meta.url)), 'utf8');

  it('puts every place of a finding in relatedLocations, relative to %SRCROOT% also when given as absolute paths inside it', () => {
    const result = structuredClone(sample);
    const f = result.findings.find((x) => x.status === 'fail' && x.location?.line !== undefined)!;
    f.location = { ...f.location!, file: '/repo/bank/specs/openapi.yaml' };
    f.locations = [
      { file: '/repo/bank/specs/openapi.yaml', line: 37, column: 9, pointer: '/paths/~1accounts/get', subject: 'GET /accounts', excerpt: 'cardNo: 6222****1234' },
      { file: 'gateway/kong.yaml', line: 88, subject: 'route accounts' },
      { file: '/elsewhere/x.yaml', line: 3 },
    ];
    const log = JSON.parse(renderSarif(result, { lang: 'en', baseDir: '/repo/bank' }));
    expect(validate(log)).toBe(true);
    const run = log.runs[0];
    expect(run.originalUriBaseIds).toHaveProperty(['%SRCROOT%']);
    const r = run.results.find((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints[FINGERPRINT_KEY] === partialFingerprint(f));
    expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'specs/openapi.yaml', uriBaseId: '%SRCROOT%' });
    expect(r.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'specs/openapi.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 37, startColumn: 9 } },
        logicalLocations: [{ fullyQualifiedName: '/paths/~1accounts/get', kind: 'object' }],
        message: { text: 'GET /accounts: cardNo: 6222****1234' },
      },
      { id: 1, physicalLocation: { artifactLocation: { uri: 'gateway/kong.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 88 } }, message: { text: 'route accounts' } },
      // Outside the working tree: an absolute file URI, no base id.
      { id: 2, physicalLocation: { artifactLocation: { uri: 'file:///elsewhere/x.yaml' }, region: { startLine: 3 } } },
    ]);
  });

  it('gives each rule a helpUri at an anchor docs/rulebook.md has, and the run an automationDetails id', () => {
    const run = parse(renderSarif(sample, { lang: 'en' })).runs[0]! as unknown as { tool: { driver: { rules: { id: string; helpUri: string }[] } }; automationDetails: { id: string } };
    // The explicit per-rule anchors of the generated rulebook document (`<a id="rule-…">`).
    const anchors = new Set([...RULEBOOK_MD.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    for (const rule of run.tool.driver.rules) expect(rule.helpUri).toBe(`https://unpkg.com/jrt0185@0.1.0/docs/rulebook.md#rule-${rule.id}`);
    // The sample result predates some renames; every rule it names that the rulebook still has lands on its anchor.
    const current = run.tool.driver.rules.filter((r) => RULEBOOK_MD.includes(`\`${r.id}\``));
    expect(current.length).toBeGreaterThan(0);
    for (const rule of current) expect(anchors, rule.id).toContain(`rule-${rule.id}`);
    expect(run.automationDetails.id).toBe(`jrt0185/${sample.profile.level}-${sample.profile.role}/${sample.generatedAt}`);
  });

  it('keeps partialFingerprints when lines move and the message changes (rule id + location identity only)', () => {
    const moved = structuredClone(sample);
    for (const f of moved.findings) {
      if (f.location?.line !== undefined) f.location.line += 40;
      f.message = { zh: 'x', en: 'y' };
    }
    const prints = (r: typeof sample) => parse(renderSarif(r, { lang: 'en' })).runs[0]!.results.map((x) => x.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints(moved)).toEqual(prints(sample));
    expect(new Set(prints(sample)).size).toBe(prints(sample).length);
  });
});
