/**
 * One OpenAPI description assessed on its own: read, checked against the rulebook, summarised as one row of the
 * portfolio table, and recorded for the combined result (see replay.ts). Its parse tree and evidence live only
 * for the length of this call: what leaves is the record (outcomes, positions, problems) and the summary.
 */
import type { EvidenceBundle, Locator, OpenApiDocumentEvidence, Role, SecurityLevel } from '../model/evidence.js';
import type { ApiResult, AttestationRecord, Finding, InputRecord, RequirementResult } from '../model/result.js';
import type { LocalizedText } from '../model/outcome.js';
import type { Rule } from '../model/rulebook.js';
import { collectOpenApi } from '../collectors/openapi/index.js';
import { openApiWarnings } from '../collect.js';
import { defaultRegistry } from '../checks/index.js';
import { evaluate, type Waiver } from '../engine/evaluate.js';
import { coverageOf, scoreOf } from '../scoring/score.js';
import { itemsOf, positionsOf, recordingRegistry, type PartRecord } from './replay.js';

export interface DocumentJob {
  file: string;
  /** Position among the run's OpenAPI descriptions. */
  order: number;
  allowRemoteRefs?: boolean;
  rules: Rule[];
  level: SecurityLevel;
  role?: Role;
  attestations?: Map<string, AttestationRecord>;
  waivers?: Waiver[];
}

export interface DocumentPart {
  record: PartRecord;
  inputs: InputRecord[];
  api: ApiResult;
}

export async function assessDocument(job: DocumentJob): Promise<DocumentPart> {
  const { evidence, locators } = await collectOpenApi(job.file, { allowRemoteRefs: job.allowRemoteRefs });
  const inputs: InputRecord[] = Object.entries(evidence.digests).map(([f, sha256]) => ({ kind: 'openapi', file: f, sha256, format: f === job.file ? `openapi ${evidence.version}` : 'openapi $ref' }));
  return { ...evaluateDocument(evidence, locators, job, openApiWarnings([evidence])), inputs };
}

/** Checks one description alone: its part record and its row of the portfolio table. */
export function evaluateDocument(
  evidence: OpenApiDocumentEvidence,
  locators: Locator[],
  job: Omit<DocumentJob, 'file' | 'allowRemoteRefs'>,
  warnings: LocalizedText[],
): Omit<DocumentPart, 'inputs'> {
  const bundle: EvidenceBundle = { openapi: [evidence], gateway: [], logs: [], probe: [] };
  const { registry, runs } = recordingRegistry(defaultRegistry);
  const out = evaluate({
    rules: job.rules,
    bundle,
    locators,
    profile: { level: job.level, role: job.role },
    registry,
    attestations: job.attestations,
    waivers: job.waivers,
  });
  const items = itemsOf(bundle);
  return {
    record: { order: job.order, runs, items, positions: positionsOf(out.findings, items, locators), warnings },
    api: apiSummary(evidence, out.requirements, out.findings),
  };
}

/** A description's row: what the assessment of it alone gives. */
export function apiSummary(doc: OpenApiDocumentEvidence, requirements: RequirementResult[], findings: Finding[]): ApiResult {
  return {
    file: doc.file,
    ...(doc.title !== undefined ? { title: doc.title } : {}),
    ...(doc.apiVersion !== undefined ? { apiVersion: doc.apiVersion } : {}),
    format: `openapi ${doc.version}`,
    operations: doc.operations.length,
    score: scoreOf(requirements),
    coverage: coverageOf(requirements).total,
    failed: requirements.filter((r) => r.status === 'fail').length,
    failures: findings.filter((f) => f.status === 'fail' && !f.waiver).length,
    errors: requirements.filter((r) => r.status === 'error').length,
  };
}
