/**
 * The per-API table of a portfolio run (`result.apis`, two or more descriptions): each description's own score,
 * coverage, failed requirements and failing findings, so a bank sees which of its APIs pull the assessment down.
 *
 * HTML: sortable by clicking a column heading, without script — the report's Content-Security-Policy allows none,
 * and a self-contained file should not need it. Each column's order is rendered once (a `<tbody>` per order) and a
 * hidden radio button per column, set by the heading's `<label>`, shows one of them (`:checked ~`). Print shows the
 * input order. Markdown: one table, lowest score first.
 */
import type { ApiResult, AssessmentResult } from '../model/result.js';
import type { LocalizedText } from '../model/outcome.js';
import { formatPercent, pick, type Lang } from './i18n.js';
import { displayPath } from './present.js';
// The renderers' own escaping (these modules import this one: the functions are only called at render time).
import { escapeHtml } from './html.js';
import { escapeMarkdown } from './markdown.js';

const TEXT: Record<string, LocalizedText> = {
  title: { zh: '各接口描述评估结果', en: 'Per-API results' },
  intro: {
    zh: '每份接口描述单独评估的得分、覆盖率、未满足的要求数与不合规发现数（点击列标题排序）。总体得分按全部输入一并评估得出，不是各行的平均值。',
    en: 'Each API description assessed on its own: score, coverage, failed requirements and failing findings (click a column heading to sort). The overall score is the assessment of all inputs together, not a mean of these rows.',
  },
  introMd: {
    zh: '每份接口描述单独评估的结果，得分最低者在前。总体得分按全部输入一并评估得出，不是各行的平均值。',
    en: 'Each API description assessed on its own, lowest score first. The overall score is the assessment of all inputs together, not a mean of these rows.',
  },
  api: { zh: '接口描述', en: 'API description' },
  operations: { zh: '操作数', en: 'Operations' },
  score: { zh: '得分', en: 'Score' },
  coverage: { zh: '覆盖率 %', en: 'Coverage %' },
  failed: { zh: '未满足要求', en: 'Failed requirements' },
  failures: { zh: '不合规发现', en: 'Failing findings' },
  errors: { zh: '出错', en: 'Errors' },
};

interface Column {
  key: keyof typeof TEXT;
  /** Cell text. */
  cell(api: ApiResult, baseDir: string | undefined): string;
  /** The useful order for this column: worst first for figures, by name for the description. */
  compare(a: ApiResult, b: ApiResult): number;
  numeric: boolean;
}

const byName = (a: ApiResult, b: ApiResult) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
const score = (s: number | null) => (s === null ? -1 : s);

const COLUMNS: Column[] = [
  { key: 'api', numeric: false, cell: (a, base) => `${a.title ?? ''}${a.title ? ' — ' : ''}${displayPath(a.file, base)}${a.apiVersion ? ` (${a.apiVersion})` : ''}`, compare: byName },
  { key: 'operations', numeric: true, cell: (a) => String(a.operations), compare: (a, b) => b.operations - a.operations || byName(a, b) },
  { key: 'score', numeric: true, cell: (a) => formatPercent(a.score), compare: (a, b) => score(a.score) - score(b.score) || byName(a, b) },
  { key: 'coverage', numeric: true, cell: (a) => formatPercent(a.coverage), compare: (a, b) => a.coverage - b.coverage || byName(a, b) },
  { key: 'failed', numeric: true, cell: (a) => String(a.failed), compare: (a, b) => b.failed - a.failed || byName(a, b) },
  { key: 'failures', numeric: true, cell: (a) => String(a.failures), compare: (a, b) => b.failures - a.failures || byName(a, b) },
  { key: 'errors', numeric: true, cell: (a) => String(a.errors), compare: (a, b) => b.errors - a.errors || byName(a, b) },
];

/** The HTML section, or '' when the result is not a portfolio. */
export function portfolioHtml(result: AssessmentResult, lang: Lang, baseDir?: string): string {
  const apis = result.apis ?? [];
  if (apis.length < 2) return '';
  const orders = [apis, ...COLUMNS.map((c) => [...apis].sort(c.compare))];
  const radios = orders.map((_, i) => `<input type="radio" name="pf-order" id="pf-order-${i}" class="pf-order"${i === 0 ? ' checked' : ''}>`).join('');
  const head = COLUMNS.map((c, i) => `<th${c.numeric ? ' class="num"' : ''}><label for="pf-order-${i + 1}" title="${escapeHtml(pick(TEXT.title!, lang))}">${escapeHtml(pick(TEXT[c.key]!, lang))} ⇅</label></th>`).join('');
  const bodies = orders
    .map((rows, i) => `<tbody class="pf-rows pf-rows-${i}">${rows.map((a) => `<tr>${COLUMNS.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.cell(a, baseDir))}</td>`).join('')}</tr>`).join('')}</tbody>`)
    .join('');
  const css =
    '.pf-order{position:absolute;opacity:0;pointer-events:none}.portfolio .pf-rows{display:none}' +
    orders.map((_, i) => `#pf-order-${i}:checked~table .pf-rows-${i}`).join(',') +
    '{display:table-row-group}.portfolio th label{cursor:pointer}.portfolio td.num,.portfolio th.num{text-align:right}' +
    '@media print{.portfolio .pf-rows{display:none!important}.portfolio .pf-rows-0{display:table-row-group!important}}';
  return (
    `<section class="portfolio" id="portfolio"><h3>${escapeHtml(pick(TEXT.title!, lang))} (${apis.length})</h3><p>${escapeHtml(pick(TEXT.intro!, lang))}</p>` +
    `<style>${css}</style>${radios}<table class="portfolio-table"><thead><tr>${head}</tr></thead>${bodies}</table></section>`
  );
}

/** The Markdown section lines (with a trailing blank line), or none when the result is not a portfolio. */
export function portfolioMarkdown(result: AssessmentResult, lang: Lang, baseDir?: string): string[] {
  const apis = result.apis ?? [];
  if (apis.length < 2) return [];
  const rows = [...apis].sort(COLUMNS.find((c) => c.key === 'score')!.compare);
  return [
    `### ${escapeMarkdown(pick(TEXT.title!, lang))} (${apis.length})`,
    '',
    escapeMarkdown(pick(TEXT.introMd!, lang)),
    '',
    `| ${COLUMNS.map((c) => escapeMarkdown(pick(TEXT[c.key]!, lang))).join(' | ')} |`,
    `|${COLUMNS.map((c) => (c.numeric ? '--:' : '---')).join('|')}|`,
    ...rows.map((a) => `| ${COLUMNS.map((c) => escapeMarkdown(c.cell(a, baseDir))).join(' | ')} |`),
    '',
  ];
}
