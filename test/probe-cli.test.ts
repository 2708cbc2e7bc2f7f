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
let bola: Simulator;
beforeAll(async () => {
  [sim, faulty, bola] = await Promise.all([startSimulator(), startSimulator({ faults: ['unmasked-pan'] }), startSimulator({ faults: ['bola'] })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.close(), faulty?.close(), bola?.close()]);
});

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('jrt0185 probe', () => {
  it('--dry-run prints the plan and sends nothing', async () => {
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--dry-run'], sim.env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect(r.stdout).toContain('127.0.0.1');
  });
  it('a compliant simulator passes every requirement the probes decide; --format json --out DIR writes the report and the evidence', async () => {
    const dir = tmp('jrt-probe-json-');
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--format', 'json', '--out', dir], sim.env);
    const out = JSON.parse(readFileSync(join(dir, 'jrt0185-report.json'), 'utf8'));
    expect(out.requirements.filter((q: { status: string }) => q.status === 'fail' || q.status === 'error')).toEqual([]);
    expect(out.requirements.filter((q: { status: string }) => q.status === 'pass').length).toBeGreaterThan(5);
    // Partly covered by the probe (covers: part): passes the probe, still needs an assessor's answer.
    expect(out.requirements.find((q: { ruleId: string }) => q.ruleId === 'unauthorized-resource-denial')?.status).toBe('not-reviewed');
    const evidence = JSON.parse(readFileSync(join(dir, 'jrt0185-probe-evidence.json'), 'utf8'));
    expect(evidence.map((e: { probe: string }) => e.probe)).toEqual(['tls', 'http', 'signature', 'signature', 'masking', 'authorization']);
    expect(evidence.find((e: { probe: string }) => e.probe === 'authorization').facts.cases).toEqual([
      { kind: 'own-resource', operation: 'GET /api/v1/a2/accounts/1002', status: 200 },
      { kind: 'ungranted', operation: 'GET /api/v1/a2/loans', status: 403 },
      { kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 403 },
    ]);
    expect(r.code).toBe(0);
  });
  it('the text format shows what a passing probe saw: protocols, suites, certificate, each request', async () => {
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--lang', 'en'], sim.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('protocols accepted: TLSv1.2, TLSv1.3; refused: SSLv3, TLSv1, TLSv1.1');
    expect(r.stdout).toMatch(/weak suites: none; CBC-SHA1 suites: none/);
    expect(r.stdout).toMatch(/certificate: CN=localhost.*rsa 2048 bits; sha256WithRSAEncryption/);
    expect(r.stdout).toContain('host name matches; chain trusted');
    expect(r.stdout).toContain('GET /api/v1/a1/products without credentials → 401');
    expect(r.stdout).toContain('GET /api/v1/a2/accounts/2002 (foreign-resource) with a valid credential → 403');
    expect(r.stdout).toMatch(/✓ 9\.3\.2 +unauthorized-resource-denial|• 9\.3\.2 +unauthorized-resource-denial/);
  });
  it('every assess format is accepted, files go to --out', async () => {
    const dir = tmp('jrt-probe-formats-');
    const r = await runCli(['probe', '--config', sim.probeConfigFile, '--format', 'terminal,markdown,html,sarif,junit,csv', '--out', dir], sim.env);
    expect(r.code).toBe(0);
    for (const f of ['jrt0185-report.md', 'jrt0185-report.html', 'jrt0185-report.sarif', 'jrt0185-junit.xml', 'jrt0185-report.csv', 'jrt0185-probe-evidence.json']) {
      expect(readFileSync(join(dir, f), 'utf8').length, f).toBeGreaterThan(10);
    }
    expect((await runCli(['probe', '--config', sim.probeConfigFile, '--format', 'yaml'], sim.env)).code).toBe(2);
    // --out -, as for assess: the one format on stdout.
    const piped = await runCli(['probe', '--config', sim.probeConfigFile, '--format', 'json', '--out', '-'], sim.env);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).requirements.length).toBeGreaterThan(5);
  });
  it('fault bola: another party\'s account is served to the valid credential, and unauthorized-resource-denial fails', async () => {
    const r = await runCli(['probe', '--config', bola.probeConfigFile, '--lang', 'en'], bola.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('GET /api/v1/a2/accounts/2002 (foreign-resource) with a valid credential → 200');
    expect(r.stdout).toMatch(/✗ 9\.3\.2 +unauthorized-resource-denial/);
    expect(r.stdout).toContain('GET /api/v1/a2/accounts/2002 (foreign-resource) is served to the valid credential (200)');
    // The ungranted interface is still refused: bola breaks object-level authorization only.
    expect(r.stdout).toContain('GET /api/v1/a2/loans (ungranted) with a valid credential → 403');
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
