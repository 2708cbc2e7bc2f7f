import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { loadProbeConfig, parseProbeConfig, resolveSecret } from './config.js';
import { simulatorProbeConfig } from '../../simulator/index.js';

const FILE = 'probe/sandbox.yaml';

function errorOf(text: string): InputError {
  try {
    parseProbeConfig(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const BASE = `version: 1
targets:
  - name: sandbox
    url: https://openapi.sandbox.bank.example/
    level: A2
`;

describe('probe config', () => {
  it('accepts the simulator config (the README example)', () => {
    const c = parseProbeConfig(simulatorProbeConfig('https://127.0.0.1:8443', 'http://127.0.0.1:8080'), FILE);
    expect(c.targets[0]).toMatchObject({ name: 'sandbox', level: 'A2', caFile: { fileEnv: 'JRT_SIM_CA_FILE' } });
    expect(c.probes?.signature?.map((s) => s.scheme)).toEqual(['hmac-sha256', 'sm2-sm3']);
    expect(c.probes?.http?.burst).toEqual({ method: 'GET', path: '/api/v1/a1/products', count: 20 });
  });

  it('refuses an inline HMAC key, naming the line', () => {
    const e = errorOf(`${BASE}probes:
  signature:
    - operation: { method: POST, path: /api/v1/a2/transfers }
      scheme: hmac-sha256
      key: "c2VjcmV0LWRvLW5vdC1jb21taXQ="
`);
    expect(e.line).toBe(10);
    expect(e.message).toContain('probe/sandbox.yaml:10');
    expect(e.hint).toMatch(/probes\.signature\.0\.key: key material or a credential is written inline/);
    expect(e.hint).not.toContain('c2VjcmV0');
  });

  it('refuses a PEM private key anywhere, even under an unknown key', () => {
    const e = errorOf(`${BASE}credentials:
  clientCertificate:
    certFileEnv: CLIENT_CERT
    keyFileEnv: |
      -----BEGIN PRIVATE KEY-----
      MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
      -----END PRIVATE KEY-----
`);
    expect(e.line).toBe(9);
    expect(e.hint).toMatch(/key material/);
  });

  it('refuses { value: ... } in place of an env reference', () => {
    const e = errorOf(`${BASE}credentials:
  appId: { value: APP20240001 }
`);
    expect(e.line).toBe(7);
    expect(e.hint).toMatch(/credentials\.appId\.value/);
  });

  it('reports unknown keys, bad enums and unknown targets with their line', () => {
    expect(errorOf(`${BASE}    tlsVersion: 1.2\n`)).toMatchObject({ line: 6, hint: 'targets.0: unknown key "tlsVersion"' });
    const scheme = errorOf(`${BASE}probes:
  signature:
    - operation: { method: POST, path: /x }
      scheme: hmac-md5
      key: { env: APP_HMAC_KEY }
`);
    expect(scheme.line).toBe(9);
    expect(scheme.hint).toMatch(/probes\.signature\.0\.scheme: must be equal to one of the allowed values \(hmac-sha256, hmac-sm3/);
    expect(errorOf(`${BASE}probes:\n  http:\n    target: production\n`)).toMatchObject({ line: 8, hint: 'probes.http.target: no target named "production" (targets: sandbox)' });
    expect(errorOf(`${BASE}limits:\n  maxRequests: 0\n`).line).toBe(7);
  });

  it('refuses plain-http targets and YAML syntax errors', () => {
    expect(errorOf('targets:\n  - name: a\n    url: http://bank.example/\n').hint).toMatch(/targets\.0\.url: must match pattern/);
    expect(errorOf('targets: [\n').hint).toMatch(/^probe config is not valid YAML/);
  });

  it('reads the config from disk; a missing file is an InputError naming it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jrt0185-cfg-'));
    try {
      await writeFile(path.join(dir, 'p.yaml'), BASE);
      expect((await loadProbeConfig(path.join(dir, 'p.yaml'))).targets).toHaveLength(1);
      await expect(loadProbeConfig(path.join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read probe config: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('secrets come from the environment at run time; an unset variable is named', async () => {
    process.env.JRT_TEST_SECRET = 'from-env';
    await expect(resolveSecret({ env: 'JRT_TEST_SECRET' }, 'key', FILE)).resolves.toBe('from-env');
    delete process.env.JRT_TEST_UNSET;
    await expect(resolveSecret({ env: 'JRT_TEST_UNSET' }, 'probes.signature[0].key', FILE)).rejects.toThrow('probe/sandbox.yaml: probes.signature[0].key: environment variable JRT_TEST_UNSET is not set');
  });
});
