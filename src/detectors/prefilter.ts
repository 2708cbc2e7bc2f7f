/**
 * Cheap tests that tell which lines of a large text can hold anything a detector reports, so that the
 * full detectors (and JSON.parse) run on those lines only. Each hint is a superset of what the
 * detectors find: a line the hints pass over yields no detection.
 *
 * The patterns are written so that V8's regex engine can skip ahead quickly (`\d\d\d…` rather than
 * `\d{11}` measured three times faster on JSON logs).
 */
import { classifyKey, PERSON_PARENTS } from './keys.js';
import { idCard15Valid, idCardValidAt, issuerPlausible, luhnValid } from './validate.js';

/** Eleven digits in a row, or two groups of four joined by a space or dash (a grouped card number). */
const NUMERIC = /\d\d\d\d(?:\d\d\d\d\d\d\d|[ -]\d\d\d\d)/g;
/** Only the domain side of `@` is in the pattern: a character class in front of it slows the whole scan down. */
/** `yJ` and `BEGIN` rather than `eyJ` and `-----BEGIN`: a rarer first character lets V8 skip faster. */
const SHAPES = /yJ|BEGIN|[Bb]earer[ \t]|Basic |@(?=[A-Za-z0-9-])|\*\*/g;
const EMAIL_AFTER_AT = /[A-Za-z0-9-]+\.[A-Za-z]/y;
/**
 * A `:` `=` or `：` that ends a label some detector trusts (classifyKey): every such label ends in one of
 * these words (`creditCardCvv`, `user_password`, `pinBlock`, `cardholderName`, `exp_month`, `有效期`).
 * Anchoring on the separator and looking behind measured faster than scanning for the stems anywhere
 * (V8 tries an alternation at every position; here only at separators). The label itself is then
 * classified in code, once per distinct label. The first look-behind (the label's last character) is a
 * cheap filter that measured 20% off the scan of JSON lines, where every key ends in a `:`.
 */
export const LABEL_END_SOURCE =
  '[=:：](?<=[vcnedkytrhmuVCNEDKYTRHMU码名期限钥人称\\d]["\']?\\s*[=:：])(?<=(?:cvv|cvc|cvn|cav|code|word|wd|phrase|pin|block|secret|token|key|name|holder|expiry|month|mm|year|yy|date|thru|through|xm|码|名|期|限|钥|人|称)\\d?["\']?\\s*[=:：])';
const LABEL_END = new RegExp(LABEL_END_SOURCE, 'gi');
const LABELLED_KINDS = new Set(['cvv', 'expiry', 'expiry-month', 'expiry-year', 'person-name', 'password', 'pin', 'app-secret', 'private-key', 'bearer-token']);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

const labelKinds = new Map<string, ReturnType<typeof classifyKey>>();

/** classifyKey, memoised: the same few labels (orderNo, ref, time …) precede most digit runs of a log. */
function kindOf(label: string): ReturnType<typeof classifyKey> {
  let kind = labelKinds.get(label);
  if (kind === undefined && !labelKinds.has(label)) {
    kind = classifyKey(label);
    if (labelKinds.size < 10_000) labelKinds.set(label, kind);
  }
  return kind;
}

function isLabelChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45 || (c >= 0x4e00 && c <= 0x9fa5);
}

/**
 * The label right before a value (`orderNo=`, `"cardNo":"`, `卡号：`), found by walking back over
 * quotes, blanks and one `:`/`=`, without a regex (this runs for most digit runs of a log).
 */
export function labelBefore(text: string, index: number): string | undefined {
  let i = index - 1;
  const floor = Math.max(0, index - 80);
  while (i >= floor && (text.charCodeAt(i) === 34 || text.charCodeAt(i) === 39 || text.charCodeAt(i) === 32)) i -= 1;
  const sep = text.charCodeAt(i);
  if (sep !== 58 && sep !== 61 && sep !== 0xff1a) return undefined;
  i -= 1;
  while (i >= floor && (text.charCodeAt(i) === 34 || text.charCodeAt(i) === 39 || text.charCodeAt(i) === 32)) i -= 1;
  const end = i + 1;
  while (i >= floor && isLabelChar(text.charCodeAt(i))) i -= 1;
  return end - (i + 1) > 0 ? text.slice(i + 1, end) : undefined;
}


