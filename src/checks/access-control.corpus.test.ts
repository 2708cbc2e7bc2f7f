/**
 * The `access` checks on real third-party specifications (read in place from /work/shared/corpus), through the real
 * collector. Each expectation is a label: this finding is right, or this would-be finding is wrong, and why.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { collectOpenApi } from '../collectors/openapi/index.js';
import { collectGateway } from '../collectors/gateway/index.js';
import { defaultRegistry } from './index.js';
import { runCheck } from './testing.js';
import type { Outcome } from '../model/outcome.js';

const CORPUS = '/work/shared/corpus';

async function outcomesOf(file: string, check: string): Promise<Outcome[]> {
  const { evidence } = await collectOpenApi(`${CORPUS}/${file}`);
  return runCheck(defaultRegistry.get(check)!, { bundle: { openapi: [evidence] }, level: 'A2' });
}

const failing = (outcomes: Outcome[]) => outcomes.filter((o) => o.status === 'fail');

async function gatewayOutcomesOf(file: string, check: string): Promise<Outcome[]> {
  const evidence = await collectGateway(`${CORPUS}/${file}`);
  return runCheck(defaultRegistry.get(check)!, { bundle: { gateway: [evidence] }, level: 'A2' });
}

describe.skipIf(!existsSync(CORPUS))('access checks on the corpus', () => {
  it('Berlin Group 1.3.12: embedded SCA sends the PSU password through the TPP — right, 7.2.1 b2 forbids exactly that', async () => {
    const outcomes = failing(await outcomesOf('openapi/berlingroup-psd2-api-1.3.12.yaml', 'access.noUserCredentialFields'));
    expect(outcomes).toHaveLength(8);
    for (const o of outcomes) expect(o.data?.field).toBe('psuData.password, psuData.additionalPassword');
    expect(outcomes[0]!.locations).toHaveLength(2);
  });

  it('GitHub: webhook and version-control passwords are a system\'s credentials, not a bank user\'s — no finding', async () => {
    expect(failing(await outcomesOf('openapi/github-api.github.com.json', 'access.noUserCredentialFields'))).toEqual([]);
  });

  it('Formance payments: connector configuration passwords (path /connectors) are a system\'s — no finding', async () => {
    expect(failing(await outcomesOf('openapi-real/formance-payments-openapi.yaml', 'access.noUserCredentialFields'))).toEqual([]);
  });

  it('Adyen Legal Entity: x-requested-verification-code resolves a document check, it is no one-time code — no finding', async () => {
    expect(failing(await outcomesOf('openapi/adyen-LegalEntityService-v4.json', 'access.noUserCredentialFields'))).toEqual([]);
  });

  it('Adyen Checkout: the shopper\'s 3-D Secure oneTimePasscode passes through the merchant — right, as a one-time code', async () => {
    const outcomes = failing(await outcomesOf('openapi/adyen-CheckoutService-v71.json', 'access.noUserCredentialFields'));
    expect(outcomes.map((o) => [o.subject, o.data?.field])).toEqual([['POST /payments/details one-time-code', 'details.oneTimePasscode']]);
  });

  it('UK Open Banking AIS v4: every operation requires a scope; no password flow', async () => {
    const scopes = await outcomesOf('openapi/obuk-account-info-openapi-v4.yaml', 'access.operationScopes');
    expect(scopes.length).toBeGreaterThan(20);
    expect(scopes.every((o) => o.status === 'pass')).toBe(true);
    const flows = await outcomesOf('openapi/obuk-account-info-openapi-v4.yaml', 'access.noPasswordGrant');
    expect(flows.map((o) => o.status)).toEqual(['pass', 'pass']);
  });

  it('Square: the OAuth endpoints take any token by design (not judged); operations described without a scope fail', async () => {
    const outcomes = await outcomesOf('openapi/square-connect-api.json', 'access.operationScopes');
    expect(outcomes.some((o) => o.subject?.includes('/oauth2/'))).toBe(false);
    // Right about the description: Square documents PAYMENTS_READ for /v2/cards, but this description lists no scope,
    // so as described any token reaches it.
    expect(failing(outcomes).map((o) => o.subject)).toContain('GET /v2/cards');
    expect(outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(250);
  });

  it('Up Bank: bearer tokens and no scopes anywhere — authorisation is not described by scope: not judged (n/a), never a failure per operation', async () => {
    const outcomes = await outcomesOf('openapi/upbank-v1-openapi.json', 'access.operationScopes');
    expect(outcomes.map((o) => [o.status, o.messageId])).toEqual([['n/a', 'scopesNotUsed']]);
  });

  it('UK Open Banking AIS (Swagger 2.0): the accessCode flow is read as authorizationCode, and there is no password flow', async () => {
    const { evidence } = await collectOpenApi(`${CORPUS}/openapi/obuk-account-info-swagger-v3.1.7.yaml`);
    const flows = evidence.securitySchemes.flatMap((s) => (s.flows ?? []).map((f) => `${s.name}:${f.type}`));
    expect(flows).toEqual(['TPPOAuth2Security:clientCredentials', 'PSUOAuth2Security:authorizationCode']);
  });

  it('Kong Ingress Controller ACL example: /echo admits only acl-group-1; /httpbin, beside it, admits every keyed consumer', async () => {
    // Right by 9.3.2's per-application-party grant: this gateway restricts consumers route by route, and leaves
    // httpbin to any consumer holding a key (the example does so on purpose, to show the difference).
    const outcomes = await gatewayOutcomesOf('k8s/kic-gateway-acl-key-auth-groups.yaml', 'access.routeAuthorization');
    expect(outcomes.map((o) => [o.status, o.messageId, o.subject])).toEqual([
      ['pass', 'restricted', 'kubernetes route HTTPRoute default/httproute-echo rule 0'],
      ['fail', 'unrestricted', 'kubernetes route HTTPRoute default/httproute-httpbin rule 0'],
    ]);
  });

  it('decK: a route restricted by an acl allow group passes; an oauth2 plugin without enable_password_grant keeps it off', async () => {
    const acl = await gatewayOutcomesOf('gateway/kong/deck-kong2kic-input.yaml', 'access.routeAuthorization');
    expect(acl.map((o) => o.status)).toEqual(['pass']);
    const grant = await gatewayOutcomesOf('gateway/kong/deck-convert-11-input.yaml', 'access.noGatewayPasswordGrant');
    expect(grant.map((o) => [o.status, o.messageId])).toEqual([['pass', 'passwordGrantOff']]);
  });
});
