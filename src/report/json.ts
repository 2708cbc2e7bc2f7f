import type { AssessmentResult } from '../model/result.js';

/** The JSON contract (schemas/result.schema.json). Key order is the model's, so output is byte-stable. */
export function renderJson(result: AssessmentResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