/** Whether the digit run starting at `start` (found by an 11-digit match) could be reported. Returns the run end. */
function digitRunWorthALook(text: string, start: number): { end: number; worth: boolean } {
  let end = start + 11;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end += 1;
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (isWordChar(before) || before === 46 /* . */) return { end, worth: false };
  // Glued to a word by `-`, `_` or `_-` (`blk_-1608999687919862906`): part of an id token, as the detectors say.
  // (`+86-138…` is a country code, not a token: the detector reads it from the `+`.)
  if ((before === 45 || before === 95) && start >= 2 && isWordChar(text.charCodeAt(start - 2)) && !(before === 45 && text.startsWith('86', start - 3))) {
    return { end, worth: false };
  }
  const len = end - start;
  if (len === 17 && (after === 88 || after === 120)) return { end: end + 1, worth: idCardValidAt(text, start) };
  if (isWordChar(after) || (after === 46 && end + 1 < text.length && text.charCodeAt(end + 1) >= 48 && text.charCodeAt(end + 1) <= 57)) {
    return { end, worth: false };
  }
  if ((after === 45 || after === 95) && end + 1 < text.length && isWordChar(text.charCodeAt(end + 1))) return { end, worth: false };
  const d0 = text.charCodeAt(start);
  const d1 = text.charCodeAt(start + 1);
  if (len === 11) return { end, worth: d0 === 49 && d1 >= 51 };
  if (len > 22) return { end, worth: false };
  if (len === 13 && d0 === 49 && d1 >= 53) return { end, worth: false }; // millisecond timestamp
  if (len === 13 && d0 === 56 && d1 === 54 && text.charCodeAt(start + 2) === 49 && text.charCodeAt(start + 3) >= 51) return { end, worth: true }; // 86 + mobile
  if (len === 18 && idCardValidAt(text, start)) return { end, worth: true };
  if (len === 15 && (d0 === 48 && d1 === 48 ? text.charCodeAt(start + 4) === 49 && text.charCodeAt(start + 5) >= 51 : idCard15Valid(text.slice(start, end)))) {
    return { end, worth: true }; // first-generation ID number, or 0086 + mobile
  }
  if (len >= 13 && len <= 19 && issuerPlausible(text, start, end) && luhnValid(text, start, end)) return { end, worth: true };
  const label = labelBefore(text, start);
  return { end, worth: label !== undefined && kindOf(label) === 'card' };
}

/** `scheme://user:password@`: the `@` closes URL userinfo holding a password. */
function userinfoAt(text: string, at: number): boolean {
  let colon = false;
  for (let i = at - 1; i >= Math.max(0, at - 400); i -= 1) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) colon = true;
    else if (c === 47 /* / */) return colon && i >= 2 && text.charCodeAt(i - 1) === 47 && text.charCodeAt(i - 2) === 58;
    else if (c <= 32 || c === 64 /* @ */ || c === 34 || c === 39) return false;
  }
  return false;
}

function emailAt(text: string, at: number): boolean {
  if (at === 0) return false;
  const c = text.charCodeAt(at - 1);
  if (!(isWordChar(c) || c === 46 || c === 37 || c === 43 || c === 45)) return false; // `"@timestamp"` ends here
  EMAIL_AFTER_AT.lastIndex = at + 1;
  return EMAIL_AFTER_AT.test(text);
}

/**
 * Whether the label ending at the separator `sep` (a LABEL_END hit) is one a detector trusts; a plain
 * `name` counts when a person-like parent key (payer, holder, 客户 …) stands earlier on the same line.
 */
export function labelWorthALook(text: string, sep: number): boolean {
  const label = labelBefore(text, sep + 1);
  if (label === undefined) return false;
  const kind = kindOf(label);
  if (kind !== undefined && LABELLED_KINDS.has(kind)) return true;
  return kind === 'name-generic' && PERSON_PARENTS.test(text.slice(text.lastIndexOf('\n', sep) + 1, sep));
}

/**
 * Offsets in `text` where something reportable may stand, ascending. Callers map them to lines and run
 * the detectors on those lines only. `labels: false` leaves out the label scan for callers that run
 * LABEL_END_SOURCE themselves, folded into a scan they make anyway (the JSON-lines key scan).
 */
export function candidateOffsets(text: string, opts: { labels?: boolean } = {}): Int32Array {
  const out: number[] = [];
  // `test` plus lastIndex gives the offset without allocating a match array (the two alternatives have fixed lengths).
  NUMERIC.lastIndex = 0;
  while (NUMERIC.test(text)) {
    const hitEnd = NUMERIC.lastIndex;
    const sep = text.charCodeAt(hitEnd - 5);
    if (sep === 32 || sep === 45) {
      out.push(hitEnd - 9);
      continue;
    }
    const { end, worth } = digitRunWorthALook(text, hitEnd - 11);
    if (worth) out.push(hitEnd - 11);
    NUMERIC.lastIndex = end;
  }
  SHAPES.lastIndex = 0;
  while (SHAPES.test(text)) {
    const end = SHAPES.lastIndex;
    const last = text.charCodeAt(end - 1);
    if (last === 64 /* @ */) {
      if (emailAt(text, end - 1) || userinfoAt(text, end - 1)) out.push(end - 1);
    } else if (last === 74 /* yJ */) {
      if (end >= 3 && text.charCodeAt(end - 3) === 101 /* e */) out.push(end - 1);
    } else out.push(end - 1);
  }
  if (opts.labels !== false) {
    LABEL_END.lastIndex = 0;
    while (LABEL_END.test(text)) {
      const sep = LABEL_END.lastIndex - 1;
      if (labelWorthALook(text, sep)) out.push(sep);
    }
  }
  return Int32Array.from(out).sort();
}
