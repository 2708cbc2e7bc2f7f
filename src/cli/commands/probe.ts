import { loadProbeConfig, probeUrls, readPemFiles, runProbes } from '../../collectors/probe/index.js';
import { assessEvidence } from '../../assess.js';
import { loadRulebook } from '../../rulebook/load.js';
import { emptyBundle, type ProbeResultEvidence } from '../../model/evidence.js';
import { UsageError } from '../../errors.js';
import { parseLang, parseLevel, useColor } from '../options.js';
import { pick, statusLabel } from '../../report/i18n.js';

/**
 * Live checks only: the probe evidence is judged by the rulebook's probe checks, and the requirements they decide
 * are printed. Exit 0 when they all pass, 1 when one fails, 2 on bad input.
 */
export async function probeCommand(
  urls: string[],
  flags: { config?: string; ca?: string[]; dryRun?: boolean; format: string; lang?: string; level?: string },
): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
  if (!flags.config && urls.length === 0) throw new UsageError('give one or more https URLs or --config FILE');
  const lang = parseLang(flags.lang);
  let evidence: ProbeResultEvidence[];
  if (flags.config) {
    const config = await loadProbeConfig(flags.config);
    const run = await runProbes(config, { dryRun: flags.dryRun, log: process.stderr.isTTY ? (l) => process.stderr.write(`${l}\n`) : undefined });
    if (flags.dryRun) {
      process.stdout.write(`${run.plannedRequests.join('\n')}\n`);
      return 0;
    }
    evidence = run.evidence;
  } else {
    for (const u of urls) if (!/^https?:\/\//i.test(u)) throw new UsageError(`not an http(s) URL: ${u}`);
    if (flags.dryRun) {
      process.stdout.write(`${urls.map((u) => `TLS handshakes and up to 4 HTTP GETs without credentials to ${u}`).join('\n')}\n`);
      return 0;
    }
    evidence = await probeUrls(urls, { ca: flags.ca ? await readPemFiles(flags.ca) : undefined });
  }
  const result = assessEvidence({ rulebook: await loadRulebook(), bundle: { ...emptyBundle(), probe: evidence }, level: parseLevel(flags.level) ?? 'A2' });
  const decided = result.requirements.filter((r) => r.source === 'probe' && (r.status === 'pass' || r.status === 'fail'));
  const failed = decided.filter((r) => r.status === 'fail');
  if (flags.format === 'json') {
    const ids = new Set(decided.map((r) => r.ruleId));
    process.stdout.write(`${JSON.stringify({ evidence, requirements: decided, findings: result.findings.filter((f) => ids.has(f.ruleId)) }, null, 2)}\n`);
  } else {
    const color = useColor(process.stdout);
    const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
    for (const e of evidence) process.stdout.write(`${e.probe.padEnd(10)} ${e.target}  (${e.requests} ${lang === 'zh' ? '次请求' : 'requests'})\n`);
    for (const r of decided) {
      process.stdout.write(`${r.status === 'pass' ? paint(32, '✓') : paint(31, '✗')} ${r.clause.padEnd(7)} ${r.ruleId}  ${statusLabel(r.status, lang)}\n`);
      for (const f of result.findings.filter((x) => x.ruleId === r.ruleId && x.check?.startsWith('probe.'))) {
        process.stdout.write(`    ${f.location?.target ?? ''}  ${pick(f.message, lang)}${f.evidence ? `  «${f.evidence}»` : ''}\n`);
      }
    }
  }
  return failed.length > 0 ? 1 : 0;
}
