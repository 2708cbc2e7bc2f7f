/**
 * Masking probe (7.2.2): calls the configured read operations as the application party and scans the JSON
 * (or text) responses with the same detectors as the log scanner. Only detections of the four kinds the
 * clause names are reported — card number, ID number, name, mobile number — each with its JSON path and a
 * masked excerpt; values already masked the allowed way are counted, not reported.
 */
import { detectInText, detectInValue } from '../../detectors/index.js';
import type { ProbeHttpClient } from './http.js';
import { isFailure, operationName, operationUrl, type PrepareCall } from './http.js';
import type { ProbeOperation } from './config.js';

export const MASKING_DETECTORS = ['pan', 'id-card', 'mobile', 'person-name'] as const;

export interface MaskingProbeFacts {
  operation: string;
  /** Absent when the call got no HTTP answer (then `error` says why). */
  status?: number;
  error?: string;
  /** Unmasked values found: detector, JSON path ($.data.cardNo), masked excerpt. */
  unmasked: { detector: string; path: string; excerpt: string }[];
  /** How many values were seen already masked (masked-pan, masked-id-card, masked-mobile). */
  maskedValues: number;
}

export async function probeMasking(
  client: ProbeHttpClient,
  baseUrl: string,
  op: ProbeOperation,
  prepare: PrepareCall,
): Promise<MaskingProbeFacts | undefined> {
  const call = prepare(op, operationUrl(baseUrl, op));
  const ex = await client.trySend(call.url, {
    method: op.method,
    headers: call.headers,
    body: call.body,
    label: 'masking: read operation as the application party',
  });
  if (!ex) return undefined;
  if (isFailure(ex)) return { operation: operationName(op), error: ex.error, unmasked: [], maskedValues: 0 };
  return { operation: operationName(op), status: ex.status, ...scanResponse(ex.body, ex.headers['content-type'] ?? '') };
}

export function scanResponse(body: string, contentType: string): Pick<MaskingProbeFacts, 'unmasked' | 'maskedValues'> {
  let detections;
  let json = false;
  if (/json/i.test(contentType) || /^\s*[[{]/.test(body)) {
    try {
      detections = detectInValue(JSON.parse(body));
      json = true;
    } catch {
      detections = detectInText(body);
    }
  } else detections = detectInText(body);
  const wanted = new Set<string>(MASKING_DETECTORS);
  return {
    unmasked: detections
      .filter((d) => wanted.has(d.detector) && !d.masked)
      .map((d) => ({ detector: d.detector, path: json ? toJsonPath(d.field) : (d.field ?? 'body'), excerpt: d.excerpt })),
    maskedValues: detections.filter((d) => d.masked).length,
  };
}

function toJsonPath(field: string | undefined): string {
  if (!field) return '$';
  return `$${field.startsWith('[') ? '' : '.'}${field}`;
}
