import { assess } from '../../assess.js';
import { formatByName } from '../../report/index.js';
import { writeAtomically } from '../../report/write.js';
import { findConfig, loadConfig } from '../config.js';
import { parseCount, parseFormats, parseLang, parseLevel, parsePercent, parseRole, parseSeverity, useColor } from '../options.js';
import { UsageError } from '../../errors.js';
import type { GatewayFormat, LogFormat, Role } from '../../model/evidence.js';

interface AssessFlags {
  openapi?: string[];
  gateway?: string[];
  gatewayFormat?: string;
  nginxPrefix?: string;
  logs?: string[];
  logFormat?: string;
  nginxLogFormat?: string;
  logsParty?: string;
  logSamples?: string;
  probeConfig?: string;
  dryRun?: boolean;
  attest?: string;
  waivers?: string;
  baseline?: string;
  level?: string;
  role?: string;
  rulebook?: string[];
  format?: string;
  out?: string;
  lang?: string;
  name?: string;
  failUnder?: string;
  failOn?: string;
  minCoverage?: string;
  allowRemoteRefs?: boolean;
  config?: string;
  color?: boolean;
}

export async function assessCommand(flags: AssessFlags): Promise<number> {
  const configFile = flags.config ?? findConfig();
  const config = configFile ? (await loadConfig(configFile)).values : {};
  const gate = (config.gate ?? {}) as { failUnder?: number; failOn?: string; minCoverage?: number };
  // Command-line flags override the config file, key by key.
  const pick = <T>(flag: T | undefined, key: string): T | undefined => (flag !== undefined ? flag : (config[key] as T | undefined));
  const list = (flag: string[] | undefined, key: string) => flag ?? (config[key] as string[] | undefined);

  const openapi = list(flags.openapi, 'openapi');
  const gateway = list(flags.gateway, 'gateway');
  const logs = list(flags.logs, 'logs');
  const probeConfig = pick(flags.probeConfig, 'probeConfig');
  if (!openapi?.length && !gateway?.length && !logs?.length && !probeConfig && !pick(flags.attest, 'attest')) {
    throw new UsageError('nothing to assess: give at least one of --openapi, --gateway, --logs, --probe-config or --attest (see jrt0185 assess --help)');
  }
  const formats = parseFormats(flags.format ?? (config.format as string | string[] | undefined), ['terminal']);
  const lang = parseLang(pick(flags.lang, 'lang'));
  const result = await assess({
    openapi,
    gateway,
    gatewayFormat: pick(flags.gatewayFormat, 'gatewayFormat') as GatewayFormat | undefined,
    nginxPrefix: pick(flags.nginxPrefix, 'nginxPrefix'),
    logs,
    logFormat: pick(flags.logFormat, 'logFormat') as LogFormat | undefined,
    nginxLogFormat: pick(flags.nginxLogFormat, 'nginxLogFormat'),
    logsParty: pick(flags.logsParty, 'logsParty') as Role | undefined,
    logSamples: parseCount('--log-samples', pick(flags.logSamples, 'logSamples')),
    logFieldMap: config.logFieldMap as Record<string, string[]> | undefined,
    probeConfig,
    probeDryRun: flags.dryRun,
    allowRemoteRefs: pick(flags.allowRemoteRefs, 'allowRemoteRefs'),
    attest: pick(flags.attest, 'attest'),
    waivers: pick(flags.waivers, 'waivers'),
    baseline: pick(flags.baseline, 'baseline'),
    rulebookOverlays: list(flags.rulebook, 'rulebook'),
    level: parseLevel(pick(flags.level, 'level')),
    role: parseRole(pick(flags.role, 'role')),
    failUnder: parsePercent('--fail-under', pick(flags.failUnder, 'failUnder') ?? gate.failUnder),
    failOn: parseSeverity(flags.failOn ?? gate.failOn),
    minCoverage: parsePercent('--min-coverage', flags.minCoverage ?? gate.minCoverage),
    name: pick(flags.name, 'name'),
    // Progress only for a person watching: never in CI logs or when stderr is a file.
    progress: process.stderr.isTTY && !process.env.CI ? (line) => process.stderr.write(`\u001b[2K\r… ${line}`) : undefined,
  });
  if (process.stderr.isTTY && !process.env.CI) process.stderr.write('\u001b[2K\r');

  const out = pick(flags.out, 'out') ?? '.';
  // Every format is rendered before any file is written, so a failure leaves no partial set of reports.
  const color = useColor(process.stdout, process.env, flags.color);
  const rendered = formats.map((name) => {
    const format = formatByName(name)!;
    return { format, text: format.render(result, { lang, color }) };
  });
  const written: string[] = [];
  for (const { format, text } of rendered) if (format.fileName) written.push(await writeAtomically(out, format.fileName, text));
  for (const { format, text } of rendered) if (!format.fileName) process.stdout.write(text);
  for (const file of written) process.stderr.write(`${lang === 'zh' ? '已写入' : 'wrote'} ${file}\n`);
  return result.gate.passed ? 0 : 1;
}
