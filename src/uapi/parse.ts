/**
 * U_API_ID (商业银行应用程序接口统一识别码) per JR/T 0185-2020 Annex B:
 *
 *   OP  C10102  02  010001  000001  00
 *   │   │       │   │       │       └ reserved, default 00            (B.3.7)
 *   │   │       │   │       └ sequence 000001–999999                  (B.3.6)
 *   │   │       │   └ service category: first level 01–99 + second level 0001–9999 (B.3.5)
 *   │   │       └ interface type: 01 = A1, 02 = A2, 00 reserved       (B.3.4)
 *   │   └ first 6 characters of the JR/T 0124 financial institution code (B.3.3)
 *   └ fixed "OP"                                                      (B.3.2)
 *
 * 24 ASCII characters in all (B.2). Pure: no I/O; used by the `uapi.*` checks and the `uapi-id` command.
 */
import type { LocalizedText } from '../model/outcome.js';
import type { SecurityLevel } from '../model/evidence.js';
import { formatMessage } from '../checks/registry.js';
import { PRIMARY_CATEGORY_NAMES, UAPI_FORMAT_MESSAGES, type UApiFormatMessageId } from './messages.js';

export type UApiPart = 'length' | 'fixed' | 'institution' | 'type' | 'category' | 'sequence' | 'reserved';
export const UAPI_PARTS: readonly UApiPart[] = ['length', 'fixed', 'institution', 'type', 'category', 'sequence', 'reserved'];

export const UAPI_ID_LENGTH = 24;

export interface UApiIdError {
  part: UApiPart;
  /**
   * `should` for a departure from a preference of Annex B (B.3.6 "优先使用从000001-999999的顺序连续编码": a sequence
   * that is not 000001–999999 is still 6 characters, so still a well-formed id), `shall` for everything else.
   */
  obligation: 'shall' | 'should';
  messageId: UApiFormatMessageId;
  /** Values for the message placeholders (already safe to show: a U_API_ID is not personal data). */
  data: Record<string, string | number>;
  zh: string;
  en: string;
}

export interface UApiIdFields {
  fixed: string;
  institution: string;
  type: string;
  /** Security level the type encodes (01 → A1, 02 → A2); absent for 00 or anything else. */
  level?: SecurityLevel;
  category: { primary: string; primaryName?: LocalizedText; secondary: string };
  sequence: string;
  reserved: string;
}

export interface ParsedUApiId {
  id: string;
  /** No `shall` error: the id is well formed (it may still depart from a preference, see `errors[].obligation`). */
  valid: boolean;
  fields: UApiIdFields;
  errors: UApiIdError[];
}

/** Problems that depart only from a preference of Annex B (B.3.6 numbering), not from its format. */
const PREFERENCES: ReadonlySet<UApiFormatMessageId> = new Set<UApiFormatMessageId>(['sequenceNotDigits', 'sequenceZero']);

function error(part: UApiPart, messageId: UApiFormatMessageId, data: Record<string, string | number> = {}): UApiIdError {
  const text = UAPI_FORMAT_MESSAGES[messageId];
  return { part, obligation: PREFERENCES.has(messageId) ? 'should' : 'shall', messageId, data, zh: formatMessage(text.zh, data), en: formatMessage(text.en, data) };
}

export function parseUApiId(id: string): ParsedUApiId {
  const fields: UApiIdFields = {
    fixed: id.slice(0, 2),
    institution: id.slice(2, 8),
    type: id.slice(8, 10),
    category: { primary: id.slice(10, 12), secondary: id.slice(12, 16) },
    sequence: id.slice(16, 22),
    reserved: id.slice(22, 24),
  };
  if (fields.type === '01') fields.level = 'A1';
  if (fields.type === '02') fields.level = 'A2';
  const primaryName = PRIMARY_CATEGORY_NAMES[fields.category.primary];
  if (primaryName) fields.category.primaryName = primaryName;

  const errors: UApiIdError[] = [];
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(id)) errors.push(error('length', 'notAscii'));
  if (id.length !== UAPI_ID_LENGTH) errors.push(error('length', 'wrongLength', { length: [...id].length }));
  // With the wrong length every later field is shifted: reporting them would only repeat the length problem.
  if (errors.length > 0) return { id, valid: false, fields, errors };

  if (fields.fixed !== 'OP') errors.push(error('fixed', 'fixedNotOP', { value: fields.fixed }));
  if (!/^[0-9A-Z]{6}$/.test(fields.institution)) {
    errors.push(error('institution', 'institutionInvalid', { value: fields.institution }));
  }
  if (fields.type === '00') errors.push(error('type', 'typeReserved'));
  else if (!fields.level) errors.push(error('type', 'typeInvalid', { value: fields.type }));
  const category = fields.category.primary + fields.category.secondary;
  if (!/^\d{6}$/.test(category)) errors.push(error('category', 'categoryNotDigits', { value: category }));
  else {
    if (fields.category.primary === '00') errors.push(error('category', 'primaryReserved'));
    if (fields.category.secondary === '0000') errors.push(error('category', 'secondaryReserved'));
  }
  if (!/^\d{6}$/.test(fields.sequence)) errors.push(error('sequence', 'sequenceNotDigits', { value: fields.sequence }));
  else if (fields.sequence === '000000') errors.push(error('sequence', 'sequenceZero'));
  if (fields.reserved !== '00') errors.push(error('reserved', 'reservedNotDefault', { value: fields.reserved }));

  return { id, valid: errors.every((e) => e.obligation === 'should'), fields, errors };
}
