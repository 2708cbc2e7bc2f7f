/**
 * Gateway configuration collector: one file of Kong, APISIX, nginx or Spring Cloud Gateway configuration
 * → the normalised GatewayConfigEvidence (listeners, routes with their effective auth / flow control /
 * access lists / logging, inline credentials masked, disclosures), every item with file and line.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { GatewayConfigEvidence, GatewayFormat } from '../../model/evidence.js';
import { collectApisixNodeConfig, collectApisixOpenApiExport, collectApisixRoutes } from './apisix.js';
import { sha256 } from './common.js';
import { detectGateway } from './detect.js';
import { collectKongConf, collectKongDeclarative } from './kong.js';
import { collectNginx } from './nginx/collect.js';
import { collectSentinelGwFlow, collectSpring } from './spring.js';

export type { GatewayFormat } from '../../model/evidence.js';
export { detectGateway } from './detect.js';
export { parseNginx } from './nginx/parser.js';

export const GATEWAY_FORMATS: readonly GatewayFormat[] = ['kong', 'apisix', 'nginx', 'spring'];

export interface CollectGatewayOptions {
  /** Overrides detection (--gateway-format). */
  format?: GatewayFormat;
  /** nginx: directory relative `include`s resolve against (default: the main file's directory). */
  prefix?: string;
}

export async function collectGateway(file: string, opts: CollectGatewayOptions = {}): Promise<GatewayConfigEvidence> {
  if (opts.format && !GATEWAY_FORMATS.includes(opts.format)) {
    throw new InputError(file, undefined, `unknown gateway format "${opts.format}" (use one of ${GATEWAY_FORMATS.join(', ')})`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read the gateway configuration (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const d = detectGateway(file, text, opts.format);
  if ('reason' in d) {
    throw new InputError(file, undefined, `not a recognised gateway configuration (${GATEWAY_FORMATS.join(', ')}): ${d.reason}`);
  }
  let ev: GatewayConfigEvidence;
  switch (d.variant) {
    case 'nginx':
      return collectNginx(file, { prefix: opts.prefix });
    case 'kong-conf':
      ev = collectKongConf(file, text);
      break;
    case 'kong-declarative':
      ev = collectKongDeclarative(d.yaml!);
      break;
    case 'apisix-routes':
      ev = collectApisixRoutes(d.yaml!);
      break;
    case 'apisix-node-config':
      ev = collectApisixNodeConfig(d.yaml!);
      break;
    case 'apisix-openapi-export':
      ev = collectApisixOpenApiExport(d.yaml!);
      break;
    case 'spring':
      ev = collectSpring(d.yaml!);
      break;
    case 'sentinel-gw-flow':
      ev = collectSentinelGwFlow(d.yaml!);
      break;
  }
  ev.digests[file] = sha256(text);
  return ev;
}
