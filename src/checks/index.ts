/**
 * The default check registry: every family registers here. A family file exports an array of checks;
 * adding a family is one import and one spread below.
 */
import { CheckRegistry } from './registry.js';
import { openapiChecks } from './openapi.js';
import { uapiChecks } from './uapi.js';
import { gatewayChecks } from './gateway/index.js';
import { logChecks } from './logs.js';
import { probeChecks } from './probe.js';
import { accessChecks } from './access-control.js';

export const defaultRegistry = new CheckRegistry().register(
  ...openapiChecks,
  ...uapiChecks,
  ...gatewayChecks,
  ...logChecks,
  ...probeChecks,
  ...accessChecks,
);

export { CheckRegistry, defineCheck, formatMessage } from './registry.js';
export type { CheckDefinition, AnyCheck } from './registry.js';
