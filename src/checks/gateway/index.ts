/**
 * Checks of the `gateway` family: what a gateway's own configuration (Kong, APISIX, nginx, Spring Cloud Gateway,
 * Kubernetes manifests) enforces for transport (9.2.2), ciphers (7.1), app-party authentication (9.2.1), flow
 * control and blacklists (10.1.2), access logs (7.3.3, 12.3), inline secrets (7.3.4), version disclosure (7.1),
 * and whether routes and the interface description agree (12.1). Pure over GatewayConfigEvidence; every outcome
 * points at the collector's file and line. One module per concern (see DESIGN.md "Checks and messages").
 */
import type { AnyCheck } from '../registry.js';
import { credentialLifetime, mutualAuthentication, routeAuthentication } from './authentication.js';
import { noInlineSecrets, noVersionDisclosure } from './credentials.js';
import { blacklist, rateLimit } from './flow-control.js';
import { routeInventory } from './inventory.js';
import { accessLog, logFields } from './logging.js';
import { tlsMinVersion, tlsOnly, weakCiphers } from './transport.js';

export { enabledSuites, weakCipherFamilies } from './ciphers.js';

/** Checks of the `gateway` family (see DESIGN.md "Checks and messages"). */
export const gatewayChecks: AnyCheck[] = [
  tlsOnly,
  tlsMinVersion,
  weakCiphers,
  routeAuthentication,
  mutualAuthentication,
  credentialLifetime,
  rateLimit,
  blacklist,
  accessLog,
  logFields,
  noInlineSecrets,
  noVersionDisclosure,
  routeInventory,
];
