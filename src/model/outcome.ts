import type { SecurityLevel, Role, SourceLocation, RelatedLocation } from './evidence.js';

/**
 * What one check says about one piece of evidence. Checks report a messageId plus data; the zh/en
 * wording lives in the check's `messages` block (ESLint style), never in logic.
 */
export type OutcomeStatus = 'pass' | 'fail' | 'warn' | 'n/a' | 'error';

export interface Outcome {
  status: OutcomeStatus;
  messageId: string;
  /** Values substituted into the message's `{{name}}` placeholders. Must already be masked. */
  data?: Record<string, string | number>;
  location?: SourceLocation;
  /** Every place this outcome concerns, when it groups several (the first is usually `location`). */
  locations?: RelatedLocation[];
  /** Short excerpt of the evidence, masked (card numbers keep first 6 / last 4 at most). */
  evidence?: string;
  /** Stable identity of the thing judged (e.g. `GET /accounts`), used for fingerprints; never a line number. */
  subject?: string;
}

export interface CheckContext {
  /** The profile's level: the level of any operation/route that does not declare its own. */
  level: SecurityLevel;
  /** undefined = both roles. */
  role?: Role;
}

export interface LocalizedText {
  zh: string;
  en: string;
}
