/**
 * Gateway configuration collector: one file of Kong, APISIX, nginx or Spring Cloud Gateway configuration, or
 * Kubernetes manifests (a multi-document file, or a directory of them read as one gateway) → the normalised
 * GatewayConfigEvidence (listeners, routes with their effective auth / flow control / access lists / logging,
 * inline credentials masked, disclosures), every item with file and line.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { readInputTextSync } from '../../input/read.js';
import type { GatewayConfigEvidence, GatewayFormat } from '../../model/evidence.js';
import { collectApisixNodeConfig, collectApisixOpenApiExport, collectApisixRoutes } from './apisix.js';
import { sha256 } from './common.js';
import { detectGateway } from './detect.js';
import { collectKongConf, collectKongDeclarative } from './kong.js';
import { collectKubernetes } from './kubernetes/collect.js';
import { collectNginx } from './nginx/collect.js';
import { collectSentinelGwFlow, collectSpringDocs } from './spring.js';
import type { YamlSource } from './yaml-view.js';

export type { GatewayFormat } from '../../model/evidence.js';
export { detectGateway } from './detect.js';
export { parseNginx } from './nginx/parser.js';

export const GATEWAY_FORMATS: readonly GatewayFormat[] = ['kong', 'apisix', 'nginx', 'spring', 'kubernetes'];

/** A gateway file is configuration a person writes: 16 MiB is far beyond any real one. */
const MAX_GATEWAY_BYTES = 16 * 1024 * 1024;
/** A directory of manifests read as one gateway: at most this many files. */
const MAX_MANIFEST_FILES = 2000;

export interface CollectGatewayOptions {
  /** Overrides detection (--gateway-format). */
  format?: GatewayFormat;
  /** nginx: directory relative `include`s resolve against (default: the main file's directory). */
  prefix?: string;
}

function readGatewayText(file: string): string {
  return readInputTextSync(file, { what: 'gateway configuration', maxBytes: MAX_GATEWAY_BYTES });
}

export async function collectGateway(file: string, opts: CollectGatewayOptions = {}): Promise<GatewayConfigEvidence> {
  if (opts.format && !GATEWAY_FORMATS.includes(opts.format)) {
    throw new InputError(file, undefined, `unknown gateway format "${opts.format}" (use one of ${GATEWAY_FORMATS.join(', ')})`);
  }
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    // the read below names the file and says why
  }
  const ev = isDir ? collectManifestDirectory(file, opts) : collectFile(file, opts);
  noteEmpty(ev);
  return ev;
}

function collectFile(file: string, opts: CollectGatewayOptions): GatewayConfigEvidence {
  const text = readGatewayText(file);
  const d = detectGateway(file, text, opts.format);
  if ('reason' in d) {
    throw new InputError(file, undefined, `not a recognised gateway configuration (${GATEWAY_FORMATS.join(', ')}): ${d.reason}`);
  }
  let ev: GatewayConfigEvidence;
  switch (d.variant) {
    case 'nginx':
      return collectNginx(file, { prefix: opts.prefix });
    case 'kubernetes':
      ev = collectKubernetes(file, [d.docs!]);
      break;
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
      ev = collectSpringDocs(d.docs ?? [d.yaml!]);
      break;
    case 'sentinel-gw-flow':
      ev = collectSentinelGwFlow(d.yaml!);
      break;
  }
  ev.digests[file] = sha256(text);
  return ev;
}

/** Every `.yaml`/`.yml`/`.json` under a directory (sorted, hidden entries skipped), as one Kubernetes gateway. */
function collectManifestDirectory(dir: string, opts: CollectGatewayOptions): GatewayConfigEvidence {
  if (opts.format && opts.format !== 'kubernetes') {
    throw new InputError(dir, undefined, `is a directory: only Kubernetes manifests are read from a directory (--gateway-format ${opts.format} needs a file)`);
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && /\.(ya?ml|json)$/i.test(name)) {
        files.push(p);
        if (files.length > MAX_MANIFEST_FILES) throw new InputError(dir, undefined, `holds more than ${MAX_MANIFEST_FILES} manifest files; refusing to read more`);
      }
    }
  };
  walk(dir);
  const sets: YamlSource[][] = [];
  const texts = new Map<string, string>();
  for (const f of files) {
    const text = readGatewayText(f);
    const d = detectGateway(f, text, 'kubernetes');
    if ('reason' in d) throw new InputError(f, undefined, `in the manifest directory ${dir}: not a Kubernetes manifest (${d.reason})`);
    sets.push(d.docs!);
    texts.set(f, text);
  }
  const ev = collectKubernetes(dir, sets);
  for (const [f, text] of texts) ev.digests[f] = sha256(text);
  return ev;
}

/**
 * A file read as a gateway that yields no route and no listener told the assessment nothing: say so, and let no
 * rule checked on it pass (the engine turns a would-be pass on evidence with such a problem into `error`).
 */
function noteEmpty(ev: GatewayConfigEvidence): void {
  if (ev.routes.length || ev.listeners.length) return;
  const what = ev.credentials.length ? ` (${ev.credentials.length} inline credential(s) were read)` : '';
  ev.problems.push({
    message: `${ev.format} configuration with no route and no listener${what}: nothing in it shows how API traffic is served, so rules about routes and listeners cannot be judged from it`,
    location: { file: ev.file, line: 1 },
    hidesEvidence: true,
  });
}
