/**
 * Checks of the `uapi` family: the uniform interface identifier U_API_ID (12.1, Annex B) that every operation
 * carries as `x-u-api-id`. Parsing lives in src/uapi/parse.ts (shared with the `uapi-id` command).
 */
import type { AnyCheck } from './registry.js';
import { defineCheck, NO_PARAMS } from './registry.js';
import type { OperationEvidence, SourceLocation } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import { parseUApiId, type UApiIdError } from '../uapi/parse.js';
import { UAPI_FORMAT_MESSAGES, type UApiFormatMessageId } from '../uapi/messages.js';
import { operationName } from './openapi/walk.js';

const EVIDENCE: ['openapi'] = ['openapi'];

/** Where the id is written: the operation's `x-u-api-id` member (the locator falls back to the operation). */
function idLocation(op: OperationEvidence): SourceLocation {
  return op.location.pointer !== undefined ? { ...op.location, pointer: `${op.location.pointer}/x-u-api-id` } : op.location;
}

function declaredId(op: OperationEvidence): string | undefined {
  return typeof op.uApiId === 'string' && op.uApiId !== '' ? op.uApiId : undefined;
}

const declared = defineCheck<Record<string, never>>({
  name: 'uapi.declared',
  evidence: EVIDENCE,
  description: 'Every operation carries a U_API_ID in x-u-api-id (12.1).',
  params: NO_PARAMS,
  messages: {
    declared: { zh: '{{operation}} 声明了接口统一识别码 {{uApiId}}', en: '{{operation}} declares U_API_ID {{uApiId}}' },
    missing: {
      zh: '{{operation}} 未声明接口统一识别码（x-u-api-id），无法按统一识别码登记和审计（12.1）',
      en: '{{operation}} declares no U_API_ID (x-u-api-id), so it cannot be registered and audited by its identifier (12.1)',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        const operation = operationName(op);
        const uApiId = declaredId(op);
        if (uApiId) outcomes.push({ status: 'pass', messageId: 'declared', subject: operation, location: idLocation(op), data: { operation, uApiId } });
        else outcomes.push({ status: 'fail', messageId: 'missing', subject: operation, location: op.location, data: { operation } });
      }
    }
    return outcomes;
  },
});

const formatMessages: Record<string, { zh: string; en: string }> = {
  wellFormed: { zh: '{{operation}} 的接口统一识别码 {{uApiId}} 符合附录 B{{partZh}}', en: 'U_API_ID {{uApiId}} of {{operation}} conforms to Annex B{{partEn}}' },
  notParsed: {
    zh: '{{operation}} 的接口统一识别码 {{uApiId}} 长度不符，无法判断{{partZh}}',
    en: 'U_API_ID {{uApiId}} of {{operation}} has the wrong length, so{{partEn}} cannot be judged',
  },
};
for (const [id, text] of Object.entries(UAPI_FORMAT_MESSAGES)) {
  formatMessages[id] = { zh: `{{operation}} 的 {{uApiId}}：${text.zh}`, en: `{{uApiId}} of {{operation}}: ${text.en}` };
}

/**
 * What one Annex B rule judges, so each requirement sentence can be its own rule with its own obligation:
 * B.3.4 says the type is 2 characters (`type`) and what its values mean (`typeValue`: 00 reserved, 01 A1, 02 A2);
 * B.3.5 (six digits) and table B.2 (first level 00 and second level 0000 reserved) are separate sentences, and B.3.6
 * splits into the 6-character length (shall) and the preferred 000001–999999 numbering (should).
 */
type FormatPart = 'length' | 'fixed' | 'institution' | 'type' | 'typeValue' | 'category' | 'categoryLevels' | 'sequence' | 'sequenceNumbering' | 'reserved';
const FORMAT_PARTS: readonly FormatPart[] = ['length', 'fixed', 'institution', 'type', 'typeValue', 'category', 'categoryLevels', 'sequence', 'sequenceNumbering', 'reserved'];

/**
 * The part each parser problem belongs to. `type` and `sequence` have none of their own: a 24-character id always has
 * a 2-character type and a 6-character sequence.
 */
