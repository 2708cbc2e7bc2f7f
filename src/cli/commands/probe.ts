import { probeUrls, readPemFiles } from '../../collectors/probe/urls.js';
import { observedLines } from '../../collectors/probe/observed.js';
import { assessEvidence } from '../../assess.js';
import { loadRulebook } from '../../rulebook/load.js';
import { emptyBundle, type ProbeResultEvidence } from '../../model/evidence.js';
import { UsageError } from '../../errors.js';
import { parseFormats, parseLang, parseLevel, useColor } from '../options.js';
import { renderReports, sendDocuments, type RenderedDocument } from '../emit.js';
import { findBrowser } from '../../report/pdf.js';
import { pick, statusLabel } from '../../report/i18n.js';

/** Written beside the reports whenever a report file is: what the probes saw, masked, for a reader to check. */
export const EVIDENCE_FILE = 'jrt0185-probe-evidence.json';

/**
 * Live checks only: the probe evidence is judged by the rulebook's rules that have probe checks, and those
 * requirements are reported. `--format` takes `text` (default: what the probes saw, then the requirements) and every
 * format `assess` has; `--out DIR` is where file formats go, as for `assess`. Exit 0 when every requirement the
 * probes decide passes, 1 when one fails or could not be decided (error), 2 on bad input or an unreachable target.
 */
export async function probeCommand(
  urls: string[],
  flags: { config?: string; ca?: string[]; dryRun?: boolean; format?: string; out?: string; lang?: string; level?: string; color?: boolean; timeout?: string; tlsOnly?: boolean },
): Promise<number> {
  const formats = parseFormatList(flags.format);
  if (!flags.config && urls.length === 0) throw new UsageError('give one or more https URLs or --config FILE');
  if (formats.includes('pdf')) findBrowser(); // no browser: exit 2 before anything is sent
  const out = flags.out ?? '.';
  // `--out -`, as for assess: the one chosen format on standard output, no files.
  const toStdout = out === '-';
  if (toStdout && formats.length !== 1) throw new UsageError(`--out - writes one format to standard output; choose it with --format (got ${formats.join(',')})`);
  const lang = parseLang(flags.lang);
  const level = parseLevel(flags.level) ?? 'A2';
  const timeoutMs = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 100 && timeoutMs <= 120000)) throw new UsageError(`--timeout must be a whole number of milliseconds from 100 to 120000 (got "${flags.timeout}")`);
  if (timeoutMs !== undefined && flags.config) throw new UsageError('--timeout is for URLs; a probe config sets limits.timeoutMs');
  let evidence: ProbeResultEvidence[];
  if (flags.config) {
    // The config probes (schema, YAML, signing) load only here: `probe URL…` never pays for them.
    const { loadProbeConfig, runProbes } = await import('../../collectors/probe/index.js');
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
      process.stdout.write(`${urls.map((u) => `TLS handshakes and ${flags.tlsOnly ? 'one HTTPS GET' : 'up to 4 HTTP requests'} without credentials to ${u}`).join('\n')}\n`);
      return 0;
    }
    evidence = await probeUrls(urls, { ca: flags.ca ? await readPemFiles(flags.ca) : undefined, timeoutMs, tlsOnly: flags.tlsOnly });
  }
  const rulebook = await loadRulebook();
  // Only the requirements a probe can speak to: the others would all read "not reviewed" in a probe-only report.
  const rules = rulebook.rules.filter((r) => r.checks.some((c) => c.fn.startsWith('probe.')));
  const result = assessEvidence({ rulebook: { ...rulebook, rules }, bundle: { ...emptyBundle(), probe: evidence }, level });
  const shown = result.requirements.filter((r) => r.status !== 'n/a' || result.findings.some((f) => f.ruleId === r.ruleId));
  const bad = shown.filter((r) => r.status === 'fail' || r.status === 'error');

  const color = useColor(process.stdout, process.env, flags.color);
  // Every format is rendered before anything is written, so a failure leaves no partial set of files.
  const rendered: RenderedDocument[] = [
    ...(formats.includes('text') ? [{ content: renderText(evidence, shown, result.findings, lang, color) }] : []),
    ...(await renderReports(formats.filter((f) => f !== 'text'), result, { lang, color })),
  ];
  // What the probes saw goes beside the reports, whenever reports are written.
  if (!toStdout && rendered.some((r) => r.fileName)) rendered.push({ fileName: EVIDENCE_FILE, content: `${JSON.stringify(evidence, null, 2)}\n` });
  const written = await sendDocuments(rendered, out, toStdout);
  for (const file of written) process.stderr.write(`${lang === 'zh' ? '已写入' : 'wrote'} ${file}\n`);
  return bad.length > 0 ? 1 : 0;
}

function parseFormatList(v: string | undefined): string[] {
  if (v === undefined) return ['text'];
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const others = list.filter((f) => f !== 'text');
  return [...new Set([...(list.includes('text') ? ['text'] : []), ...parseFormats(others.length ? others.join(',') : undefined, [])])];
}

function renderText(
  evidence: ProbeResultEvidence[],
  shown: ReturnType<typeof assessEvidence>['requirements'],
  findings: ReturnType<typeof assessEvidence>['findings'],
  lang: 'zh' | 'en',
  color: boolean,
): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const e of evidence) {
    lines.push(`${e.probe.padEnd(13)} ${e.target}  (${e.requests} ${lang === 'zh' ? '次请求' : 'requests'})`);
    for (const l of observedLines(e)) lines.push(`    ${l}`);
  }
  lines.push('');
  for (const r of shown) {
    const mark = r.status === 'pass' ? paint(32, '✓') : r.status === 'fail' || r.status === 'error' ? paint(31, '✗') : paint(33, '•');
    lines.push(`${mark} ${r.clause.padEnd(7)} ${r.ruleId}  ${statusLabel(r.status, lang)}`);
    for (const f of findings.filter((x) => x.ruleId === r.ruleId && x.check?.startsWith('probe.'))) {
      lines.push(`    ${f.location?.target ?? ''}  ${pick(f.message, lang)}${f.evidence ? `  «${f.evidence}»` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
