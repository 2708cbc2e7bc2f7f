/**
 * SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps): one rule per requirement,
 * one result per failed or warned finding that points somewhere, annotated on the OpenAPI, gateway or log line.
 * `partialFingerprints` come from the finding's fingerprint (rule id + location identity, never the line), so a
 * result keeps its identity when the lines around it move. Paths are relative to `%SRCROOT%` (the working
 * directory of the run, which code scanning maps to the checkout), absolute ones inside it too; every other place a
 * finding concerns is a `relatedLocation`; each rule's `helpUri` points at the rule's own anchor in docs/rulebook.md.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { SourceLocation } from '../model/evidence.js';
import type { AssessmentResult, Finding, RequirementResult } from '../model/result.js';
import { ruleAnchor, type Severity } from '../model/rulebook.js';
import { clauseTitle, formatPercent, label, pick } from './i18n.js';
import { findingsByRule, sortedRequirements, type RenderOptions } from './present.js';

/** The `id` of the official OASIS schema (errata 01), shipped as schemas/sarif-2.1.0.json. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Key of our partial fingerprint; bump the version if the way it is computed ever changes. */
export const FINGERPRINT_KEY = 'jrt0185/v1';

/** GitHub's scale: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

export interface SarifOptions extends RenderOptions {
  /** Directory artifact URIs are made relative to (the working directory of the run); absolute paths under it are relativised. */
  baseDir?: string;
  /** Absolute URI of the tool's home page, shown by code-scanning UIs; omitted when not given. */
  informationUri?: string;
  /** Absolute URI of docs/rulebook.md that rules' `helpUri` anchors are appended to (default: the package's copy). */
  rulebookDocUri?: string;
}

/** The URI base id relative artifact URIs resolve against (GitHub, Azure DevOps: the repository checkout). */
export const SRCROOT = '%SRCROOT%';

/** docs/rulebook.md as shipped in this version of the package: helpUri must be absolute, and versioned it stays true. */
export function defaultRulebookDocUri(version: string): string {
  return `https://unpkg.com/jrt0185@${encodeURIComponent(version)}/docs/rulebook.md`;
}

/** A file path as a SARIF uri-reference: forward slashes, each segment percent-encoded (spaces, CJK names). */
export function artifactUri(file: string, baseDir?: string): string {
  let path = file.replace(/\\/g, '/');
  let absolute = isAbsolute(file) || /^[A-Za-z]:\//.test(path);
  if (absolute && baseDir) {
    const rel = relative(baseDir, file);
    if (!rel.startsWith('..') && !isAbsolute(rel)) {
      path = rel.split(sep).join('/');
      absolute = false;
    }
  }
  const encoded = path
    .split('/')
    .map((segment, i) => (absolute && i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  return absolute ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}

/** Stable hash of the finding's fingerprint: what code-scanning services match results on across runs. */
export function partialFingerprint(finding: Finding): string {
  return createHash('sha256').update(finding.fingerprint).digest('hex').slice(0, 32);
}

function ruleDescriptor(requirement: RequirementResult, index: number, lang: RenderOptions['lang'], docUri: string) {
  const text = pick(requirement.text, lang);
  const remediation = pick(requirement.remediation, lang);
  const title = clauseTitle(requirement.clause, lang);
  const standardWords = lang === 'en' ? `${requirement.text.zh}\n\n${requirement.text.en}` : requirement.text.zh;
  const helpText = `JR/T 0185-2020 ${requirement.clause} ${title}\n\n${standardWords}\n\n${label('report.remediation', lang)}: ${remediation}`;
  const markdownQuote = standardWords
    .split('\n')
    .map((line) => `> ${markdownInline(line)}`)
    .join('\n');
  const helpMarkdown =
    `**JR/T 0185-2020 ${markdownInline(requirement.clause)} ${markdownInline(title)}** · ` +
    `${label(`obligation.${requirement.obligation}`, lang)} · ${label(`severity.${requirement.severity}`, lang)}\n\n` +
    `${markdownQuote}\n\n**${label('report.remediation', lang)}:** ${markdownInline(remediation)}`;
  return {
    id: requirement.ruleId,
    name: toPascalCase(requirement.ruleId),
    shortDescription: { text: `${requirement.clause} ${text}` },
    fullDescription: { text: `JR/T 0185-2020 ${requirement.clause} ${title}: ${text}` },
    helpUri: `${docUri}#${ruleAnchor(requirement.ruleId)}`,
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: LEVEL[requirement.severity], rank: Number(SECURITY_SEVERITY[requirement.severity]) * 10 },
    properties: {
      clause: requirement.clause,
      obligation: requirement.obligation,
      subject: requirement.subject,
      levels: requirement.levels,
      weight: requirement.weight,
      tags: ['security', 'JR/T 0185-2020', `clause-${requirement.clause}`, ...(requirement.tags ?? [])],
      'security-severity': SECURITY_SEVERITY[requirement.severity],
      precision: 'high',
    },
    _index: index,
  };
}

/** Text headed for SARIF markdown: escapes what GitHub would otherwise interpret (links, HTML, emphasis). */
function markdownInline(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#|!]/g, (c) => `\\${c}`);
}

function toPascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function physicalLocation(location: SourceLocation, baseDir: string | undefined) {
  const region: Record<string, number> = {};
  if (location.line !== undefined && location.line >= 1) {
    region.startLine = location.line;
    if (location.column !== undefined && location.column >= 1) region.startColumn = location.column;
  }
  return {
    artifactLocation: artifactLocation(location.file, baseDir),
    ...(Object.keys(region).length ? { region } : {}),
  };
}

/** A relative URI resolves against %SRCROOT%; an absolute one (outside the working tree, a URL) stands alone. */
function artifactLocation(file: string, baseDir: string | undefined): { uri: string; uriBaseId?: string } {
  const uri = artifactUri(file, baseDir);
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) ? { uri } : { uri, uriBaseId: SRCROOT };
}