const PART_OF: Record<UApiFormatMessageId, FormatPart> = {
  notAscii: 'length',
  wrongLength: 'length',
  fixedNotOP: 'fixed',
  institutionInvalid: 'institution',
  typeReserved: 'typeValue',
  typeInvalid: 'typeValue',
  categoryNotDigits: 'category',
  primaryReserved: 'categoryLevels',
  secondaryReserved: 'categoryLevels',
  sequenceNotDigits: 'sequenceNumbering',
  sequenceZero: 'sequenceNumbering',
  reservedNotDefault: 'reserved',
};

const PART_TEXT: Record<FormatPart, { zh: string; en: string }> = {
  length: { zh: '长度与字符集（B.2）', en: 'length and character set (B.2)' },
  fixed: { zh: '固定位（B.3.2）', en: 'fixed part (B.3.2)' },
  institution: { zh: '机构代码（B.3.3）', en: 'institution code (B.3.3)' },
  type: { zh: '接口类型编码长度（B.3.4）', en: 'interface type length (B.3.4)' },
  typeValue: { zh: '接口类型编码取值（B.3.4）', en: 'interface type value (B.3.4)' },
  category: { zh: '服务类别编码（B.3.5）', en: 'service category (B.3.5)' },
  categoryLevels: { zh: '服务类别一级、二级标识（表 B.2）', en: 'service category levels (table B.2)' },
  sequence: { zh: '顺序码长度（B.3.6）', en: 'sequence number length (B.3.6)' },
  sequenceNumbering: { zh: '顺序码编号（B.3.6）', en: 'sequence numbering (B.3.6)' },
  reserved: { zh: '保留位（B.3.7）', en: 'reserved part (B.3.7)' },
};

/** The problems a rule judges: those of its part, or with no part every format error (a preference is not one). */
function problemsFor(errors: readonly UApiIdError[], part: FormatPart | undefined): UApiIdError[] {
  return part ? errors.filter((e) => PART_OF[e.messageId as UApiFormatMessageId] === part) : errors.filter((e) => e.obligation === 'shall');
}

const format = defineCheck<{ part?: FormatPart }>({
  name: 'uapi.format',
  evidence: EVIDENCE,
  description:
    'Each declared U_API_ID follows Annex B: 24 ASCII characters = OP + 6-character institution code + type 01/02 + 6-digit service category (first level not 00, second level not 0000) + 6-character sequence + 00. With `part`, only that part is judged, so each Annex B sentence can be its own rule; `sequenceNumbering` judges the preferred 000001–999999 numbering (a should), which the whole-format judgement leaves out.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { part: { enum: [...FORMAT_PARTS] } },
  },
  messages: formatMessages,
  run(bundle, params) {
    const outcomes: Outcome[] = [];
    const part = params.part;
    const partText = part ? { partZh: `的${PART_TEXT[part].zh}`, partEn: ` in its ${PART_TEXT[part].en}` } : { partZh: '', partEn: '' };
    const partTextNotParsed = part ? { partZh: PART_TEXT[part].zh, partEn: ` its ${PART_TEXT[part].en}` } : partText;
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        const uApiId = declaredId(op);
        if (!uApiId) continue;
        const operation = operationName(op);
        const base = { subject: operation, location: idLocation(op) };
        const parsed = parseUApiId(uApiId);
        const errors = problemsFor(parsed.errors, part);
        if (errors.length > 0) {
          for (const e of errors) outcomes.push({ status: 'fail', messageId: e.messageId, ...base, data: { operation, uApiId, part: e.part, ...e.data } });
        } else if (part && part !== 'length' && parsed.errors.some((e) => e.part === 'length')) {
          outcomes.push({ status: 'n/a', messageId: 'notParsed', ...base, data: { operation, uApiId, ...partTextNotParsed } });
        } else {
          outcomes.push({ status: 'pass', messageId: 'wellFormed', ...base, data: { operation, uApiId, ...partText } });
        }
      }
    }
    return outcomes;
  },
});

