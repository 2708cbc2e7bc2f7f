import { loadProbeConfig, probeUrls, runProbes } from '../../collectors/probe/index.js';
import { UsageError } from '../../errors.js';
import { parseLang } from '../options.js';
import type { ProbeResultEvidence } from '../../model/evidence.js';

/** Live checks only. Exit 0 when every probe ran, 1 when a probe found a problem, 2 on bad input. */
export async function probeCommand(urls: string[], flags: { config?: string; dryRun?: boolean; format: string; lang?: string }): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
  if (!flags.config && urls.length === 0) throw new UsageError('give one or more https URLs or --config FILE');
  const lang = parseLang(flags.lang);
  let evidence: ProbeResultEvidence[];
  if (flags.config) {
    const config = await loadProbeConfig(flags.config);
    const run = await runProbes(config, { dryRun: flags.dryRun, log: (l) => process.stderr.write(`${l}\n`) });
    if (flags.dryRun) {
      process.stdout.write(`${run.plannedRequests.join('\n')}\n`);
      return 0;
    }
    evidence = run.evidence;
  } else {
    if (flags.dryRun) {
      process.stdout.write(`${urls.map((u) => `TLS handshakes and HTTP requests to ${u}`).join('\n')}\n`);
      return 0;
    }
    evidence = await probeUrls(urls);
  }
  if (flags.format === 'json') process.stdout.write(`${JSON.stringify(evidence, null, 2)}\n`);
  else {
    for (const e of evidence) {
      process.stdout.write(`${e.probe.padEnd(10)} ${e.target}  (${e.requests} ${lang === 'zh' ? '次请求' : 'requests'})\n`);
      for (const [k, v] of Object.entries(e.facts)) process.stdout.write(`  ${k}: ${JSON.stringify(v)}\n`);
      for (const p of e.problems) process.stdout.write(`  ! ${p.message}\n`);
    }
  }
  return evidence.some((e) => e.problems.length > 0) ? 1 : 0;
}
