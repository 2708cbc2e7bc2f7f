/**
 * The assessor's report: one self-contained HTML file (inline CSS and SVG, no script, no font, no network),
 * readable on screen and printable to PDF with one clause per page. A Content-Security-Policy of
 * `default-src 'none'` makes the "no network" promise hold even if a browser were tempted.
 */
import { clip } from '../mask.js';
import type { AssessmentResult, ClauseResult, Finding, RequirementResult } from '../model/result.js';
import { clauseTitle, formatPercent, label, pick, statusLabel, type Lang } from './i18n.js';
import {
  clauseTable,
  findingsByRule,
  formatLocation,
  gateRule,
  reportDate,
  requirementsByChapter,
  scoreFigures,
  sortedRequirements,
  type RenderOptions,
} from './present.js';
import { assessmentFacts, coverSubject, inputRows, metadataFacts, signatureBlocks, type CoverFact } from './cover.js';
import { conclusionParagraph } from './conclusion.js';
import { portfolioHtml } from './portfolio.js';
import type { RelatedLocation } from '../model/evidence.js';

/** More findings than this per requirement are summarised as a count (a 13 MB spec can yield thousands). */
const MAX_FINDINGS_PER_REQUIREMENT = 50;
/** Places listed under one finding before "N more". */
const MAX_LOCATIONS_PER_FINDING = 20;

/**
 * A CSS string literal for text from the report metadata (the report number in the print header): every
 * character outside a plain set is a CSS hex escape, so no quote, backslash or `</style>` can end it.
 */