/** Every place the finding concerns, beside the primary one: SARIF relatedLocations, each with its excerpt. */
function relatedLocations(finding: Finding, baseDir: string | undefined) {
  const out = [];
  for (const [i, loc] of (finding.locations ?? []).entries()) {
    const text = [loc.subject, loc.excerpt].filter((x) => x !== undefined && x !== '').join(': ');
    if (loc.target !== undefined && loc.line === undefined) {
      out.push({
        id: i,
        ...(loc.file ? { physicalLocation: { artifactLocation: artifactLocation(loc.file, baseDir) } } : {}),
        logicalLocations: [{ name: loc.target, fullyQualifiedName: loc.target, kind: 'resource' }],
        ...(text ? { message: { text } } : {}),
      });
      continue;
    }
    if (!loc.file) continue;
    out.push({
      id: i,
      physicalLocation: physicalLocation(loc, baseDir),
      ...(loc.pointer !== undefined ? { logicalLocations: [{ fullyQualifiedName: loc.pointer, kind: 'object' }] } : {}),
      ...(text ? { message: { text } } : {}),
    });
  }
  return out;
}

function sarifLocations(location: SourceLocation | undefined, baseDir: string | undefined) {
  if (!location) return undefined;
  // Probe findings point at a host, not a line: a logical location names it, the probe config is the artifact.
  if (location.target !== undefined && location.line === undefined) {
    return [
      {
        ...(location.file ? { physicalLocation: { artifactLocation: artifactLocation(location.file, baseDir) } } : {}),
        logicalLocations: [{ name: location.target, fullyQualifiedName: location.target, kind: 'resource' }],
      },
    ];
  }
  const physical = physicalLocation(location, baseDir);
  return [
    {
      physicalLocation: physical,
      ...(location.pointer !== undefined ? { logicalLocations: [{ fullyQualifiedName: location.pointer, kind: 'object' }] } : {}),
    },
  ];
}

