/**
 * The simulator's faults against the whole probe pipeline: the compliant simulator fails no probe check, and
 * each fault flips exactly the checks it is meant to break (and nothing else).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Fault } from './index.js';
import { parseSimulateArgs, resolveTemplates } from './main.js';
import { loadProbeConfig, runProbes } from '../collectors/probe/index.js';
import { probeChecks } from '../checks/probe.js';
import { emptyBundle, type ProbeResultEvidence } from '../model/evidence.js';

interface Verdict {
  failing: Set<string>;
  evidence: ProbeResultEvidence[];
}

async function assess(faults: Fault[]): Promise<Verdict> {
  const sim = await startSimulator({ faults });
  try {
    Object.assign(process.env, sim.env);
    const config = await loadProbeConfig(sim.probeConfigFile);
    const { evidence } = await runProbes(config);
    const bundle = { ...emptyBundle(), probe: evidence };
    const failing = new Set<string>();
    for (const check of probeChecks) {
      for (const o of check.run(bundle, {}, { level: 'A2' })) if (o.status === 'fail' || o.status === 'error') failing.add(check.name);
    }
    return { failing, evidence };
  } finally {
    await sim.close();
  }
}

const FLIPS: [Fault, string][] = [
  ['tls10', 'probe.tlsVersions'],
  ['no-client-cert', 'probe.clientCertificateRequired'],
  ['accept-unsigned', 'probe.signatureEnforced'],
  ['accept-replay', 'probe.signatureEnforced'],
  ['stack-trace', 'probe.errorDisclosure'],
  ['unmasked-pan', 'probe.responseMasked'],
  ['no-rate-limit', 'probe.rateLimited'],
  ['http-plain', 'probe.tlsRequired'],
  ['bola', 'probe.unauthorizedResourceDenied'],
];

describe('bank simulator', () => {
  let compliant: Verdict;
  beforeAll(async () => {
    compliant = await assess([]);
  }, 30000);

  it('compliant by default: no probe check fails, every probe family produced evidence', () => {
    expect([...compliant.failing]).toEqual([]);
    expect(compliant.evidence.map((e) => e.probe)).toEqual(['tls', 'http', 'signature', 'signature', 'masking', 'authorization']);
    const signatures = compliant.evidence.filter((e) => e.probe === 'signature');
    for (const s of signatures) {
      expect((s.facts.variants as { variant: string; status: number }[]).map((v) => [v.variant, v.status])).toEqual([
        ['valid', 200],
        ['replayed', 401],
        ['unsigned', 401],
        ['tampered-body', 401],
        ['wrong-key', 401],
        ['stale-timestamp', 401],
      ]);
    }
    expect(signatures[0]!.facts.responseSignature).toBe('valid');
    const tls = compliant.evidence[0]!.facts;
    expect(tls.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(tls.clientCertificate).toBe('required');
    // Requests stated and bounded: 2 (TLS probe) + 4 + burst until the first 429 + 12 signature + 1 masking.
    const total = compliant.evidence.reduce((n, e) => n + e.requests, 0);
    expect(total).toBeLessThanOrEqual(39);
  });

  for (const [fault, check] of FLIPS) {
    it(`fault ${fault} fails ${check} and nothing else`, async () => {
      const v = await assess([fault]);
      expect([...v.failing]).toEqual([check]);
    }, 30000);
  }

  it('the unmasked card number is reported masked, with its JSON path', async () => {
    const v = await assess(['unmasked-pan']);
    const masking = v.evidence.find((e) => e.probe === 'masking')!;
    const unmasked = masking.facts.unmasked as { detector: string; path: string; excerpt: string }[];
    expect(unmasked).toHaveLength(1);
    expect(unmasked[0]).toMatchObject({ detector: 'pan', path: '$.data.cardNo' });
    expect(unmasked[0]!.excerpt).toMatch(/622202\*+\d{4}/);
    expect(JSON.stringify(v.evidence)).not.toMatch(/6222020200112340\d{3}/);
  }, 30000);

  it('CLI arguments', () => {
    expect(parseSimulateArgs(['--fault', 'tls10,stack-trace', '--port', '8443'])).toEqual({ faults: ['tls10', 'stack-trace'], port: 8443 });
    expect(() => parseSimulateArgs(['--fault', 'tls09'])).toThrow(/unknown fault "tls09"/);
    expect(parseSimulateArgs(['--template', 'wechatpay-v3', '--template', './bank.yaml'])).toEqual({ faults: [], templates: ['wechatpay-v3', './bank.yaml'] });
  });

  it('--template: a preset by name, a file by path; the printed config probes it', async () => {
    const [t] = await resolveTemplates(['alipay-rsa2']);
    expect(t!.name).toBe('alipay-rsa2');
    await expect(resolveTemplates(['wechat-v2'])).rejects.toThrow(/unknown signing preset "wechat-v2"/);
    await expect(resolveTemplates(['./no-such-template.yaml'])).rejects.toThrow(/no-such-template\.yaml/);
    const sim = await startSimulator({ templates: [t!] });
    try {
      const config = await loadProbeConfig(sim.probeConfigFile);
      expect(config.probes?.signature?.map((x) => x.scheme)).toEqual(['hmac-sha256', 'sm2-sm3', { preset: 'alipay-rsa2' }]);
    } finally {
      await sim.close();
    }
  }, 30000);
});

