import type { Rule } from '../model/rulebook.js';
import type { Role, SecurityLevel } from '../model/evidence.js';

export interface Profile {
  level: SecurityLevel;
  /** undefined: both the bank's and the application party's sentences. */
  role?: Role;
}

/**
 * Which sentences bind this profile. Levels are cumulative: an A2 assessment covers a bank (or app) that offers A2
 * interfaces, and such a party offers A1 interfaces too, so A1 sentences apply as well; an A1 assessment drops the
 * A2-only sentences. Role `bank` keeps sentences that bind the bank (bank, both), `app` those that bind the
 * application party.
 */
export function appliesTo(rule: Rule, profile: Profile): boolean {
  const levelOk = profile.level === 'A2' ? true : rule.levels.includes('A1');
  const roleOk = profile.role === undefined || rule.subject === 'both' || rule.subject === profile.role;
  return levelOk && roleOk;
}
