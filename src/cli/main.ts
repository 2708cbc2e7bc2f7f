/**
 * Command-line wiring only (commander): each command parses options, calls the library and maps the outcome to an
 * exit code — 0 assessed and the gate holds, 1 assessed and the gate fails, 2 usage or input error. A user error
 * is one clear line naming the file and line; only a bug prints a stack trace (with JRT0185_DEBUG=1).
 */
import { Command, CommanderError, Option } from 'commander';
import { isUserError, InputErrors } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { inert } from '../report/inert.js';
import { registerMerge } from './commands/merge.js';

// Each command's module loads when that command runs: start-up is most of a small CI run or a one-endpoint probe,
// and no command should pay for the others' engines and renderers.

export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('jrt0185')
    .description('Assess commercial-bank APIs against JR/T 0185-2020 商业银行应用程序接口安全管理规范')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('assess')
    .description('assess OpenAPI specs, gateway configs, logs and live endpoints; write a scored report')
    .option('--openapi <file>', 'OpenAPI 3.x / Swagger 2.0 description (YAML or JSON; repeatable); a directory or a quoted glob pattern takes every description in it', collect)
    .option('--gateway <file>', 'gateway configuration: Kong, APISIX, nginx, Spring Cloud Gateway (repeatable; a directory or quoted glob pattern takes every file in it)', collect)
    .addOption(new Option('--gateway-format <format>', 'override gateway format detection').choices(['kong', 'apisix', 'nginx', 'spring', 'kubernetes']))
    .option('--nginx-prefix <dir>', 'prefix for relative nginx includes (default: the main file\'s folder)')
    .option('--logs <file>', 'log sample: JSON lines, logfmt, access logs, text; .gz accepted (repeatable)', collect)
    .addOption(new Option('--log-format <format>', 'override log format detection').choices(['jsonl', 'json', 'logfmt', 'combined', 'w3c', 'zeek', 'text']))
    .option('--nginx-log-format <string>', 'an nginx log_format string describing --logs access logs')
    .addOption(new Option('--logs-party <party>', 'whose logs --logs are (default: --role)').choices(['bank', 'app']))
    .option('--log-samples <n>', 'first locations kept per detector and log file (default 5)')
    .option('--probe-config <file>', 'live probe configuration (YAML); credentials come from environment variables only')
    .option('--dry-run', 'with --probe-config: print every request that would be sent and send nothing')
    .option('--attest <file>', 'attestation answers, YAML or an Excel .xlsx workbook (see `jrt0185 attest init`)')
    .option('--waivers <file>', 'waivers: accepted risks with reason, owner and expiry')
    .option('--baseline <file>', 'previous JSON result: only new failures trip the gate')
    .option('--level <level>', 'security level assessed: A1 or A2 (default A2)')
    .option('--role <role>', 'bank, app (application party self-check) or both (default)')
    .option('--rulebook <file>', 'rulebook overlay: extra, disabled or re-weighted rules (repeatable)', collect)
    .option('--format <list>', 'terminal,json,markdown,html,pdf,sarif,junit,csv (default terminal)')
    .option('--report-info <file>', 'report metadata for the cover: report number, client, assessors, reviewer, approver, period… (YAML)')
    .option('--out <dir>', 'folder for report files (default .); "-" prints the one --format chosen on stdout')
    .option('--lang <lang>', 'zh or en (default: zh under a zh_* locale, else en)')
    .option('--name <name>', 'name of the assessed bank or application (default: the OpenAPI title)')
    .option('--fail-under <score>', 'gate: fail when the score is below this (0–100)')
    .option('--fail-on <severity>', 'gate: fail on any failed requirement of this severity or higher')
    .option('--min-coverage <percent>', 'gate: fail when coverage is below this (0–100)')
    .option('--allow-remote-refs', 'fetch http(s) $refs in OpenAPI documents (off: a CI gate never fetches URLs a spec names)')
    .option('--shard [i/n]', 'write what `jrt0185 merge` needs into the JSON result; I/N also assesses only shard I (0-based) of N of the --openapi descriptions')
    .option('--config <file>', 'configuration file, trusted (default: jrt0185.config.yaml found upward from the working directory, which may not loosen the gate)')
    .option('--no-config', 'ignore any configuration file')
    .option('--no-color', 'no colour in terminal output')
    .option('-q, --quiet', 'terminal output: the verdict and the failures only')
    .addHelpText(
      'after',
      `
Examples:
  jrt0185 assess --openapi openapi.yaml --level A2 --format json,terminal --out out/
  jrt0185 assess --openapi api.yaml --gateway kong.yaml --logs app.log.gz --role app
  jrt0185 assess --openapi api.yaml --attest attest.yaml --format html,sarif,junit --out reports/ --fail-under 80
  jrt0185 assess --openapi api.yaml --baseline last.json --fail-on high

Exit codes: 0 assessed and the gate holds · 1 assessed and the gate fails · 2 usage or input error`,
    )
    .action(async (opts) => {
      const { assessCommand } = await import('./commands/assess.js');
      process.exitCode = await assessCommand(opts);
    });

  program
    .command('rules')
    .description('list the rulebook')
    .option('--format <format>', 'text, json or md', 'text')
    .option('--coverage', 'per clause: how many requirements are checked automatically, by probe, or only by attestation')
    .option('--checks', 'list the registered checks instead')
    .option('--rulebook <file>', 'rulebook overlay (repeatable)', collect)
    .option('--lang <lang>', 'zh or en')
    .action(async (opts) => {
      const { rulesCommand } = await import('./commands/rules.js');
      process.exitCode = await rulesCommand(opts);
    });

  program
    .command('uapi-id')
    .description('parse and explain uniform API IDs (U_API_ID, Annex B); exit 1 when any is invalid')
    .argument('<id...>', 'one or more U_API_IDs, e.g. OPC10210020100010000100')
    .option('--format <format>', 'text or json', 'text')
    .option('--lang <lang>', 'zh or en')
    .action(async (ids: string[], opts) => {
      const { uapiIdCommand } = await import('./commands/uapi-id.js');
      process.exitCode = await uapiIdCommand(ids, opts);
    });

  const attest = program.command('attest').description('attestation answers for requirements no machine can see');
  attest
    .command('init')
    .description('write an answer sheet with every requirement that needs an answer for a profile')
    .option('--level <level>', 'A1 or A2', 'A2')
    .option('--role <role>', 'bank, app or both')
    .option('--out <file>', 'file to write (default: stdout)')
    .option('--rulebook <file>', 'rulebook overlay (repeatable)', collect)
    .option('--lang <lang>', 'zh or en')
    .option('--force', 'overwrite an existing file')
    .option('--format <format>', 'yaml or xlsx (an Excel workbook; default: xlsx when --out ends in .xlsx, else yaml)')
    .option('--from <file>', 'an earlier answer sheet (YAML or .xlsx): carry its answers forward, marking those whose rule text changed')
    .action(async (opts) => {
      const { attestInitCommand } = await import('./commands/attest.js');
      process.exitCode = await attestInitCommand(opts);
    });

  program
    .command('report')
    .description('re-render a saved JSON result without re-assessing')
    .argument('<result>', 'a JSON result written by `assess --format json`')
    .option('--format <list>', 'formats to write', 'html')
    .option('--out <dir>', 'folder for report files', '.')
    .option('--report-info <file>', 'report metadata for the cover (YAML); replaces what the result holds')
    .option('--lang <lang>', 'zh or en')
    .action(async (file: string, opts) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(file, opts);
    });

  program
    .command('diff')
    .description('show what got better or worse between two JSON results')
    .argument('<old>')
    .argument('<new>')
    .option('--format <format>', 'text or json', 'text')
    .option('--lang <lang>', 'zh or en')
    .action(async (oldFile: string, newFile: string, opts) => {
      const { diffCommand } = await import('./commands/report.js');
      process.exitCode = await diffCommand(oldFile, newFile, opts);
    });

  program
    .command('probe')
    .description('live checks only: TLS versions and ciphers, certificate, client certificate, HTTP behaviour')
    .argument('[url...]', 'https URLs to probe (only these hosts are contacted)')
    .option('--config <file>', 'probe configuration (operations, signature scheme, credentials from env)')
    .option('--ca <file>', 'extra trusted CA certificate (PEM) for the probed hosts (repeatable)', collect)
    .option('--dry-run', 'print every request that would be sent and send nothing')
    .option('--level <level>', 'A1 or A2 (default A2): the level of targets that do not declare one')
    .option('--format <list>', 'text (default: what the probes saw, then the requirements) and every assess format: terminal,json,markdown,html,pdf,sarif,junit,csv')
    .option('--out <dir>', 'folder for report files, with jrt0185-probe-evidence.json beside them (default .); "-" prints the one --format chosen on stdout')
    .option('--tls-only', 'URL mode: the TLS probe only (its one HTTPS GET included), no malformed-request probes')
    .option('--timeout <ms>', 'deadline of each connection and request, start to end (URL mode; a config sets limits.timeoutMs) (default 5000)')
    .option('--lang <lang>', 'zh or en')
    .action(async (urls: string[], opts) => {
      // Live-probe and simulator code (an HTTP client, TLS servers) loads only for the commands that use it.
      const { probeCommand } = await import('./commands/probe.js');
      process.exitCode = await probeCommand(urls, opts);
    });

  program
    .command('simulate')
    .description('start the bank simulator on 127.0.0.1 (compliant, or with chosen faults) for demos and tests')
    .option('--port <port>', 'HTTPS port (default: a free port)')
    .option('--http-port <port>', 'plain-HTTP port (default: a free port)')
    .option('--fault <fault>', 'fault to switch on, repeatable or comma-separated: tls10, no-client-cert, accept-unsigned, accept-replay, stack-trace, unmasked-pan, no-rate-limit, http-plain, bola', collect)
    .option('--template <preset|file>', 'also verify this signing preset (e.g. wechatpay-v3) or template file, and probe it in the printed config (repeatable)', collect)
    .action(async (opts) => {
      const { simulateCommand } = await import('./commands/simulate.js');
      process.exitCode = await simulateCommand(opts);
    });

  registerMerge(program);
  return program;
}

