/** Test support for the renderers: the hand-written sample result and a copy of it with hostile text planted. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AssessmentResult } from '../model/result.js';
import { createAjv } from '../ajv.js';

export const SAMPLE_PATH = fileURLToPath(new URL('./__fixtures__/sample-result.json', import.meta.url));

export function loadSample(): AssessmentResult {
  return JSON.parse(readFileSync(SAMPLE_PATH, 'utf8')) as AssessmentResult;
}

/**
 * Text an attacker controls (an OpenAPI summary, a gateway route name, a log line) shaped to break out of
 * every output format at once: HTML tags and attributes, Markdown links and table cells, XML, CSV formulas.
 */
export const INJECTION = `=HYPERLINK("http://evil.example")<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>|\`[x](javascript:alert(4))&amp;`;

/** The sample with INJECTION planted in every free-text field a renderer prints. */
export function withInjectedText(sample: AssessmentResult): AssessmentResult {
  const result = structuredClone(sample);
  result.subjectName = INJECTION;
  result.warnings.push({ zh: INJECTION, en: INJECTION });
  result.gate.reasons.push({ zh: INJECTION, en: INJECTION });
  result.inputs[0]!.format = INJECTION;
  for (const clause of result.clauses) clause.title = { zh: `${clause.title.zh}${INJECTION}`, en: `${clause.title.en}${INJECTION}` };
  for (const requirement of result.requirements) {
    requirement.text = { zh: `${requirement.text.zh}${INJECTION}`, en: `${requirement.text.en}${INJECTION}` };
    requirement.remediation = { zh: INJECTION, en: INJECTION };
    if (requirement.attestation) {
      requirement.attestation.assessor = INJECTION;
      requirement.attestation.evidence = INJECTION;
      requirement.attestation.note = INJECTION;
    }
    if (requirement.waiver) {
      requirement.waiver.reason = INJECTION;
      requirement.waiver.owner = INJECTION;
    }
  }
  for (const finding of result.findings) {
    finding.message = { zh: `${finding.message.zh}${INJECTION}`, en: `${finding.message.en}${INJECTION}` };
    if (finding.evidence !== undefined) finding.evidence = `${finding.evidence}${INJECTION}`;
  }
  return result;
}

/**
 * A validator for the official SARIF 2.1.0 schema. The OASIS schema is draft-04 (`id`, not `$id`); ajv 8 reads
 * draft-07, and for this schema the two drafts differ only in the identifier keyword (no boolean
 * exclusiveMinimum is used), so renaming it is exact.
 */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/sarif-2.1.0.json', import.meta.url)), 'utf8'));
  const { $schema: _draft, id, ...rest } = schema;
  return createAjv().compile({ $id: id, ...rest });
}
