import type { LocalizedText } from '../model/outcome.js';

/**
 * Wording of every U_API_ID format problem (JR/T 0185-2020 Annex B). Shared by the parser (which fills
 * the text for the `uapi-id` command) and the `uapi.format` check (which reports messageId + data).
 * Placeholders: {{value}} the offending characters, {{length}} the id's length.
 */
export const UAPI_FORMAT_MESSAGES = {
  notAscii: {
    zh: '接口统一识别码应为 ASCII 字符（B.2），含非 ASCII 字符',
    en: 'the U_API_ID must be ASCII characters (B.2); it contains non-ASCII characters',
  },
  wrongLength: {
    zh: '接口统一识别码应为 24 个字符（B.2），实际为 {{length}} 个',
    en: 'the U_API_ID must be 24 characters long (B.2); it has {{length}}',
  },
  fixedNotOP: {
    zh: '固定位应为字母“OP”（B.3.2），实际为“{{value}}”',
    en: 'the fixed part must be the letters "OP" (B.3.2); found "{{value}}"',
  },
  institutionInvalid: {
    zh: '机构代码应为 JR/T 0124 金融机构编码的前 6 位（大写字母或数字，B.3.3），实际为“{{value}}”',
    en: 'the institution code must be the first 6 characters of the JR/T 0124 financial institution code (upper-case letters or digits, B.3.3); found "{{value}}"',
  },
  typeReserved: {
    zh: '接口类型编码 00 为保留值（B.3.4），应为 01（A1）或 02（A2）',
    en: 'interface type 00 is reserved (B.3.4); use 01 (A1) or 02 (A2)',
  },
  typeInvalid: {
    zh: '接口类型编码应为 01（A1）或 02（A2）（B.3.4），实际为“{{value}}”',
    en: 'the interface type must be 01 (A1) or 02 (A2) (B.3.4); found "{{value}}"',
  },
  categoryNotDigits: {
    zh: '服务类别编码应为 6 个数字字符（B.3.5），实际为“{{value}}”',
    en: 'the service category must be 6 digits (B.3.5); found "{{value}}"',
  },
  primaryReserved: {
    zh: '服务类别一级标识 00 为保留值（B.3.5），应为 01 至 99',
    en: 'first-level service category 00 is reserved (B.3.5); use 01 to 99',
  },
  secondaryReserved: {
    zh: '服务类别二级标识 0000 为保留位（B.3.5），应为 0001 至 9999',
    en: 'second-level service category 0000 is reserved (B.3.5); use 0001 to 9999',
  },
  sequenceNotDigits: {
    zh: '顺序码宜优先使用 000001 至 999999 的顺序连续编码（B.3.6），实际为“{{value}}”',
    en: 'the sequence number should preferably be numbered 000001 to 999999 in order (B.3.6); found "{{value}}"',
  },
  sequenceZero: {
    zh: '顺序码宜优先使用 000001 至 999999 的顺序连续编码（B.3.6），000000 不在其中',
    en: 'the sequence number should preferably be numbered 000001 to 999999 in order (B.3.6); 000000 is outside that range',
  },
  reservedNotDefault: {
    zh: '保留位应为默认值 00（B.3.7），实际为“{{value}}”',
    en: 'the reserved part must keep its default value 00 (B.3.7); found "{{value}}"',
  },
} satisfies Record<string, LocalizedText>;

export type UApiFormatMessageId = keyof typeof UAPI_FORMAT_MESSAGES;

/** First-level service categories of B.3.5; 09–99 are numbered by each bank and have no standard name. */
export const PRIMARY_CATEGORY_NAMES: Record<string, LocalizedText> = {
  '01': { zh: '账户服务', en: 'account services' },
  '02': { zh: '支付结算', en: 'payment and settlement' },
  '03': { zh: '投资理财', en: 'investment and wealth management' },
  '04': { zh: '信贷', en: 'credit and loans' },
  '05': { zh: '信用卡', en: 'credit cards' },
  '06': { zh: '行业服务', en: 'industry services' },
  '07': { zh: '国际业务', en: 'international business' },
  '08': { zh: '科技服务', en: 'technology services' },
};