/**
 * `jrt0185 assess … | head`: the reader leaves, the next write fails with EPIPE. That is not an error of the run:
 * stop writing, say nothing, and end with the exit code the run earns. Any other stdout failure is one line.
 */
let stdoutGuarded = false;
function quietOnClosedStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    if (e.code === 'EPIPE') return;
    process.stderr.write(`jrt0185: cannot write to standard output: ${e.code ?? e.message}\n`);
    process.exitCode = EXIT.usage;
  });
  // `… 2>&1 | head` closes stderr too: progress and "wrote" lines then go nowhere, quietly.
  process.stderr.on('error', () => {
    process.stderr.write = (() => true) as typeof process.stderr.write;
  });
}

export async function main(argv: string[] = process.argv): Promise<number> {
  quietOnClosedStdout();
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(e)) {
      const lines = e instanceof InputErrors ? e.errors.map((x) => x.message) : [e.message];
      // An error quotes input (a key, a path, a parser's words): one line, nothing a terminal or CI runner obeys.
      for (const line of lines) process.stderr.write(`jrt0185: ${inert(line)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`jrt0185: internal error: ${inert((e as Error)?.message ?? String(e))}\n`);
    if (process.env.JRT0185_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    else process.stderr.write('jrt0185: this is a bug; run with JRT0185_DEBUG=1 for details and report it\n');
    return 3;
  }
}