/** Renders the result as a SARIF 2.1.0 log (pretty-printed JSON, stable key order). */
export function renderSarif(result: AssessmentResult, opts: SarifOptions): string {
  const lang = opts.lang;
  const requirements = sortedRequirements(result);
  const byRule = new Map(requirements.map((r) => [r.ruleId, r]));
  const docUri = opts.rulebookDocUri ?? defaultRulebookDocUri(result.tool.version);
  const rules = requirements.map((r, i) => ruleDescriptor(r, i, lang, docUri));
  const ruleIndex = new Map(rules.map((r) => [r.id, r._index]));
  const findings = findingsByRule(result);

  const results = [];
  for (const requirement of requirements) {
    for (const finding of findings.get(requirement.ruleId) ?? []) {
      if (finding.status !== 'fail' && finding.status !== 'warn') continue;
      const locations = sarifLocations(finding.location, opts.baseDir);
      if (!locations) continue;
      const related = relatedLocations(finding, opts.baseDir);
      // A waiver on the finding (matched by file, pointer or host) or one that waived the whole requirement.
      const waiver = finding.waiver ?? (requirement.status === 'waived' ? requirement.waiver : undefined);
      const messageText =
        pick(finding.message, lang) + (finding.evidence !== undefined ? `\n${label('report.evidence', lang)}: ${finding.evidence}` : '');
      results.push({
        ruleId: requirement.ruleId,
        ruleIndex: ruleIndex.get(requirement.ruleId),
        level: finding.status === 'warn' ? 'warning' : LEVEL[finding.severity],
        kind: 'fail',
        message: { text: messageText },
        locations,
        ...(related.length ? { relatedLocations: related } : {}),
        partialFingerprints: { [FINGERPRINT_KEY]: partialFingerprint(finding) },
        // Only a run with --baseline knows which findings are new.
        ...(finding.new !== undefined ? { baselineState: finding.new ? 'new' : 'unchanged' } : {}),
        ...(waiver
          ? {
              suppressions: [
                {
                  kind: 'external',
                  status: 'accepted',
                  justification: `${waiver.reason} (${label('report.owner', lang)}: ${waiver.owner}; ${label('report.expires', lang)}: ${waiver.expires})`,
                  ...(waiver.location ? { location: { physicalLocation: physicalLocation(waiver.location, opts.baseDir) } } : {}),
                },
              ],
            }
          : {}),
        properties: {
          clause: finding.clause,
          findingStatus: finding.status,
          requirementStatus: requirement.status,
          ...(finding.check ? { check: finding.check } : {}),
          messageId: finding.messageId,
        },
      });
    }
  }
  // A finding whose requirement is missing from the result would be a model bug; keep it visible rather than drop it.
  for (const finding of result.findings) {
    if (byRule.has(finding.ruleId)) continue;
    if (finding.status !== 'fail' && finding.status !== 'warn') continue;
    const locations = sarifLocations(finding.location, opts.baseDir);
    if (!locations) continue;
    results.push({
      ruleId: finding.ruleId,
      level: LEVEL[finding.severity],
      message: { text: pick(finding.message, lang) },
      locations,
      partialFingerprints: { [FINGERPRINT_KEY]: partialFingerprint(finding) },
    });
  }

  const notifications = result.warnings.map((w) => ({ level: 'warning', message: { text: pick(w, lang) } }));
  const run = {
    // The category code scanning keeps results apart by (one per profile), and this run's instance in it.
    automationDetails: { id: `jrt0185/${result.profile.level}-${result.profile.role}/${result.generatedAt}` },
    tool: {
      driver: {
        name: result.tool.name,
        version: result.tool.version,
        semanticVersion: /^\d+\.\d+\.\d+/.test(result.tool.version) ? result.tool.version : undefined,
        ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
        rules: rules.map(({ _index, ...rule }) => rule),
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        endTimeUtc: result.generatedAt,
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: 'The working directory of the run (in CI, the repository checkout).' } },
    },
    artifacts: result.inputs.map((input) => ({
      location: artifactLocation(input.file, opts.baseDir),
      hashes: { 'sha-256': input.sha256.replace(/^sha256:/, '') },
      roles: ['analysisTarget'],
      ...(input.format ? { description: { text: input.format } } : {}),
    })),
    results,
    columnKind: 'unicodeCodePoints',
    properties: {
      standard: result.standard.id,
      profile: result.profile,
      score: result.score,
      coverage: result.coverage,
      gate: { passed: result.gate.passed, reasons: result.gate.reasons.map((r) => pick(r, lang)) },
      rulebookDigest: result.rulebook.digest,
      summary: `${label('report.score', lang)} ${formatPercent(result.score)} · ${label('report.coverage', lang)} ${formatPercent(
        result.coverage.total,
      )}% · ${label('report.gate', lang)} ${label(result.gate.passed ? 'report.gate.passed' : 'report.gate.failed', lang)}`,
      statuses: Object.fromEntries(requirements.map((r) => [r.ruleId, r.status])),
    },
  };
  return `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