export function cssString(text: string): string {
  return `"${[...text].map((ch) => (/^[\p{L}\p{N} ._:/-]$/u.test(ch) && ch !== '\\' ? ch : `\\${ch.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fixed-precision numbers keep SVG output byte-identical across platforms. */
function num(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';
}

function scoreClass(score: number | null): string {
  if (score === null) return 'none';
  return score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

/** A half-circle gauge of a 0–100 value with its figure in the middle. */
function gauge(value: number | null, caption: string, id: string): string {
  const r = 80;
  const cx = 100;
  const cy = 100;
  const v = value === null ? 0 : Math.max(0, Math.min(100, value));
  const angle = Math.PI * (1 - v / 100);
  const x = cx + r * Math.cos(angle);
  const y = cy - r * Math.sin(angle);
  const track = `M ${num(cx - r)} ${num(cy)} A ${r} ${r} 0 0 1 ${num(cx + r)} ${num(cy)}`;
  const arc = v > 0 ? `<path class="gauge-value ${scoreClass(value)}" d="M ${num(cx - r)} ${num(cy)} A ${r} ${r} 0 0 1 ${num(x)} ${num(y)}"/>` : '';
  return (
    `<figure class="gauge"><svg viewBox="0 0 200 120" width="220" height="132" role="img" aria-labelledby="${id}">` +
    `<title id="${id}">${escapeHtml(caption)}: ${escapeHtml(formatPercent(value))}</title>` +
    `<path class="gauge-track" d="${track}"/>${arc}` +
    `<text x="100" y="92" class="gauge-figure" data-figure="${id}">${escapeHtml(formatPercent(value))}</text>` +
    `<text x="100" y="114" class="gauge-caption">${escapeHtml(caption)}</text>` +
    `</svg></figure>`
  );
}

/** One bar per chapter (score) with a thin bar under it (coverage). */
function clauseBars(clauses: ClauseResult[], lang: Lang): string {
  const rowHeight = 30;
  const labelWidth = 230;
  const barWidth = 300;
  const height = clauses.length * rowHeight + 24;
  const rows = clauses.map((c, i) => {
    const y = 20 + i * rowHeight;
    const scoreWidth = c.score === null ? 0 : (barWidth * Math.max(0, Math.min(100, c.score))) / 100;
    const coverageWidth = c.coverage === null ? 0 : (barWidth * Math.max(0, Math.min(100, c.coverage))) / 100;
    const name = clip(`${c.clause} ${pick(c.title, lang) || clauseTitle(c.clause, lang)}`, lang === 'zh' ? 15 : 30);
    return (
      `<g class="clause-bar" data-clause="${escapeHtml(c.clause)}">` +
      `<text x="0" y="${y + 12}" class="bar-label">${escapeHtml(name)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="14" class="bar-track"/>` +
      `<rect x="${labelWidth}" y="${y}" width="${num(scoreWidth)}" height="14" class="bar-score ${scoreClass(c.score)}"/>` +
      `<rect x="${labelWidth}" y="${y + 17}" width="${num(coverageWidth)}" height="4" class="bar-coverage"/>` +
      `<text x="${labelWidth + barWidth + 8}" y="${y + 12}" class="bar-figure">${escapeHtml(
        c.score === null ? label('report.notAssessed', lang) : formatPercent(c.score),
      )}</text></g>`
    );
  });
  return (
    `<svg class="bars" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" width="${labelWidth + barWidth + 90}" role="img" aria-label="${escapeHtml(
      label('report.clauses', lang),
    )}">` +
    `<text x="${labelWidth}" y="12" class="bar-legend">${escapeHtml(label('report.score', lang))} ▬  ${escapeHtml(
      label('report.coverage', lang),
    )} ━</text>${rows.join('')}</svg>`
  );
}

/** Coverage split (automatic / probe / attested / not reviewed / error) as one stacked bar. */
function coverageBar(result: AssessmentResult, lang: Lang): string {
  const parts: [string, number][] = [
    ['automatic', result.coverage.automatic],
    ['probe', result.coverage.probe],
    ['attested', result.coverage.attested],
    ['notReviewed', result.coverage.notReviewed],
    ['error', result.coverage.error],
  ];
  let x = 0;
  const rects = parts.map(([key, value]) => {
    const width = (500 * Math.max(0, value)) / 100;
    const rect = `<rect x="${num(x)}" y="0" width="${num(width)}" height="16" class="cov-${key}"><title>${escapeHtml(
      label(`coverage.${key}`, lang),
    )}: ${escapeHtml(formatPercent(value))}%</title></rect>`;
    x += width;
    return rect;
  });
  const legend = parts
    .map(([key, value]) => `<li><span class="swatch cov-${key}"></span>${escapeHtml(label(`coverage.${key}`, lang))} ${escapeHtml(formatPercent(value))}%</li>`)
    .join('');
  return `<svg class="coverage-bar" viewBox="0 0 500 16" width="100%" height="16" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(
    label('report.coverage', lang),
  )}"><rect x="0" y="0" width="500" height="16" class="bar-track"/>${rects.join('')}</svg><ul class="legend">${legend}</ul>`;
}

function statusBadge(status: string, lang: Lang): string {
  const cls = status.replace(/[^a-z-]/g, '');
  return `<span class="badge st-${cls || 'na'}">${escapeHtml(statusLabel(status as Finding['status'], lang))}</span>`;
}

function standardText(requirement: RequirementResult, lang: Lang): string {
  const zh = `<p class="std-text" lang="zh">${escapeHtml(requirement.text.zh)}</p>`;
  return lang === 'en' && requirement.text.en ? `${zh}<p class="std-text" lang="en">${escapeHtml(requirement.text.en)}</p>` : zh;
}

function locationList(locations: RelatedLocation[] | undefined, baseDir: string | undefined, lang: Lang): string {
  if (!locations || locations.length === 0) return '';
  const items = locations.slice(0, MAX_LOCATIONS_PER_FINDING).map((l) => {
    const where = formatLocation(l, baseDir);
    return `<li>${where ? `<code>${escapeHtml(where)}</code>` : ''}${l.subject ? ` ${escapeHtml(l.subject)}` : ''}${
      l.excerpt ? `<pre class="excerpt">${escapeHtml(l.excerpt)}</pre>` : ''
    }</li>`;
  });
  if (locations.length > MAX_LOCATIONS_PER_FINDING) {
    items.push(`<li class="more">${escapeHtml(label('report.noMoreFindings', lang, { n: locations.length - MAX_LOCATIONS_PER_FINDING }))}</li>`);
  }
  return `<ul class="locations">${items.join('')}</ul>`;
}

/** What a passing requirement's checks examined: counts of operations, routes, records… with their places. */
function examinedList(passes: Finding[], baseDir: string | undefined, lang: Lang): string {
  if (passes.length === 0) return '';
  const items = passes.map((f) => {
    const where = formatLocation(f.location, baseDir);
    return `<li>${escapeHtml(pick(f.message, lang))}${where && !f.locations?.length ? ` <code>${escapeHtml(where)}</code>` : ''}${locationList(f.locations, baseDir, lang)}</li>`;
  });
  return `<div class="examined"><strong>${escapeHtml(label('report.examined', lang))}</strong><ul>${items.join('')}</ul></div>`;
}

function findingList(findings: Finding[] | undefined, lang: Lang, baseDir?: string): string {
  if (!findings || findings.length === 0) return '';
  const shown = findings.filter((f) => f.status !== 'pass');
  const passes = findings.filter((f) => f.status === 'pass');
  // Pass findings with a message are "examined" summaries; bare ones (older results) are only counted.
  const described = passes.filter((f) => f.messageId === 'examined');
  const passed = passes.length - described.length;
  const items = shown.slice(0, MAX_FINDINGS_PER_REQUIREMENT).map((f) => {
    const where = formatLocation(f.location, baseDir);
    return (
      `<li class="finding f-${escapeHtml(f.status.replace('/', ''))}">${statusBadge(f.status, lang)}` +
      (f.new ? ` <span class="badge st-new">${escapeHtml(label('report.newFinding', lang))}</span>` : '') +
      ` ${escapeHtml(pick(f.message, lang))}` +
      (where ? `<div class="loc"><code>${escapeHtml(where)}</code></div>` : '') +
      (f.evidence !== undefined ? `<pre class="excerpt">${escapeHtml(f.evidence)}</pre>` : '') +
      locationList(f.locations, baseDir, lang) +
      (f.waiver
        ? `<div class="waiver">${escapeHtml(
            `${label('report.waivedFinding', lang)} — ${label('report.reason', lang)}: ${f.waiver.reason} · ${label('report.owner', lang)}: ${f.waiver.owner} · ${label(
              'report.expires',
              lang,
            )}: ${f.waiver.expires}`,
          )}</div>`
        : '') +
      `</li>`
    );
  });
  if (shown.length > MAX_FINDINGS_PER_REQUIREMENT) {
    items.push(`<li class="more">${escapeHtml(label('report.noMoreFindings', lang, { n: shown.length - MAX_FINDINGS_PER_REQUIREMENT }))}</li>`);
  }
  if (passed > 0) items.push(`<li class="passed-count">${statusBadge('pass', lang)} × ${passed}</li>`);
  return (items.length ? `<ul class="findings">${items.join('')}</ul>` : '') + examinedList(described, baseDir, lang);
}

function attestationLine(requirement: RequirementResult, lang: Lang): string {
  const a = requirement.attestation;
  if (!a) return '';
  const parts = [
    `${label('report.answer', lang)}: ${label(`answer.${a.answer}`, lang)}`,
    `${label('report.assessor', lang)}: ${a.assessor}`,
    `${label('report.answeredOn', lang)}: ${a.date}`,
  ];
  if (a.expires) parts.push(`${label('report.expires', lang)}: ${a.expires}${a.expired ? ` (${label('report.expired', lang)})` : ''}`);
  return `<div class="attest">${escapeHtml(parts.join(' · '))}${a.evidence ? `<div class="attest-ev">${escapeHtml(a.evidence)}</div>` : ''}</div>`;
}

function waiverLine(requirement: RequirementResult, lang: Lang): string {
  const w = requirement.waiver;
  if (!w) return '';
  return `<div class="waiver">${escapeHtml(
    `${label('report.reason', lang)}: ${w.reason} · ${label('report.owner', lang)}: ${w.owner} · ${label('report.expires', lang)}: ${w.expires}`,
  )}</div>`;
}

function requirementRow(requirement: RequirementResult, findings: Finding[] | undefined, lang: Lang, baseDir?: string): string {
  const remediation = pick(requirement.remediation, lang);
  const showRemediation = requirement.status !== 'pass' && requirement.status !== 'manual-pass' && requirement.status !== 'n/a';
  return (
    `<tr class="req st-row-${escapeHtml(requirement.status.replace('/', ''))}" id="req-${escapeHtml(requirement.ruleId)}">` +
    `<td class="clause-no">${escapeHtml(requirement.clause)}</td>` +
    `<td><div class="rule-id"><code>${escapeHtml(requirement.ruleId)}</code></div>` +
    `<div class="meta">${escapeHtml(
      `${label(`obligation.${requirement.obligation}`, lang)} · ${label(`severity.${requirement.severity}`, lang)} · ${label(
        `subject.${requirement.subject}`,
        lang,
      )} · ${requirement.levels.join('/')} · ${label('report.weight', lang)} ${requirement.weight}`,
    )}</div></td>` +
    `<td class="status">${statusBadge(requirement.status, lang)}<div class="meta">${escapeHtml(label(`source.${requirement.source}`, lang))}</div></td>` +
    `<td>${standardText(requirement, lang)}${findingList(findings, lang, baseDir)}${attestationLine(requirement, lang)}${waiverLine(requirement, lang)}` +
    (showRemediation && remediation ? `<div class="remediation"><strong>${escapeHtml(label('report.remediation', lang))}:</strong> ${escapeHtml(remediation)}</div>` : '') +
    `</td></tr>`
  );
}

function chapterSection(
  chapter: string,
  requirements: RequirementResult[],
  clause: ClauseResult | undefined,
  findings: Map<string, Finding[]>,
  lang: Lang,
  baseDir?: string,
): string {
  const title = clause ? pick(clause.title, lang) || clauseTitle(chapter, lang) : clauseTitle(chapter, lang);
  const heading = chapter === 'B' ? (lang === 'zh' ? '附录 B' : 'Annex B') : chapter;
  const figures = clause
    ? `<p class="clause-figures">${escapeHtml(label('report.score', lang))} <strong>${escapeHtml(formatPercent(clause.score))}</strong> · ${escapeHtml(
        label('report.coverage', lang),
      )} <strong>${escapeHtml(formatPercent(clause.coverage))}%</strong> · ${escapeHtml(label(`clauseStatus.${clause.status}`, lang))}</p>`
    : '';
  const body =
    requirements.length === 0
      ? `<p class="empty">${escapeHtml(label('report.none', lang))}</p>`
      : `<table class="requirements"><thead><tr><th>${escapeHtml(label('report.clause', lang))}</th><th>${escapeHtml(
          label('report.requirement', lang),
        )}</th><th>${escapeHtml(label('report.status', lang))}</th><th>${escapeHtml(label('report.text', lang))} / ${escapeHtml(
          label('report.evidence', lang),
        )}</th></tr></thead><tbody>${requirements.map((r) => requirementRow(r, findings.get(r.ruleId), lang, baseDir)).join('')}</tbody></table>`;
  return `<section class="chapter" id="clause-${escapeHtml(chapter)}"><h2>${escapeHtml(heading)} ${escapeHtml(title)}</h2>${figures}${body}</section>`;
}

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const CSS = `
:root{--good:#1a7f37;--fair:#bf8700;--poor:#cf222e;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);font:14px/1.55 -apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px 32px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid var(--ink);padding-bottom:4px;margin-top:40px}h3{font-size:16px;margin-top:24px}
.cover{border-bottom:1px solid var(--line);padding-bottom:16px}
.subject{font-size:20px;font-weight:600;margin:8px 0 12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
pre.excerpt{background:var(--bg);border:1px solid var(--line);padding:4px 6px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.gauge{margin:0}
.gauge-track{fill:none;stroke:#e6e9ed;stroke-width:16}
.gauge-value{fill:none;stroke-width:16}
.gauge-value.good{stroke:var(--good)}.gauge-value.fair{stroke:var(--fair)}.gauge-value.poor{stroke:var(--poor)}
.gauge-figure{font-size:34px;font-weight:700;text-anchor:middle;fill:var(--ink)}
.gauge-caption{font-size:13px;text-anchor:middle;fill:var(--muted)}
.verdict{flex:1;min-width:260px}
.gate{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:700;color:#fff}
.gate.passed{background:var(--good)}.gate.failed{background:var(--poor)}
.bars{max-width:100%;height:auto}
.bars .bar-label,.bars .bar-figure{font-size:12px;fill:var(--ink)}.bars .bar-legend{font-size:11px;fill:var(--muted)}
.bar-track{fill:#eef1f4}.bar-score.good{fill:var(--good)}.bar-score.fair{fill:var(--fair)}.bar-score.poor{fill:var(--poor)}.bar-score.none{fill:#c9d1d9}
.bar-coverage{fill:#0969da}
.cov-automatic{fill:#0969da;background:#0969da}.cov-probe{fill:#8250df;background:#8250df}.cov-attested{fill:#1a7f37;background:#1a7f37}
.cov-notReviewed{fill:#d1d9e0;background:#d1d9e0}.cov-error{fill:#cf222e;background:#cf222e}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:var(--muted)}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.badge{display:inline-block;padding:1px 6px;border-radius:3px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.st-pass,.st-manual-pass{background:#dafbe1;color:#116329}
.st-fail,.st-manual-fail{background:#ffebe9;color:#a40e26}
.st-error{background:#cf222e;color:#fff}
.st-warn{background:#fff8c5;color:#7d4e00}
.st-new{background:#ddf4ff;color:#0550ae}
.st-not-reviewed,.st-manual{background:#fff1e5;color:#953800}
.st-na,.st-waived{background:#eef1f4;color:var(--muted);border-color:var(--line)}
.meta{color:var(--muted);font-size:12px}
.std-text{margin:0 0 4px}.std-text[lang=en]{color:var(--muted)}
ul.findings{margin:6px 0;padding-left:18px}ul.findings li{margin:4px 0}
.loc code{color:#0550ae}
.remediation{margin-top:6px;padding:4px 8px;border-left:3px solid #0969da;background:#f1f8ff}
.attest{margin-top:6px;padding:4px 8px;border-left:3px solid var(--good);background:#f0fff4}
.waiver{margin-top:6px;padding:4px 8px;border-left:3px solid var(--muted);background:var(--bg)}
.clause-no{white-space:nowrap;font-weight:600}
table.requirements th{white-space:nowrap;overflow-wrap:normal}
table.requirements td:nth-child(2){width:22%}table.requirements td:nth-child(3){width:9%}
.warnings li{color:#7d4e00}
.report-number{margin:0 0 8px;color:var(--muted)}
dl.facts.metadata{margin-bottom:12px}dl.facts dd.missing{color:var(--muted);font-style:italic}
.conclusion p{margin:6px 0}.gate-rule{color:var(--muted);font-size:13px}
table.signatures th{width:16%}table.signatures td.sign-box{width:40%;height:44px}
ul.score-means{margin:4px 0 0;padding-left:18px;color:var(--muted);font-size:13px}
.examined{margin-top:6px;padding:4px 8px;border-left:3px solid var(--good);background:#f6fef9}
.examined ul,ul.locations{margin:2px 0;padding-left:18px}ul.locations{font-size:12px}
footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{
  body{font-size:11px}main{max-width:none;padding:0}
  section.chapter,section.appendix,section.front-matter,section.overview{break-before:page}
  header.cover{font-size:10px;line-height:1.4}header.cover h1{font-size:18px}header.cover h2{font-size:14px;margin-top:12px}
  header.cover .subject{font-size:15px;margin:4px 0 8px}dl.facts{gap:1px 12px}dl.facts.metadata{margin-bottom:6px}
  table.signatures td.sign-box{height:30px}section.signatures{break-inside:avoid}header.cover .gate-rule{font-size:10px}
  tr,li,pre{break-inside:avoid}
  thead{display:table-header-group}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

function factList(facts: CoverFact[], cls: string): string {
  return `<dl class="facts ${cls}">${facts
    .map((f) => `<dt>${escapeHtml(f.label)}</dt><dd data-field="${escapeHtml(f.key)}"${f.missing ? ' class="missing"' : ''}>${escapeHtml(f.value)}</dd>`)
    .join('')}</dl>`;
}

/** 编制 / 审核 / 批准 with name and date printed and an empty box to sign in. */
function signatureTable(result: AssessmentResult, lang: Lang): string {
  const blocks = signatureBlocks(result, lang);
  return (
    `<section class="signatures" id="signatures"><h2>${escapeHtml(label('sign.title', lang))}</h2><table class="signatures"><thead><tr><th></th><th>${escapeHtml(
      label('sign.name', lang),
    )}</th><th>${escapeHtml(label('sign.signature', lang))}</th><th>${escapeHtml(label('sign.date', lang))}</th></tr></thead><tbody>` +
    blocks
      .map(
        (b) =>
          `<tr data-sign="${b.key}"><th>${escapeHtml(b.role)}</th><td class="sign-name">${escapeHtml(b.name)}</td><td class="sign-box"></td><td class="sign-date">${escapeHtml(b.date)}</td></tr>`,
      )
      .join('') +
    `</tbody></table></section>`
  );
}

/**
 * Print layout: A4 with the report number in the page header and "page x of y" in the footer, as CSS page-margin
 * boxes — so a browser's own "print to PDF" numbers the pages exactly as `--format pdf` does.
 */
function pageCss(reportNumber: string | undefined, lang: Lang): string {
  const [before, after] = label('page.of', lang, { page: '\u0000', pages: '\u0001' }).split('\u0000');
  const [middle, end] = after!.split('\u0001');
  const pageNumbers = `${cssString(before!)} counter(page) ${cssString(middle!)} counter(pages) ${cssString(end!)}`;
  const header = reportNumber ? `@top-left{content:${cssString(`${label('cover.reportNumber', lang)}: ${reportNumber}`)};font-size:9px;color:#59636e}` : '';
  return `@page{size:A4;margin:18mm 14mm 16mm;${header}@top-right{content:${cssString(label('report.title', lang))};font-size:9px;color:#59636e}@bottom-center{content:${pageNumbers};font-size:9px;color:#59636e}}`;
}

/** Renders the whole result as one HTML document in `opts.lang` (zh by default in the CLI). */
export function renderHtml(result: AssessmentResult, opts: RenderOptions): string {
  const lang = opts.lang;
  const baseDir = opts.baseDir;
  const findings = findingsByRule(result);
  const subject = coverSubject(result, lang);
  const clausesByChapter = new Map(result.clauses.map((c) => [c.clause, c]));
  const gatePassed = result.gate.passed;
  const reportNumber = result.report?.reportNumber;
  const date = reportDate(result);

  const cover =
    `<header class="cover" id="cover">` +
    (reportNumber ? `<p class="report-number">${escapeHtml(label('cover.reportNumber', lang))}: <strong data-field="reportNumber-headline">${escapeHtml(reportNumber)}</strong></p>` : '') +
    `<h1>${escapeHtml(label('report.title', lang))}</h1>` +
    `<div class="subject" data-field="subject">${escapeHtml(subject)}</div>` +
    factList(metadataFacts(result, lang), 'metadata') +
    factList(assessmentFacts(result, lang), 'assessment') +
    `<section class="conclusion" id="conclusion"><h2>${escapeHtml(label('conclusion.title', lang))}</h2><p>${escapeHtml(conclusionParagraph(result, lang))}</p>` +
    `<p class="gate-rule">${escapeHtml(gateRule(result.gate, lang))}</p></section>` +
    signatureTable(result, lang) +
    `</header>` +
    `<section class="front-matter" id="inputs"><h2>${escapeHtml(label('report.inputs', lang))}</h2>` +
    table([label('report.kind', lang), label('report.file', lang), label('report.format', lang), 'SHA-256'], inputRows(result, lang, baseDir)) +
    `<p class="meta">${escapeHtml(label('report.rulebook', lang))}: ${escapeHtml(result.rulebook.files.join(', '))}</p></section>`;

  const scores = clauseTable(result.clauses, lang);
  const figures = scoreFigures(result, lang);
  const summary =
    `<section class="overview" id="summary"><h2>${escapeHtml(label('report.summary', lang))}</h2><div class="summary">` +
    gauge(result.score, figures[0]!.label, 'score') +
    gauge(result.scoreAssessed ?? null, figures[1]!.label, 'score-assessed') +
    gauge(result.coverage.total, `${label('report.coverage', lang)} %`, 'coverage') +
    `<div class="verdict"><p>${escapeHtml(label('report.gate', lang))}: <span class="gate ${gatePassed ? 'passed' : 'failed'}">${escapeHtml(
      label(gatePassed ? 'report.gate.passed' : 'report.gate.failed', lang),
    )}</span></p>` +
    (result.gate.reasons.length ? `<ul class="gate-reasons">${result.gate.reasons.map((r) => `<li>${escapeHtml(pick(r, lang))}</li>`).join('')}</ul>` : '') +
    `<p class="gate-rule">${escapeHtml(gateRule(result.gate, lang))}</p>` +
    `</div></div>` +
    `<ul class="score-means">${figures.map((f) => `<li data-score="${f.key}">${escapeHtml(f.means)}</li>`).join('')}</ul>` +
    `<h3>${escapeHtml(label('report.coverage', lang))}</h3>${coverageBar(result, lang)}` +
    `<h3>${escapeHtml(label('report.clauses', lang))}</h3>${clauseBars(result.clauses, lang)}` +
    table(scores.head, scores.rows) +
    portfolioHtml(result, lang, baseDir) +
    `</section>`;

  const chapters = requirementsByChapter(result)
    .filter(({ chapter, requirements }) => requirements.length > 0 || clausesByChapter.has(chapter))
    .map(({ chapter, requirements }) => chapterSection(chapter, requirements, clausesByChapter.get(chapter), findings, lang, baseDir))
    .join('');

  const requirements = sortedRequirements(result);
  const attested = requirements.filter((r) => r.attestation);
  const attestations =
    `<section class="appendix" id="attestations"><h2>${escapeHtml(label('report.attestations', lang))}</h2>` +
    (attested.length === 0
      ? `<p>${escapeHtml(label('report.none', lang))}</p>`
      : table(
          [
            label('report.requirement', lang),
            label('report.clause', lang),
            label('report.answer', lang),
            label('report.assessor', lang),
            label('report.answeredOn', lang),
            label('report.expires', lang),
            label('report.evidence', lang),
            label('report.note', lang),
            label('report.location', lang),
          ],
          attested.map((r) => {
            const a = r.attestation!;
            return [
              r.ruleId,
              r.clause,
              label(`answer.${a.answer}`, lang),
              a.assessor,
              a.date,
              a.expires ? `${a.expires}${a.expired ? ` (${label('report.expired', lang)})` : ''}` : '',
              a.evidence ?? '',
              a.note ?? '',
              formatLocation(a.location, baseDir),
            ];
          }),
        ));

  const waivedRequirements = requirements.filter((r) => r.waiver);
  const waivers =
    `<h2 id="waivers">${escapeHtml(label('report.waivers', lang))}</h2>` +
    (waivedRequirements.length === 0
      ? `<p>${escapeHtml(label('report.none', lang))}</p>`
      : table(
          [label('report.requirement', lang), label('report.clause', lang), label('report.status', lang), label('report.reason', lang), label('report.owner', lang), label('report.expires', lang)],
          waivedRequirements.map((r) => [r.ruleId, r.clause, statusLabel(r.status, lang), r.waiver!.reason, r.waiver!.owner, r.waiver!.expires]),
        ));

  const warnings =
    `<h2 id="warnings">${escapeHtml(label('report.warnings', lang))}</h2>` +
    (result.warnings.length === 0
      ? `<p>${escapeHtml(label('report.none', lang))}</p>`
      : `<ul class="warnings">${result.warnings.map((w) => `<li>${escapeHtml(pick(w, lang))}</li>`).join('')}</ul>`);

  const footer = `<footer>${escapeHtml(label('report.generatedBy', lang, { tool: `${result.tool.name} ${result.tool.version}` }))} · <time datetime="${escapeHtml(
    result.generatedAt,
  )}">${escapeHtml(date)}</time> · schema ${escapeHtml(result.schemaVersion)}</footer>`;

  const title = `${label('report.title', lang)} — ${subject}`;
  return (
    `<!DOCTYPE html>\n<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="${escapeHtml(`${result.tool.name} ${result.tool.version}`)}">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}${pageCss(reportNumber, lang)}</style></head>\n<body><main>` +
    cover +
    summary +
    chapters +
    attestations +
    waivers +
    warnings +
    `</section>` +
    footer +
    `</main></body></html>\n`
  );
}