const unique = defineCheck<Record<string, never>>({
  name: 'uapi.unique',
  evidence: EVIDENCE,
  description: 'No two operations share a U_API_ID, across all the specifications assessed together (B.3.6).',
  params: NO_PARAMS,
  messages: {
    unique: { zh: '{{operation}} 的接口统一识别码 {{uApiId}} 唯一', en: 'U_API_ID {{uApiId}} of {{operation}} is unique' },
    duplicate: {
      zh: '{{operation}} 的接口统一识别码 {{uApiId}} 与 {{firstOperation}}（{{firstFile}}）重复，同一识别码应只标识一个接口（B.3.6）',
      en: 'U_API_ID {{uApiId}} of {{operation}} is already used by {{firstOperation}} ({{firstFile}}); an identifier must name one interface (B.3.6)',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    const first = new Map<string, { op: OperationEvidence; file: string }>();
    const seenOperations = new Set<string>();
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        const uApiId = declaredId(op);
        if (!uApiId) continue;
        // The same operation reached twice (one file given twice) is not a second interface.
        const opKey = `${op.location.file}#${op.location.pointer ?? ''}#${op.method} ${op.path}`;
        if (seenOperations.has(opKey)) continue;
        seenOperations.add(opKey);
        const operation = operationName(op);
        const earlier = first.get(uApiId);
        if (earlier) {
          outcomes.push({
            status: 'fail',
            messageId: 'duplicate',
            subject: operation,
            location: idLocation(op),
            data: {
              operation,
              uApiId,
              firstOperation: operationName(earlier.op),
              firstFile: earlier.file,
              firstPointer: idLocation(earlier.op).pointer ?? '',
            },
          });
        } else {
          first.set(uApiId, { op, file: doc.file });
          outcomes.push({ status: 'pass', messageId: 'unique', subject: operation, location: idLocation(op), data: { operation, uApiId } });
        }
      }
    }
    return outcomes;
  },
});

const levelMatches = defineCheck<Record<string, never>>({
  name: 'uapi.levelMatches',
  evidence: EVIDENCE,
  description: "The U_API_ID's interface type (01 = A1, 02 = A2) agrees with the operation's x-security-level (B.3.4).",
  params: NO_PARAMS,
  messages: {
    levelMatches: {
      zh: '{{operation}} 的接口类型编码 {{type}} 与声明的安全级别 {{declaredLevel}} 一致',
      en: 'interface type {{type}} of {{operation}} agrees with its declared level {{declaredLevel}}',
    },
    levelMismatch: {
      zh: '{{operation}} 的接口统一识别码 {{uApiId}} 类型编码为 {{type}}（{{typeLevel}}），但声明的安全级别为 {{declaredLevel}}（B.3.4）',
      en: 'U_API_ID {{uApiId}} of {{operation}} has type {{type}} ({{typeLevel}}) but the operation declares {{declaredLevel}} (B.3.4)',
    },
    levelUndeclared: {
      zh: '{{operation}} 未声明安全级别（x-security-level），无法比对接口类型编码',
      en: '{{operation}} declares no security level (x-security-level), so its interface type cannot be compared',
    },
    typeUnreadable: {
      zh: '{{operation}} 的接口统一识别码 {{uApiId}} 类型编码无效，见格式检查',
      en: 'U_API_ID {{uApiId}} of {{operation}} has no valid interface type; see the format check',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        const uApiId = declaredId(op);
        if (!uApiId) continue;
        const operation = operationName(op);
        const base = { subject: operation, location: idLocation(op) };
        const parsed = parseUApiId(uApiId);
        const typeLevel = parsed.errors.some((e) => e.part === 'length') ? undefined : parsed.fields.level;
        if (!typeLevel) outcomes.push({ status: 'n/a', messageId: 'typeUnreadable', ...base, data: { operation, uApiId } });
        else if (!op.declaredLevel) outcomes.push({ status: 'n/a', messageId: 'levelUndeclared', ...base, data: { operation, uApiId } });
        else {
          const data = { operation, uApiId, type: parsed.fields.type, typeLevel, declaredLevel: op.declaredLevel };
          outcomes.push(typeLevel === op.declaredLevel
            ? { status: 'pass', messageId: 'levelMatches', ...base, data }
            : { status: 'fail', messageId: 'levelMismatch', ...base, data });
        }
      }
    }
    return outcomes;
  },
});

/** Checks of the `uapi` family (see DESIGN.md "Checks and messages"). */
export const uapiChecks: AnyCheck[] = [declared, format, unique, levelMatches];
