/**
 * `jrt0185 probe` and `assess --probe-config` wired to the live probes, against the bank simulator started on
 * 127.0.0.1 by the test: dry runs send nothing, a compliant simulator passes, a faulty one fails the right rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { runCli } from './run-cli.js';

let sim: Simulator;
let faulty: Simulator;
beforeAll(async () => {
  [sim, faulty] = await Promise.all([startSimulator(), startSimulator({ faults: ['unmasked-pan'] })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.close(), faulty?.close()]);
});

describe('jrt0185 probe', () => {
  it('--dry-run prints the plan and sends nothing', async () => {
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--dry-run'], sim.env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect(r.stdout).toContain('127.0.0.1');
  });
  it('a compliant simulator passes every requirement the probes decide', async () => {
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--format', 'json'], sim.env);
    const out = JSON.parse(r.stdout);
    expect(out.requirements.filter((q: { status: string }) => q.status === 'fail')).toEqual([]);
    expect(out.requirements.length).toBeGreaterThan(5);
    expect(r.code).toBe(0);
  });
  it('an unmasked card number fails account-feedback-masking, masked in the output', async () => {
    const r = await runCli(['probe', '--config', faulty.probeConfigFile, '--lang', 'en'], faulty.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ 7\.2\.2 +account-feedback-masking/);
    expect(r.stdout).toMatch(/«data\.cardNo=\d{6}\*+\d{4}»/);
  });
  it('an unreachable host is an input error naming it (exit 2), for a URL and for a config target', async () => {
    const url = await runCli(['probe', 'https://127.0.0.1:1/']);
    expect(url.code).toBe(2);
    expect(url.stderr).toBe('jrt0185: https://127.0.0.1:1/: cannot reach 127.0.0.1:1 (ECONNREFUSED): check the URL, the port and the network path\n');
    const config = join(mkdtempSync(join(tmpdir(), 'jrt-closed-')), 'closed.yaml');
    writeFileSync(config, 'version: 1\ntargets:\n  - name: sandbox\n    url: https://127.0.0.1:1/\n');
    for (const args of [['probe', '--config', config], ['assess', '--probe-config', config]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`jrt0185: ${config}: targets.sandbox: cannot reach 127.0.0.1:1 (ECONNREFUSED): check the URL, the port and the network path\n`);
    }
  });
  it('a URL that is not http(s) is a usage error', async () => {
    expect((await runCli(['probe', 'ftp://127.0.0.1/'])).code).toBe(2);
  });
});

describe('assess --probe-config', () => {
  it('adds probe evidence to the assessment', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jrt-probe-'));
    const r = await runCli(['assess', '--probe-config', faulty.probeConfigFile, '--format', 'json', '--out', out, '--role', 'bank'], faulty.env);
    expect(r.code).toBe(1);
    const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
    expect(result.coverage.probe).toBeGreaterThan(0);
    expect(result.requirements.find((q: { ruleId: string }) => q.ruleId === 'account-feedback-masking')).toMatchObject({ status: 'fail', source: 'probe' });
    expect(result.inputs.map((i: { kind: string }) => i.kind)).toContain('probe-config');
  });
});
