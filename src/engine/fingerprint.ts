import { createHash } from 'node:crypto';
import type { SourceLocation } from '../model/evidence.js';

/**
 * A finding's identity across runs: rule, check, message and where — file plus JSON pointer, subject or probe target,
 * never the line number, so a finding survives lines moving above it.
 */
export function fingerprint(parts: { ruleId: string; check?: string; messageId: string; location?: SourceLocation; subject?: string }): string {
  const loc = parts.location;
  const where = [loc?.file?.replace(/\\/g, '/') ?? '', loc?.pointer ?? '', loc?.target ?? '', parts.subject ?? ''].join('|');
  return createHash('sha256').update(`${parts.ruleId}|${parts.check ?? ''}|${parts.messageId}|${where}`).digest('hex').slice(0, 32);
}
