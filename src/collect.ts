/**
 * Runs the collectors named by the inputs and gathers their evidence, locators and input records
 * (with each file's SHA-256, so a report says exactly what it assessed).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { EvidenceBundle, GatewayFormat, Locator, LogFormat, Role } from './model/evidence.js';
import { emptyBundle } from './model/evidence.js';
import type { InputRecord } from './model/result.js';
import { InputError } from './errors.js';
import { collectOpenApi } from './collectors/openapi/index.js';
import { collectGateway } from './collectors/gateway/index.js';
import { collectLogs } from './collectors/logs/index.js';
import { loadProbeConfig, runProbes } from './collectors/probe/index.js';

export interface CollectOptions {
  openapi?: string[];
  gateway?: string[];
  gatewayFormat?: GatewayFormat;
  nginxPrefix?: string;
  logs?: string[];
  logFormat?: LogFormat;
  /** Whose logs these are; defaults to the profile's role when one is given. */
  logsParty?: Role;
  nginxLogFormat?: string;
  probeConfig?: string;
  probeDryRun?: boolean;
  allowRemoteRefs?: boolean;
  /** Progress lines (stderr on a TTY); silent by default. */
  progress?: (line: string) => void;
}

export interface Collected {
  bundle: EvidenceBundle;
  locators: Locator[];
  inputs: InputRecord[];
  warnings: { zh: string; en: string }[];
}

export async function sha256File(file: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function collectInputs(opts: CollectOptions): Promise<Collected> {
  const bundle = emptyBundle();
  const locators: Locator[] = [];
  const inputs: InputRecord[] = [];
  const warnings: Collected['warnings'] = [];
  const progress = opts.progress ?? (() => {});

  for (const file of opts.openapi ?? []) {
    progress(`openapi  ${file}`);
    const { evidence, locators: docLocators } = await collectOpenApi(file, { allowRemoteRefs: opts.allowRemoteRefs });
    bundle.openapi.push(evidence);
    locators.push(...docLocators);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'openapi', file: f, sha256, format: f === file ? `openapi ${evidence.version}` : 'openapi $ref' });
  }
  for (const file of opts.gateway ?? []) {
    progress(`gateway  ${file}`);
    const evidence = await collectGateway(file, { format: opts.gatewayFormat, prefix: opts.nginxPrefix });
    bundle.gateway.push(evidence);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'gateway', file: f, sha256, format: evidence.format });
  }
  for (const file of opts.logs ?? []) {
    progress(`logs     ${file}`);
    const evidence = await collectLogs(file, { format: opts.logFormat, party: opts.logsParty, nginxLogFormat: opts.nginxLogFormat });
    bundle.logs.push(evidence);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'logs', file: f, sha256, format: evidence.format });
  }
  if (opts.probeConfig) {
    progress(`probe    ${opts.probeConfig}`);
    const config = await loadProbeConfig(opts.probeConfig);
    inputs.push({ kind: 'probe-config', file: opts.probeConfig, sha256: await sha256File(opts.probeConfig) });
    const { evidence } = await runProbes(config, { dryRun: opts.probeDryRun, log: progress });
    bundle.probe.push(...evidence);
  }
  for (const doc of bundle.openapi) {
    if (doc.problems.length > 0) {
      warnings.push({
        zh: `${doc.file}：OpenAPI 描述有 ${doc.problems.length} 处结构问题，已尽可能评估`,
        en: `${doc.file}: the OpenAPI description has ${doc.problems.length} structural problem(s); assessed as far as possible`,
      });
    }
  }
  return { bundle, locators, inputs, warnings };
}
