import { assess } from '../../assess.js';
import { emitReports } from '../emit.js';
import { inert } from '../../report/inert.js';
import { createProgress } from '../progress.js';
import { describeConfig, findConfig, loadConfig } from '../config.js';
import { parseCount, parseFormats, parseLang, parseLevel, parsePercent, parseRole, parseSeverity, useColor } from '../options.js';
import { UsageError } from '../../errors.js';
import { parseShard } from './merge.js';
import { findBrowser } from '../../report/pdf.js';
import { loadReportInfo, reportInfoFromConfig, withReportInfo } from '../../report/report-info.js';
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
  shard?: string | boolean;
  /** A file (--config), false (--no-config), or undefined: look upward from the working directory. */
  config?: string | false;
  color?: boolean;
  reportInfo?: string;
  quiet?: boolean;
}

export async function assessCommand(flags: AssessFlags): Promise<number> {
  // A config named with --config is trusted; one found upward belongs to the tree under assessment (config.ts).
  const configFile = flags.config === false ? undefined : flags.config ?? findConfig();
  const loaded = configFile ? await loadConfig(configFile, typeof flags.config === 'string' ? 'flag' : 'found') : undefined;
  const config = loaded?.values ?? {};
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
  if (formats.includes('pdf')) findBrowser(); // no browser: exit 2 before any work, nothing written
  const out = pick(flags.out, 'out') ?? '.';
  // `--out -`: the one chosen format on standard output (a pipe into another tool), no files.
  const toStdout = out === '-';
  if (toStdout && formats.length !== 1) {
    throw new UsageError(`--out - writes one format to standard output; choose it with --format (got ${formats.join(',')})`);
  }
  const lang = parseLang(pick(flags.lang, 'lang'));
  // Report metadata is checked before assessing: a typo in it is exit 2 with nothing written.
  const reportInfo = flags.reportInfo
    ? await loadReportInfo(flags.reportInfo)
    : config.reportInfo !== undefined && configFile
      ? await reportInfoFromConfig(configFile, config.reportInfo)
      : undefined;
  const progress = createProgress();
  let assessed: Awaited<ReturnType<typeof assess>>;
  try {
    assessed = await assess({
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
      shard: parseShard(flags.shard),
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
      // Progress only for a person watching: never in CI logs or when stderr is a file (src/cli/progress.ts).
      progress: progress?.line,
      progressBytes: progress?.bytes,
    });
  } finally {
    // Erased also when the run ends in an error, so the error line starts clean.
    progress?.done();
  }
  const result = withReportInfo(assessed, reportInfo);

  const color = useColor(process.stdout, process.env, flags.color);
  // The terminal report wraps to the window when stdout is one; a pipe or a CI log gets unwrapped lines.
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  const written = await emitReports(formats, result, { lang, color, width, quiet: flags.quiet, out, toStdout });
  // One line naming the configuration used, so a CI log shows whether a file in the tree took part. (A run that
  // ends in an input error prints only that error, which names the configuration when it is at fault.)
  process.stderr.write(`${describeConfig(loaded, flags.config === false, lang)}\n`);
  if (!flags.quiet) for (const file of written) process.stderr.write(`${lang === 'zh' ? '已写入' : 'wrote'} ${inert(file)}\n`);
  return result.gate.passed ? 0 : 1;
}
