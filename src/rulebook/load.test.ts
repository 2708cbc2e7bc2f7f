import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulebook } from './load.js';
import { compareClauses } from '../model/clauses.js';
import { CheckRegistry, defineCheck } from '../checks/registry.js';
import { inputProblems } from '../testing.js';

const registry = new CheckRegistry().register(
  defineCheck({
    name: 'demo.level',
    evidence: ['openapi'],
    description: '',
    params: { type: 'object', additionalProperties: false, properties: { level: { enum: ['A1', 'A2'] } } },
    messages: {},
    run: () => [],
  }),
);

const RULE = (id: string, extra = '') => `
  - id: ${id}
    clause: "9.2.2"
    subject: bank
    levels: [A1, A2]
    obligation: shall
    severity: high
    text: { zh: 应采用SSL/TLS等安全通道连接进行通信, en: shall use SSL/TLS }
    assessment: [automatic, attestation]
    checks:
      - fn: demo.level
        with: { level: A2 }
    attestation:
      question: { zh: 是否？, en: Is it? }
      evidence: { zh: 配置, en: configuration }
    remediation: { zh: 启用 TLS, en: enable TLS }${extra}`;

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrt-rules-'));
});

function problems(files: string[], overlays: string[] = []): Promise<string[]> {
  return inputProblems(() => loadRulebook({ files, overlays, registry }));
}

describe('loadRulebook', () => {
  it('loads valid rules with their source line and a digest', async () => {
    const f = file('ok.yaml', `rules:${RULE('tls-channel')}${RULE('second-rule')}`);
    const rb = await loadRulebook({ files: [f], registry });
    expect(rb.rules.map((r) => [r.id, r.source.line])).toEqual([
      ['tls-channel', 2],
      ['second-rule', 17],
    ]);
    expect(rb.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports every problem at once, each with file:line and a path', async () => {
    const f = file(
      'bad.yaml',
      `rules:${RULE('Bad_Id')}${RULE('unknown-fn').replace('fn: demo.level', 'fn: demo.nothing')}${RULE('bad-with').replace('level: A2', 'level: A3')}${RULE('extra-key', '\n    colour: red')}`,
    );
    const msgs = await problems([f]);
    expect(msgs).toEqual([
      `${f}:2:9: /rules/0/id: must match pattern "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"`,
      `${f}:62:13: /rules/3: unknown property "colour"`,
    ]);
  });

  it('checks fn against the registry and with against the params schema', async () => {
    const f = file('sem.yaml', `rules:${RULE('unknown-fn').replace('fn: demo.level', 'fn: demo.nothing')}${RULE('bad-with').replace('level: A2', 'level: A3')}`);
    const msgs = await problems([f]);
    expect(msgs[0]).toBe(`${f}:11:13: rules[0].checks[0].fn: no check named "demo.nothing" (see \`jrt0185 rules --checks\`)`);
    expect(msgs[1]).toBe(`${f}:27:24: rules[1].checks[0].with (demo.level) /level: must be one of "A1", "A2"`);
  });

  it('reads covers (whole | part) on a check, and names the line of any other value', async () => {
    const ok = file('covers.yaml', `rules:${RULE('tls-channel').replace('with: { level: A2 }', 'with: { level: A2 }\n        covers: whole')}`);
    const rb = await loadRulebook({ files: [ok], registry });
    expect(rb.rules[0]!.checks).toEqual([{ fn: 'demo.level', with: { level: 'A2' }, covers: 'whole' }]);
    const bad = file('covers-bad.yaml', `rules:${RULE('tls-channel').replace('with: { level: A2 }', 'with: { level: A2 }\n        covers: most')}`);
    expect(await problems([bad])).toEqual([`${bad}:13:17: /rules/0/checks/0/covers: must be one of "whole", "part"`]);
  });

  it('rejects duplicate ids across files, naming the first definition', async () => {
    const a = file('a.yaml', `rules:${RULE('same-rule')}`);
    const b = file('b.yaml', `rules:${RULE('same-rule')}`);
    expect(await problems([a, b])).toEqual([`${b}:2:9: rule id "same-rule" is already defined at ${a}:2`]);
  });

  it('gives the line of a YAML syntax error', async () => {
    const f = file('broken.yaml', 'rules:\n  - id: x\n    clause: "9.2.2\n');
    const msgs = await problems([f]);
    expect(msgs).toHaveLength(1);
    // The parser notices the unterminated string where the file ends.
    expect(msgs[0]).toBe(`${f}:4:1: rule file is not valid YAML: Missing closing "quote`);
  });

  it('overlays add, disable and re-weight rules; unknown ids are errors', async () => {
    const base = file('base.yaml', `rules:${RULE('tls-channel')}${RULE('second-rule')}`);
    const overlay = file('overlay.yaml', `overlay: true\ndisable: [second-rule]\nweights: { tls-channel: 2 }\nseverities: { tls-channel: critical }\nrules:${RULE('bank-extra')}`);
    const rb = await loadRulebook({ files: [base], overlays: [overlay], registry });
    expect(rb.rules.map((r) => [r.id, r.weight, r.severity])).toEqual([
      ['tls-channel', 2, 'critical'],
      ['bank-extra', undefined, 'high'],
    ]);
    const wrong = file('wrong.yaml', 'overlay: true\ndisable: [no-such-rule]\n');
    expect(await problems([base], [wrong])).toEqual([`${wrong}:2:11: disable: no rule "no-such-rule" to disable`]);
    const sneaky = file('sneaky.yaml', 'disable: [tls-channel]\n');
    expect(await problems([base, sneaky])).toEqual([`${sneaky}:1:1: only an overlay (--rulebook) may disable or re-weight rules`]);
  });

  it('orders clauses as the standard does', () => {
    expect(['10.1.2', 'B.3.4', '7.2.1', '9.2.2', '7.10', 'B.2', '12.3'].sort(compareClauses)).toEqual(['7.2.1', '7.10', '9.2.2', '10.1.2', '12.3', 'B.2', 'B.3.4']);
  });
});
