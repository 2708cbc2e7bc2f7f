/**
 * Real signing schemes end to end (issue 12): every preset in presets/signing/ and one custom template probe the bank
 * simulator (started here on 127.0.0.1, running the same templates): the valid request is accepted; unsigned,
 * replayed, tampered, wrong-key and stale ones are rejected. A wrong template is an input error naming its file and
 * line before anything is sent. The built-in header schemes and their preset templates sign identically (the
 * simulator's built-in verifier accepts the template-signed requests).
 *
 * Sources of the presets' layouts: WeChat Pay APIv3 "签名生成" (pay.weixin.qq.com), Alipay OpenAPI "自行实现签名"
 * (opendocs.alipay.com), UnionPay ACP 5.1.0 field names, RFC 9421 / RFC 9530; each preset file says which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { parseProbeConfig, runProbes } from '../src/collectors/probe/index.js';
import { signatureEnforced } from '../src/checks/probe.js';
import { emptyBundle } from '../src/model/evidence.js';
import { loadSigningTemplate, parseSigningTemplate, presetNames, presetTemplate, signWithTemplate, verifyWithTemplate, formatTimestamp, parseTimestamp } from '../src/collectors/probe/template.js';
import { InputError } from '../src/errors.js';
import { runCli } from './run-cli.js';

const PRESETS = presetNames();
const dir = mkdtempSync(join(tmpdir(), 'jrt-signing-'));

// A bank's own scheme: HMAC-SM3 over sorted query + body digest, signature and its parameters in the query string,
// millisecond timestamps, 16-digit nonces.
const CUSTOM = `name: bank-x-query
algorithm: HMAC-SM3
encoding: hex
timestamp: { format: milliseconds }
nonce: { length: 16, alphabet: digits }
canonical: "{method}&{path}&{sortedQuery}&{timestamp}&{nonce}&{bodyDigest:sm3:base64}"
placement:
  query:
    - { name: appKey, value: "{appId}" }
    - { name: ts, value: "{timestamp}" }
    - { name: nonce, value: "{nonce}" }
    - { name: sign, value: "{signature}" }
`;
const customFile = join(dir, 'bank-x.yaml');
writeFileSync(customFile, CUSTOM);

// Another bank's: RSA-PSS over the sorted fields of a JSON body, the signature and its parameters added to that body.
const CUSTOM_JSON = `name: bank-y-json
algorithm: RSA-PSS
timestamp: { format: yyyyMMddHHmmss, zone: "+08:00" }
nonce: { length: 24 }
canonical: "{sortedFields}"
placement:
  body:
    - { name: appId, value: "{appId}" }
    - { name: reqTime, value: "{timestamp}" }
    - { name: nonceStr, value: "{nonce}" }
    - { name: sign, value: "{signature}" }
`;
const customJsonFile = join(dir, 'bank-y.yaml');
writeFileSync(customJsonFile, CUSTOM_JSON);

let sim: Simulator;
beforeAll(async () => {
  const templates = [...PRESETS.map((n) => presetTemplate(n, 'test')), await loadSigningTemplate(customFile), await loadSigningTemplate(customJsonFile)];
  sim = await startSimulator({ templates, rateLimitPerSecond: 100 });
  Object.assign(process.env, sim.env);
}, 60_000);
afterAll(async () => {
  await sim?.close();
});

const KEY_FOR: Record<string, string> = {
  'HMAC-SHA256': '{ env: JRT_SIM_HMAC_KEY }',
  'HMAC-SM3': '{ env: JRT_SIM_HMAC_KEY }',
  'RSA-SHA256': '{ fileEnv: JRT_SIM_RSA_KEY_FILE }',
  'RSA-PSS': '{ fileEnv: JRT_SIM_RSA_KEY_FILE }',
  'SM2-SM3': '{ fileEnv: JRT_SIM_SM2_KEY_FILE }',
  'ECDSA-P256': '{ fileEnv: JRT_SIM_EC_KEY_FILE }',
};

function config(scheme: string, algorithm: string, operation = '{ method: POST, path: /api/v1/a2/transfers, body: { amount: 100, currency: CNY } }'): string {
  return `version: 1
targets:
  - { name: sandbox, url: "${sim.url}/", level: A2, caFile: { fileEnv: JRT_SIM_CA_FILE }, tls: false }
credentials:
  appId: { env: JRT_SIM_APP_ID }
  clientCertificate: { certFileEnv: JRT_SIM_CLIENT_CERT_FILE, keyFileEnv: JRT_SIM_CLIENT_KEY_FILE }
probes:
  signature:
    - operation: ${operation}
      scheme: ${scheme}
      key: ${KEY_FOR[algorithm]}
      keyId: "4F2A000000000001"
`;
}

async function variants(yaml: string, file = join(dir, 'probe.yaml')) {
  const { evidence } = await runProbes(parseProbeConfig(yaml, file));
  const sig = evidence.find((e) => e.probe === 'signature')!;
  const outcomes = signatureEnforced.run({ ...emptyBundle(), probe: [sig] }, {}, { level: 'A2' });
  return { statuses: Object.fromEntries((sig.facts.variants as { variant: string; status: number }[]).map((v) => [v.variant, v.status])), outcomes };
}

const EXPECTED = { valid: 200, replayed: 401, unsigned: 401, 'tampered-body': 401, 'wrong-key': 401, 'stale-timestamp': 401 };

describe('signing presets against the simulator', () => {
  it('the package ships the presets the issue names', () => {
    expect(PRESETS).toEqual(expect.arrayContaining(['wechatpay-v3', 'alipay-rsa2', 'unionpay-rsa', 'unionpay-sm2', 'rfc9421-hmac-sha256', 'header-hmac-sha256', 'header-hmac-sm3', 'header-rsa-sha256', 'header-sm2-sm3']));
  });

  for (const name of PRESETS) {
    it(`preset ${name}: valid accepted; unsigned, replayed, tampered, wrong key, stale rejected`, async () => {
      const t = presetTemplate(name, 'test');
      const r = await variants(config(`{ preset: ${name} }`, t.algorithm));
      expect(r.statuses).toEqual(EXPECTED);
      expect(r.outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    });
  }

  it('a custom template (query placement, HMAC-SM3, hex, milliseconds) probes the simulator correctly', async () => {
    const r = await variants(config(`{ template: bank-x.yaml }`, 'HMAC-SM3', '{ method: GET, path: /api/v1/a1/products, query: { page: "1" } }'));
    expect(r.statuses).toEqual(EXPECTED);
  });

  it('a custom template (RSA-PSS, fields added to a JSON body, Beijing-time timestamps) probes the simulator correctly', async () => {
    const r = await variants(config(`{ template: bank-y.yaml }`, 'RSA-PSS'));
    expect(r.statuses).toEqual(EXPECTED);
  });

  it('a simulator that accepts replays is caught through a preset (no nonce: Alipay)', async () => {
    const replaying = await startSimulator({ templates: [presetTemplate('alipay-rsa2', 'test')], faults: ['accept-replay'], rateLimitPerSecond: 100 });
    try {
      Object.assign(process.env, replaying.env);
      const yaml = config('{ preset: alipay-rsa2 }', 'RSA-SHA256').replace(sim.url, replaying.url);
      const r = await variants(yaml);
      expect(r.statuses.replayed).toBe(200);
      expect(r.outcomes.filter((o) => o.status === 'fail').map((o) => o.messageId)).toEqual(['variantAccepted']);
    } finally {
      await replaying.close();
      Object.assign(process.env, sim.env);
    }
  });
});

describe('template format', () => {
  it('WeChat Pay APIv3: the Authorization header and the signing string of its documentation', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const t = presetTemplate('wechatpay-v3', 'test');
    const s = signWithTemplate(t, { method: 'GET', path: '/v3/certificates', query: [], body: undefined }, { key: privateKey, appId: '1900009191', keyId: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', values: { timestamp: '1554208460', nonce: '593BEC0C930BF1AFEB40B4A08C8FB242' } });
    // The documentation's example signing string for GET /v3/certificates (empty body).
    expect(s.canonical).toBe('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n');
    expect(s.headers.Authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[A-Za-z0-9+/=]{344}",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/);
    const v = verifyWithTemplate(t, { method: 'GET', target: '/v3/certificates', headers: { authorization: s.headers.Authorization }, body: '' }, publicKey);
    expect(v).toMatchObject({ ok: true, values: { appId: '1900009191', nonce: '593BEC0C930BF1AFEB40B4A08C8FB242', timestamp: '1554208460' } });
  });

  it('Alipay RSA2: sorted parameters, sign and empty values left out, Beijing time', () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const t = presetTemplate('alipay-rsa2', 'test');
    const s = signWithTemplate(t, { method: 'POST', path: '/gateway.do', query: [], body: { method: 'alipay.trade.query', biz_content: '{"out_trade_no":"20150320010101001"}', notify_url: '' } }, { key: privateKey, appId: '2014072300007148', values: { timestamp: '2014-07-24 03:07:50' } });
    expect(s.canonical).toBe('app_id=2014072300007148&biz_content={"out_trade_no":"20150320010101001"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0');
    expect(s.contentType).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(s.body).get('sign')).toMatch(/^[A-Za-z0-9+/=]{344}$/);
    expect(formatTimestamp(t, Date.UTC(2014, 6, 23, 19, 7, 50))).toBe('2014-07-24 03:07:50');
    expect(parseTimestamp(t, '2014-07-24 03:07:50')).toBe(Date.UTC(2014, 6, 23, 19, 7, 50));
  });

  it('UnionPay-style: the signed string is the hex SM3 digest of the sorted fields', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const t = presetTemplate('unionpay-sm2', 'test');
    const s = signWithTemplate(t, { method: 'POST', path: '/gateway/api/frontTransReq.do', query: [], body: { txnAmt: '100', orderId: 'O1' } }, { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, appId: '777290058110048', keyId: '69042905377', values: { timestamp: '20240101120000' } });
    const sorted = 'certId=69042905377&encoding=UTF-8&merId=777290058110048&orderId=O1&signMethod=02&txnAmt=100&txnTime=20240101120000&version=5.1.0';
    expect(s.canonical).toBe(crypto.createHash('sm3').update(sorted).digest('hex'));
    expect(verifyWithTemplate(t, { method: 'POST', target: '/gateway/api/frontTransReq.do', headers: {}, body: s.body }, publicKey).ok).toBe(true);
  });

  it('a wrong template is an input error naming its file and line, before anything is sent', async () => {
    const bad = CUSTOM.replace('{nonce}&{body', '{nonse}&{body');
    expect(() => parseSigningTemplate(bad, 'bank-x.yaml')).toThrow(InputError);
    try {
      parseSigningTemplate(bad, 'bank-x.yaml');
    } catch (e) {
      expect((e as InputError).message).toMatch(/^bank-x\.yaml:6: canonical: unknown placeholder \{nonse\}/);
    }
    const cases: [string, RegExp][] = [
      [CUSTOM.replace('HMAC-SM3', 'HMAC-MD5'), /:2: algorithm: must be equal to one of the allowed values \(HMAC-SHA256, HMAC-SM3, RSA-SHA256, RSA-PSS, ECDSA-P256, SM2-SM3\)/],
      [CUSTOM.replace('{ name: sign, value: "{signature}" }', '{ name: sign, value: "x" }'), /:8: placement: exactly one value must hold \{signature\} \(found 0\)/],
      [CUSTOM.replace('milliseconds', 'unix'), /:4: timestamp\.format: "unix" is not seconds, milliseconds or a pattern/],
      [CUSTOM.replace('length: 16', 'length: 4'), /:5: nonce\.length: must be >= 8/],
      [CUSTOM.replace('canonical: "{method}', 'canonical: "{signature}{method}'), /:6: canonical: \{signature\} may only stand in a placement value/],
    ];
    for (const [text, re] of cases) expect(() => parseSigningTemplate(text, 'bank-x.yaml')).toThrow(re);
    // Through the CLI: the template's error, not "cannot reach" — nothing was sent to the (closed) port.
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, bad);
    const cfg = join(dir, 'closed.yaml');
    writeFileSync(cfg, `version: 1\ntargets:\n  - { name: s, url: "https://127.0.0.1:1/" }\nprobes:\n  signature:\n    - operation: { method: GET, path: /x }\n      scheme: { template: bad.yaml }\n      key: { env: NONE }\n`);
    const r = await runCli(['probe', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jrt0185: ${badFile}:6: canonical: unknown placeholder {nonse} (known: {method} {path} {query} {sortedQuery} {pathWithQuery} {timestamp} {nonce} {appId} {keyId} {body} {sortedFields} {bodyDigest:sha256|sm3:hex|base64} {sortedFieldsDigest:…})\n`);
  });

  it('an unknown preset names the known ones, with the config line', () => {
    const yaml = `version: 1\ntargets:\n  - { name: s, url: "https://127.0.0.1:1/" }\nprobes:\n  signature:\n    - operation: { method: GET, path: /x }\n      scheme: { preset: wechat-v2 }\n      key: { env: NONE }\n`;
    expect(() => parseProbeConfig(yaml, 'cfg.yaml')).toThrow(/^cfg\.yaml:7: unknown signing preset "wechat-v2" \(known: alipay-rsa2, .*wechatpay-v3\)/);
  });
});
