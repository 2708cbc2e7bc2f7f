/**
 * Gateway inputs end to end through `jrt0185 assess`: a Kubernetes manifest from the shared corpus (ingress-nginx's
 * client-certificate example, kubernetes/ingress-nginx docs/examples/auth/client-certs/ingress.yaml) gives findings
 * at the manifest's lines; a lost `;` before `server {` is an input error at nginx's line (exit 2) instead of a
 * passing gate; a file with no route and no listener reaches the report as a warning and its rules end in `error`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-gw-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const K8S = new URL('../../shared/corpus/k8s/', import.meta.url).pathname;

interface Finding {
  ruleId: string;
  status: string;
  message: string;
  location?: { file?: string; line?: number };
}

async function assess(gateway: string, out: string): Promise<{ code: number; stderr: string; findings: Finding[]; warnings: { en: string }[] }> {
  const r = await runCli(['assess', '--gateway', gateway, '--level', 'A2', '--role', 'bank', '--format', 'json', '--out', out, '--no-config']);
  if (r.code === 2) return { code: r.code, stderr: r.stderr, findings: [], warnings: [] };
  const json = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8')) as { findings: Finding[]; warnings: { en: string }[] };
  return { code: r.code, stderr: r.stderr, findings: json.findings, warnings: json.warnings };
}

describe('gateway inputs through assess', () => {
  it('a Kubernetes Ingress manifest: findings point at its lines', async () => {
    const file = join(K8S, 'ingress-nginx-client-certs-ingress.yaml');
    const r = await assess(file, join(tmp, 'k8s'));
    expect(r.code).not.toBe(2);
    const gatewayFindings = r.findings.filter((f) => f.location?.file === file);
    const lines = readFileSync(file, 'utf8').split('\n').length;
    const atLines = gatewayFindings.filter((f) => f.location?.line !== undefined);
    expect(atLines.length).toBeGreaterThan(0);
    expect(atLines.every((f) => f.location!.line! >= 1 && f.location!.line! <= lines)).toBe(true);
  });

  it('a lost ";" before `server {` is an input error at the "{" line, not 0 routes and a passing gate', async () => {
    const conf = join(tmp, 'nginx.conf');
    writeFileSync(conf, 'events {}\nhttp {\n  server_tokens off\n  server {\n    listen 80;\n    location / { }\n  }\n}\n');
    const r = await assess(conf, join(tmp, 'broken'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${conf}:4: directive "server_tokens" is not terminated by ";"`);
  });

  it('a file with no route and no listener: a warning, and its gateway rules cannot pass', async () => {
    const conf = join(tmp, 'policy.conf');
    writeFileSync(conf, 'ssl_protocols TLSv1.2 TLSv1.3;\n');
    const r = await assess(conf, join(tmp, 'empty'));
    expect(r.warnings.map((w) => w.en).join('\n')).toContain('no route and no listener');
    const mine = r.findings.filter((f) => f.location?.file === conf);
    expect(mine.filter((f) => f.status === 'pass')).toEqual([]);
  });
});
