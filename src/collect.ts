/**
 * Runs the collectors named by the inputs and gathers their evidence, locators and input records
 * (with each file's SHA-256, so a report says exactly what it assessed).
 */
import { createHash } from 'node:crypto';
import { readInputFile } from './input/read.js';
import { basename } from 'node:path';
import { gatewayWarnings } from './collectors/gateway/warnings.js';
import type { EvidenceBundle, GatewayFormat, Locator, LogFormat, OpenApiDocumentEvidence, Role } from './model/evidence.js';
import { emptyBundle } from './model/evidence.js';
import type { InputRecord } from './model/result.js';
import { InputError } from './errors.js';
import { expandInputs } from './portfolio/expand.js';

export interface CollectOptions {
  openapi?: string[];
  gateway?: string[];
  gatewayFormat?: GatewayFormat;
  nginxPrefix?: string;
  logs?: string[];
  logFormat?: LogFormat;
  /** Whose logs these are; defaults to the profile's role when one is given. */
  logsParty?: Role;
  /** nginx log_format of --logs access logs; default: the format a --gateway nginx config writes to a file of that name. */
  nginxLogFormat?: string;
  /** Extra source field names for the six 7.3.3 log fields. */
  logFieldMap?: Partial<Record<string, string[]>>;
  /** First locations kept per detector and file (default 5). */
  logSamples?: number;
  probeConfig?: string;
  probeDryRun?: boolean;
  allowRemoteRefs?: boolean;
  /** Progress lines (stderr on a TTY); silent by default. */
  progress?: (line: string) => void;
  /** Byte progress through a long input (logs): bytes read of `file` so far and its size. */
  progressBytes?: (file: string, done: number, total: number) => void;
}

export interface Collected {
  bundle: EvidenceBundle;
  locators: Locator[];
  inputs: InputRecord[];
  warnings: { zh: string; en: string }[];
}

/** `openapi-access.log.2.gz` → `openapi-access.log`: rotated and compressed copies of the file a gateway writes. */
function logBaseName(file: string): string {
  return basename(file).replace(/\.gz$/, '').replace(/\.\d+$/, '').replace(/-\d{8}$/, '');
}

/**
 * nginx custom log formats by the name of the file they are written to, so a sample of that file is parsed with the
 * format the gateway config declares (an access log of a custom format cannot be read as `combined`).
 */
function nginxLogFormatsByFile(gateways: EvidenceBundle['gateway']): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of gateways) {
    if (g.format !== 'nginx') continue;
    for (const r of g.routes) for (const l of r.logging) if (l.path && l.format && l.enabled) out.set(basename(l.path), l.format);
  }
  return out;
}

