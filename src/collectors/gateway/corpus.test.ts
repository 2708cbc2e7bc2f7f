/**
 * Every file of the shared gateway corpus: the format detected and the route count, or the error given.
 * Decisions recorded here: node configs (kong.conf, APISIX config.yaml) are read for listeners, TLS, headers
 * and admin keys (0 routes); APISIX Dashboard OpenAPI exports are read as APISIX routes (x-apisix-*);
 * Spring Boot configs with top-level `spring:`/`server:` are read as Spring (credentials, disclosures) even
 * without gateway routes; Sentinel gw-flow rules are read as Spring flow control keyed by route id;
 * Tyk files, plain OpenAPI/Swagger documents and non-Spring YAML are rejected with the reason.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { defaultRegistry } from '../../checks/index.js';
import { emptyBundle, type GatewayConfigEvidence } from '../../model/evidence.js';
import { collectGateway } from './index.js';

const CORPUS = '/work/shared/corpus/gateway';
const present = existsSync(CORPUS);

describe.skipIf(!present)(`gateway corpus${present ? '' : ' (skipped: /work/shared/corpus/gateway is absent)'}`, () => {
  const files = present ? readdirSync(CORPUS).flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => `${d}/${f}`)).sort() : [];
  const collected = new Map<string, GatewayConfigEvidence>();

  it('every file is read or rejected with a clear error, never a crash', async () => {
    const table: string[] = [];
    for (const f of files) {
      try {
        const ev = await collectGateway(join(CORPUS, f));
        collected.set(f, ev);
        table.push(`${f}: ${ev.format}, ${ev.routes.length} routes, ${ev.listeners.length} listeners, ${ev.credentials.length} credentials`);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const err = e as InputError;
        expect(err.file).toBe(join(CORPUS, f));
        table.push(`${f}: InputError${err.line !== undefined ? ` line ${err.line}` : ''}: ${err.hint}`);
      }
    }
    expect(table).toMatchInlineSnapshot(`
      [
        "apisix/api7-standalone-sample-apisix.yaml: apisix, 2 routes, 0 listeners, 2 credentials",
        "apisix/api7-standalone-sample-config.yaml: apisix, 0 routes, 2 listeners, 0 credentials",
        "apisix/apisix-conf-apisix.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/apisix-conf-config.yaml: apisix, 0 routes, 2 listeners, 0 credentials",
        "apisix/apisix-conf-config.yaml.example: apisix, 0 routes, 2 listeners, 0 credentials",
        "apisix/apisix-dashboard-export-multi-routes.yaml: apisix, 7 routes, 0 listeners, 0 credentials",
        "apisix/apisix-dashboard-import-with-plugins.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/apisix-docker-config-standalone.yaml: apisix, 0 routes, 2 listeners, 0 credentials",
        "apisix/apisix-docker-example-config.yaml: apisix, 0 routes, 2 listeners, 2 credentials",
        "apisix/apisix-docker-standalone-apisix.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/apisix-docs-hmac-auth-adc.yaml: apisix, 1 routes, 0 listeners, 1 credentials",
        "apisix/apisix-docs-ip-restriction-adc.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/apisix-docs-jwt-auth-adc.yaml: apisix, 1 routes, 0 listeners, 1 credentials",
        "apisix/apisix-docs-limit-count-adc.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/apisix-docs-limit-req-adc.yaml: apisix, 1 routes, 0 listeners, 0 credentials",
        "apisix/frank-gateway-cert-auth-apisix.yaml: apisix, 3 routes, 1 listeners, 1 credentials",
        "apisix/frank-gateway-config.yaml: apisix, 0 routes, 2 listeners, 0 credentials",
        "apisix/frank-gateway-fsc-apisix.yaml: apisix, 1 routes, 1 listeners, 2 credentials",
        "kong/deck-consumer-groups-rla-kong3x.yaml: kong, 1 routes, 0 listeners, 3 credentials",
        "kong/deck-convert-11-input.yaml: kong, 5 routes, 0 listeners, 0 credentials",
        "kong/deck-convert-2-input-kong2x.yaml: kong, 3 routes, 0 listeners, 5 credentials",
        "kong/deck-entities-with-tags-kong.yaml: kong, 3 routes, 0 listeners, 4 credentials",
        "kong/deck-kong2kic-input.yaml: kong, 1 routes, 0 listeners, 6 credentials",
        "kong/deck-root-kong.yaml: kong, 3 routes, 0 listeners, 5 credentials",
        "kong/kong-spec-fixture-burst.yml: kong, 286 routes, 0 listeners, 0 credentials",
        "kong/kong.conf.default: kong, 0 routes, 4 listeners, 0 credentials",
        "nginx/crossplane-large-config-nginx.conf: nginx, 301 routes, 301 listeners, 0 credentials",
        "nginx/crossplane-limit-req-zone-nginx.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/crossplane-messy-nginx.conf: nginx, 7 routes, 3 listeners, 0 credentials",
        "nginx/crossplane-missing-brace.conf: InputError line 23: unexpected end of file, expecting "}" (block opened on line 12)",
        "nginx/crossplane-missing-semicolon-broken.conf: InputError line 5: unexpected "}" (directive "proxy_pass" on line 4 has no ";")",
        "nginx/crossplane-ubuntu-default-nginx.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/crossplane-ubuntu-default-sites-enabled-default.conf: nginx, 1 routes, 2 listeners, 0 credentials",
        "nginx/h5bp-conf.d__templates__example.com.conf: nginx, 0 routes, 4 listeners, 0 credentials",
        "nginx/h5bp-conf.d__templates__no-ssl.example.com.conf: nginx, 0 routes, 4 listeners, 0 credentials",
        "nginx/h5bp-h5bp__security__server_software_information.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/h5bp-h5bp__security__strict-transport-security.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/h5bp-h5bp__tls__policy_balanced.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/h5bp-h5bp__tls__policy_strict.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/h5bp-h5bp__tls__ssl_engine.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/h5bp-nginx.conf: nginx, 0 routes, 0 listeners, 0 credentials",
        "nginx/nginx-demos-oauth2-introspection-oss-frontend.conf: nginx, 1 routes, 1 listeners, 1 credentials",
        "nginx/nginx-demos-oauth2-introspection-plus-frontend.conf: nginx, 1 routes, 1 listeners, 1 credentials",
        "nginx/nginx-openid-connect-configuration.conf: nginx, 0 routes, 0 listeners, 1 credentials",
        "nginx/nginx-openid-connect-frontend.conf: nginx, 1 routes, 1 listeners, 0 credentials",
        "other/aws-apigateway-importer-apigateway.json: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): an OpenAPI/Swagger description (pass it with --openapi)",
        "other/ruoyi-cloud-plus-application-common.yml: spring, 0 routes, 1 listeners, 4 credentials",
        "other/ruoyi-cloud-plus-ruoyi-auth.yml: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): YAML/JSON with top-level keys security, user, justauth",
        "other/ruoyi-cloud-plus-ruoyi-gateway.yml: spring, 7 routes, 0 listeners, 0 credentials",
        "other/ruoyi-cloud-plus-sentinel-ruoyi-gateway.json: spring, 0 routes, 0 listeners, 0 credentials",
        "other/scg-client-auth-ssl.yml: spring, 1 routes, 1 listeners, 5 credentials",
        "other/scg-redis-rate-limiter-config.yml: spring, 2 routes, 0 listeners, 0 credentials",
        "other/scg-sample-application.yml: spring, 2 routes, 0 listeners, 0 credentials",
        "other/scg-webflux-test-application.yml: spring, 57 routes, 0 listeners, 0 credentials",
        "other/tyk-app_sample.json: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): a Tyk API definition or gateway config (Tyk is not supported)",
        "other/tyk-coprocess_app_sample_protected.json: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): a Tyk API definition or gateway config (Tyk is not supported)",
        "other/tyk-policies.json: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): Tyk policies (Tyk is not supported)",
        "other/tyk.conf.example: InputError: not a recognised gateway configuration (kong, apisix, nginx, spring): a Tyk API definition or gateway config (Tyk is not supported)",
      ]
    `);
  });

  it('every credential excerpt is masked (no clear secret or key material)', () => {
    for (const ev of collected.values()) {
      for (const c of ev.credentials) {
        expect(c.excerpt).toMatch(/^(\*\*\*\*\(\d+ chars\)|-----BEGIN [A-Z ]*PRIVATE KEY----- \*\*\*\*)$/);
        expect(c.location.line).toBeGreaterThan(0);
      }
    }
  });

  it('every route and listener has a file and line', () => {
    for (const ev of collected.values()) {
      for (const item of [...ev.routes, ...ev.listeners]) {
        expect(item.location.file).toBeTruthy();
        expect(item.location.line).toBeGreaterThan(0);
      }
    }
  });

  it('every gateway check runs on every corpus file without an error outcome', () => {
    const checks = defaultRegistry.all().filter((c) => c.name.startsWith('gateway.'));
    expect(checks).toHaveLength(13);
    for (const ev of collected.values()) {
      const bundle = { ...emptyBundle(), gateway: [ev] };
      for (const c of checks) {
        const outcomes = c.run(bundle, {}, { level: 'A2' });
        expect(outcomes.filter((o) => o.status === 'error')).toEqual([]);
        for (const o of outcomes) expect(c.messages[o.messageId]).toBeDefined();
      }
    }
  });
});
