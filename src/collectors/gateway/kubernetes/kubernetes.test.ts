/**
 * Kubernetes manifests as gateway evidence. Real manifests come from the shared corpus (`../shared/corpus/k8s`,
 * upstream examples of ingress-nginx, Kong Ingress Controller, APISIX Ingress Controller, Gateway API and Envoy
 * Gateway; sources in its MANIFEST.md); the inline ones follow those projects' documented CRD shapes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayConfigEvidence } from '../../../model/evidence.js';
import { collectGateway } from '../index.js';

const K8S = new URL('../../../../../shared/corpus/k8s/', import.meta.url).pathname;
const present = existsSync(K8S);
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-k8s-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function manifest(text: string): Promise<GatewayConfigEvidence> {
  const f = join(tmp, `m${n++}.yaml`);
  writeFileSync(f, text);
  return collectGateway(f);
}

const routes = (ev: GatewayConfigEvidence) => ev.routes.map((r) => ({ name: r.name, protocols: r.protocols, auth: r.auth.map((a) => `${a.kind}@${a.location.line}`) }));

describe.skipIf(!present)('real manifests (corpus)', () => {
  it('ingress-nginx client certificates: mTLS from auth-tls-verify-client at the annotation line, http redirected', async () => {
    const ev = await collectGateway(join(K8S, 'ingress-nginx-client-certs-ingress.yaml'));
    expect(ev.format).toBe('kubernetes');
    expect(routes(ev)).toEqual([{ name: 'Ingress default/nginx-test mydomain.com /', protocols: ['https'], auth: ['mtls@6'] }]);
    expect(ev.listeners.map((l) => [l.address, l.tls.enabled, l.tls.clientCertificate, l.redirectsToHttps ?? false])).toEqual([
      ['Ingress default/nginx-test :443 (mydomain.com)', true, 'required', false],
      ['Ingress default/nginx-test :80', false, undefined, true],
    ]);
    expect(ev.listeners[0]!.tls.defaults).toEqual(['ssl_protocols', 'ssl_ciphers']);
  });

  it('an unprefixed ingress-nginx annotation is reported as ignored', async () => {
    const ev = await collectGateway(join(K8S, 'ingress-nginx-client-certs-nginx-tls-auth-extensions-v1beta1.yaml'));
    expect(ev.problems.map((p) => p.message)).toEqual([expect.stringContaining('annotation "auth-tls-error-page" lacks the nginx.ingress.kubernetes.io/ prefix')]);
  });

  it('the ingress-nginx ConfigMap on its own: the controller listener with its ciphers at the ssl-ciphers line', async () => {
    const ev = await collectGateway(join(K8S, 'ingress-nginx-docs-legacy-tls-ciphers-configmap.yaml'));
    expect(ev.listeners).toHaveLength(1);
    expect(ev.listeners[0]!.tls).toMatchObject({ protocols: ['TLSv1.2', 'TLSv1.3'], ciphersLocation: { line: expect.any(Number) } });
    expect(ev.listeners[0]!.tls.ciphers).toContain('DES-CBC3-SHA');
  });

  it('Kong: konghq.com/plugins joins a KongPlugin to the Ingress; the credential Secret is an inline credential, masked', async () => {
    const ev = await collectGateway(join(K8S, 'kic-kong-consumer-key-auth.yaml'));
    expect(ev.routes.map((r) => [r.protocols, r.auth.map((a) => `${a.kind}:${a.plugin}`)])).toEqual([[['http', 'https'], ['key:key-auth']]]);
    expect(ev.credentials.map((c) => [c.kind, c.key, c.excerpt, c.location.line])).toEqual([['api-key', 'Secret default/consumer1-auth stringData.key', '****(8 chars)', 9]]);
    expect(JSON.stringify(ev)).not.toContain('password');
  });

  it('Gateway API: an HTTP listener whose only route redirects to https is redirect-only', async () => {
    const ev = await collectGateway(join(K8S, 'gateway-api-http-redirect.yaml'));
    expect(ev.listeners.map((l) => [l.tls.enabled, l.redirectsToHttps ?? false])).toEqual([[false, true], [true, false]]);
    expect(ev.routes.map((r) => r.protocols)).toEqual([['https']]);
  });

  it('Gateway API frontend validation (caCertificateRefs, perPort) is client-certificate verification per listener', async () => {
    const ev = await collectGateway(join(K8S, 'gateway-api-frontend-cert-validation.yaml'));
    expect(ev.listeners.map((l) => [l.port, l.tls.clientCertificate])).toEqual([[443, 'required'], [8443, 'required']]);
  });

  it('Envoy Gateway SecurityPolicy: JWT on HTTPRoute foo only; bar on the same host is unauthenticated', async () => {
    const ev = await collectGateway(join(K8S, 'envoy-gateway-jwt-securitypolicy.yaml'));
    expect(ev.routes.map((r) => [r.name, r.auth.map((a) => a.kind)])).toEqual([
      ['HTTPRoute default/foo rule 0', ['jwt']],
      ['HTTPRoute default/bar rule 0', []],
    ]);
    // the Gateway eg is not in the file: on which listeners (HTTP or HTTPS) the routes are served is unknown
    expect(ev.problems.every((p) => p.hidesEvidence)).toBe(true);
  });

  it('a Secret with base64 data holding a PEM private key is an inline private key, masked', async () => {
    const ev = await collectGateway(join(K8S, 'apisix-ic-tutorial-mtls-server-secret.yaml'));
    expect(ev.credentials.map((c) => [c.kind, c.excerpt])).toEqual([['private-key', '-----BEGIN RSA PRIVATE KEY----- ****']]);
  });
});

describe('manifests written for these cases', () => {
  it('ingress-nginx annotations: optional client certs, rate limits, source ranges, ssl-redirect off, ConfigMap TLS', async () => {
    const ev = await manifest(`apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
data:
  ssl-protocols: "TLSv1 TLSv1.2"
  ssl-ciphers: "HIGH:3DES"
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  labels: {security-level: A2}
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca
    nginx.ingress.kubernetes.io/auth-tls-verify-client: optional
    nginx.ingress.kubernetes.io/limit-rps: "20"
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  ingressClassName: nginx
  tls:
  - hosts: [api.bank.example]
    secretName: api-tls
  rules:
  - host: api.bank.example
    http:
      paths:
      - path: /v1
        pathType: Prefix
        backend: {service: {name: core, port: {number: 8443}}}
`);
    const r = ev.routes[0]!;
    expect(r.protocols).toEqual(['http', 'https']);
    expect(r.auth).toEqual([]);
    expect(r.declaredLevel).toBe('A2');
    expect(r.plugins).toMatchObject([{ name: 'auth-tls-verify-client', config: { args: ['optional'] }, location: { line: 16 } }]);
    expect(r.rateLimits).toMatchObject([{ plugin: 'limit-rps', ratePerSecond: 20, location: { line: 17 } }]);
    expect(r.accessLists).toMatchObject([{ mode: 'allow', entries: ['10.0.0.0/8'] }]);
    const tls = ev.listeners.find((l) => l.tls.enabled)!;
    expect(tls.tls).toMatchObject({ protocols: ['TLSv1', 'TLSv1.2'], location: { line: 6 }, ciphers: 'HIGH:3DES', ciphersLocation: { line: 7 }, clientCertificate: 'optional' });
    expect(ev.listeners.find((l) => !l.tls.enabled)!.redirectsToHttps).toBeUndefined();
  });

  it('Kong: Service and global KongClusterPlugin plugins; a KongPlugin not in the manifests hides evidence', async () => {
    const ev = await manifest(`apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata:
  name: global-limit
  labels: {global: "true"}
plugin: rate-limiting
config: {minute: 600}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: jwt}
plugin: jwt
---
apiVersion: v1
kind: Service
metadata:
  name: core
  annotations: {konghq.com/plugins: jwt}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations: {konghq.com/plugins: "acl-missing", konghq.com/protocols: https}
spec:
  ingressClassName: kong
  rules:
  - http:
      paths:
      - {path: /v1, pathType: Prefix, backend: {service: {name: core, port: {number: 80}}}}
`);
    const r = ev.routes[0]!;
    expect(r.protocols).toEqual(['https']);
    expect(r.auth.map((a) => `${a.kind}:${a.plugin}@${a.location.line}`)).toEqual(['jwt:jwt@9']);
    expect(r.rateLimits.map((l) => [l.plugin, l.ratePerSecond])).toEqual([['rate-limiting', 10]]);
    expect(ev.problems).toMatchObject([{ hidesEvidence: true, message: expect.stringContaining('KongPlugin default/acl-missing') }]);
  });

  it('APISIX Ingress: ApisixTls client CA only for the hosts it covers; ApisixPluginConfig; inline consumer key', async () => {
    const ev = await manifest(`apiVersion: apisix.apache.org/v2
kind: ApisixTls
metadata: {name: api}
spec:
  hosts: ["*.bank.example"]
  secret: {name: api-tls, namespace: default}
  client:
    caSecret: {name: ca, namespace: default}
---
apiVersion: apisix.apache.org/v2
kind: ApisixPluginConfig
metadata: {name: limits}
spec:
  plugins:
  - name: limit-count
    enable: true
    config: {count: 100, time_window: 60}
---
apiVersion: apisix.apache.org/v2
kind: ApisixRoute
metadata: {name: api}
spec:
  http:
  - name: covered
    match: {hosts: [pay.bank.example], paths: ["/v1/*"]}
    plugin_config_name: limits
    authentication: {enable: true, type: keyAuth}
  - name: uncovered
    match: {hosts: [pay.other.example], paths: [/v2]}
---
apiVersion: apisix.apache.org/v2
kind: ApisixConsumer
metadata: {name: app}
spec:
  authParameter:
    keyAuth:
      value: {key: k3y-f1ntech-0001}
`);
    expect(routes(ev)).toEqual([
      { name: 'ApisixRoute default/api covered', protocols: ['http', 'https'], auth: ['key@27', 'mtls@8'] },
      { name: 'ApisixRoute default/api uncovered', protocols: ['http', 'https'], auth: [] },
    ]);
    expect(ev.routes[0]!.rateLimits.map((l) => l.plugin)).toEqual(['limit-count']);
    expect(ev.routes[0]!.paths).toEqual(['/v1/']);
    expect(ev.credentials.map((c) => [c.kind, c.excerpt])).toEqual([['api-key', '****(16 chars)']]);
  });

  it('Envoy Gateway: ClientTrafficPolicy mTLS and TLS versions on the Gateway, BackendTrafficPolicy rate limit on the route', async () => {
    const ev = await manifest(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg}
spec:
  gatewayClassName: eg
  listeners:
  - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: api-tls}]}}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: mtls}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg}]
  tls:
    minVersion: "1.1"
    clientValidation:
      caCertificateRefs: [{name: ca}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: pay}
spec:
  parentRefs: [{name: eg}]
  rules:
  - matches: [{method: {service: bank.Payments, method: Pay}}]
    backendRefs: [{name: pay, port: 9000}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: limit}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: GRPCRoute, name: pay}]
  rateLimit:
    local:
      rules:
      - limit: {requests: 60, unit: Minute}
`);
    expect(ev.listeners[0]!.tls).toMatchObject({ clientCertificate: 'required', protocols: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'], location: { line: 15 } });
    expect(routes(ev)).toEqual([{ name: 'GRPCRoute default/pay rule 0', protocols: ['grpcs'], auth: ['mtls@17'] }]);
    expect(ev.routes[0]!.paths).toEqual(['/bank.Payments/Pay']);
    expect(ev.routes[0]!.rateLimits).toMatchObject([{ ratePerSecond: 1 }]);
  });

  it('an object of a gateway this reader does not know hides evidence; Deployments and the like are ignored', async () => {
    const ev = await manifest(`apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: api}
spec: {routes: []}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: core}
`);
    expect(ev.problems.map((p) => [p.hidesEvidence, p.location.line])).toEqual([[true, 1], [true, 1]]);
    expect(ev.problems[0]!.message).toContain('IngressRoute default/api (traefik.io/v1alpha1) is a gateway object this reader does not understand');
  });

  it('a directory of manifests is one gateway: a KongPlugin in one file joins an Ingress in another', async () => {
    const dir = join(tmp, 'dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plugins.yaml'), 'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: auth}\nplugin: key-auth\n');
    writeFileSync(join(dir, 'ingress.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations: {konghq.com/plugins: auth}\nspec:\n  ingressClassName: kong\n  defaultBackend: {service: {name: core, port: {number: 80}}}\n');
    const ev = await collectGateway(dir);
    expect(ev.routes[0]!.auth.map((a) => `${a.kind}@${a.location.file.slice(dir.length + 1)}:${a.location.line}`)).toEqual(['key@plugins.yaml:1']);
    expect(Object.keys(ev.digests).map((f) => f.slice(dir.length + 1))).toEqual(['ingress.yaml', 'plugins.yaml']);
  });
});