export async function sha256File(file: string): Promise<string> {
  try {
    return createHash('sha256').update(await readInputFile(file, { maxBytes: 256 * 1024 * 1024 })).digest('hex');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, undefined, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** What an OpenAPI description's reading leaves unexamined or broken, said in the report's warnings. */
export function openApiWarnings(docs: readonly OpenApiDocumentEvidence[]): Collected['warnings'] {
  const warnings: Collected['warnings'] = [];
  for (const doc of docs) {
    const truncated = doc.operations.flatMap((op) => [...op.responses.flatMap((r) => r.content), ...(op.requestBody?.content ?? [])]).filter((m) => m.truncated);
    if (truncated.length > 0) {
      // A schema too large to walk whole is said, never silently half-checked.
      warnings.push({
        zh: `${doc.file}：${truncated.length} 个请求/响应模式过大或嵌套过深，超出限度的属性未检查（首个：${truncated[0]!.location.pointer}）`,
        en: `${doc.file}: ${truncated.length} request/response schema(s) are too large or too deeply nested to walk whole; properties past the limits were not examined (first: ${truncated[0]!.location.pointer})`,
      });
    }
    if (doc.problems.length > 0) {
      warnings.push({
        zh: `${doc.file}：OpenAPI 描述有 ${doc.problems.length} 处结构问题，已尽可能评估`,
        en: `${doc.file}: the OpenAPI description has ${doc.problems.length} structural problem(s); assessed as far as possible`,
      });
    }
  }
  return warnings;
}

/**
 * `--openapi` and `--gateway` arguments with directories and patterns expanded (see portfolio/expand.ts), and a
 * warning per directory or pattern for the files in it that are not API descriptions.
 */
export async function expandCollectInputs(opts: Pick<CollectOptions, 'openapi' | 'gateway'>): Promise<{ openapi: string[]; gateway: string[]; warnings: Collected['warnings'] }> {
  const openapi = await expandInputs(opts.openapi ?? [], 'openapi');
  const gateway = await expandInputs(opts.gateway ?? [], 'gateway');
  const warnings = openapi.skipped.map(({ from, files }) => ({
    zh: `${from}：${files.length} 个文件不是 OpenAPI 描述（无顶层 openapi/swagger 键，如 $ref 引用的片段），未单独评估（首个：${files[0]}）`,
    en: `${from}: ${files.length} file(s) are not OpenAPI descriptions (no top-level openapi/swagger key, e.g. $ref fragments) and were not assessed on their own (first: ${files[0]})`,
  }));
  return { openapi: openapi.files, gateway: gateway.files, warnings };
}

export async function collectInputs(opts: CollectOptions): Promise<Collected> {
  const bundle = emptyBundle();
  const locators: Locator[] = [];
  const inputs: InputRecord[] = [];
  const expanded = await expandCollectInputs(opts);
  const warnings: Collected['warnings'] = [...expanded.warnings];
  const progress = opts.progress ?? (() => {});
  opts = { ...opts, openapi: expanded.openapi, gateway: expanded.gateway };

  // Each collector loads only when its kind of input is given: start-up time is most of a small CI run or a probe.
  const { collectOpenApi } = opts.openapi?.length ? await import('./collectors/openapi/index.js') : { collectOpenApi: undefined };
  for (const file of opts.openapi ?? []) {
    progress(`openapi  ${file}`);
    const { evidence, locators: docLocators } = await collectOpenApi!(file, { allowRemoteRefs: opts.allowRemoteRefs });
    bundle.openapi.push(evidence);
    locators.push(...docLocators);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'openapi', file: f, sha256, format: f === file ? `openapi ${evidence.version}` : 'openapi $ref' });
  }
  const { collectGateway } = opts.gateway?.length ? await import('./collectors/gateway/index.js') : { collectGateway: undefined };
  for (const file of opts.gateway ?? []) {
    progress(`gateway  ${file}`);
    const evidence = await collectGateway!(file, { format: opts.gatewayFormat, prefix: opts.nginxPrefix });
    bundle.gateway.push(evidence);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'gateway', file: f, sha256, format: evidence.format });
  }
  const gatewayLogFormats = nginxLogFormatsByFile(bundle.gateway);
  const { collectLogs } = opts.logs?.length ? await import('./collectors/logs/index.js') : { collectLogs: undefined };
  for (const file of opts.logs ?? []) {
    progress(`logs     ${file}`);
    const evidence = await collectLogs!(file, {
      format: opts.logFormat,
      party: opts.logsParty,
      nginxLogFormat: opts.nginxLogFormat ?? gatewayLogFormats.get(logBaseName(file)),
      fieldMap: opts.logFieldMap as never,
      sampleCap: opts.logSamples,
      ...(opts.progressBytes ? { onBytes: (done: number, total: number) => opts.progressBytes!(file, done, total) } : {}),
    });
    bundle.logs.push(evidence);
    for (const [f, sha256] of Object.entries(evidence.digests)) inputs.push({ kind: 'logs', file: f, sha256, format: evidence.format });
  }
  if (opts.probeConfig) {
    progress(`probe    ${opts.probeConfig}`);
    // Loaded on demand: the HTTP client behind the probes costs ~90 ms of start-up that offline runs never need.
    const { loadProbeConfig, runProbes } = await import('./collectors/probe/index.js');
    const config = await loadProbeConfig(opts.probeConfig);
    inputs.push({ kind: 'probe-config', file: opts.probeConfig, sha256: await sha256File(opts.probeConfig) });
    const { evidence } = await runProbes(config, { dryRun: opts.probeDryRun, log: progress });
    bundle.probe.push(...evidence);
  }
  warnings.push(...openApiWarnings(bundle.openapi));
  warnings.push(...gatewayWarnings(bundle.gateway));
  return { bundle, locators, inputs, warnings };
}
