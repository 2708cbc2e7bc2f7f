/**
 * Cheap tests that tell which lines of a large text can hold anything a detector reports, so that the
 * full detectors (and JSON.parse) run on those lines only. Each hint is a superset of what the
 * detectors find: a line the hints pass over yields no detection.
 *
 * The patterns are written so that V8's regex engine can skip ahead quickly (`\d\d\d…` rather than
 * `\d{11}` measured three times faster on JSON logs).
 */
import { classifyKey, normaliseKey, PERSON_PARENTS } from './keys.js';
import { idCard15Valid, idCardValidAt, issuerPlausible, luhnValid } from './validate.js';
import { SpanMemo } from './span-memo.js';

/**
 * Eleven digits in a row; or digits grouped the way a mobile (3-4-4) or a card (4-4-4-4, 4-6-4, 4-6-5) is printed.
 * Grouped forms are the only ones the detectors accept (mobile: `1[3-9]\d([ -])\d{4}\1\d{4}` ending the digit run;
 * card: panCandidates takes only the groupings 4-4-4-4(-3), 4-6-5 and 4-6-4 of whole digit runs, and 4-4-4-4 holds
 * a 3-4-4 that ends a run), so dates, counters and amounts in groups (`081109 205742 1001`) are no candidates.
 */
const NUMERIC = /\d\d\d(?:\d\d\d\d\d\d\d\d|[ -]\d\d\d\d[ -]\d\d\d\d(?!\d)|\d[ -](?<!\d\d\d\d\d[ -])\d\d\d\d\d\d[ -]\d\d\d\d\d?(?!\d))/g;
/**
 * Fixed shapes: JWT (`eyJ`: `yJ`, a rarer first character, lets V8 skip faster), PEM (`-----BEGIN`), Bearer and
 * HTTP Basic (`\s+` after the word; in JSON text an escaped blank shows as `\`), any `@` (e-mail, and URL userinfo,
 * whose `@` may be followed by anything), a row of `*` (masked values).
 */
const SHAPES = /yJ|BEGIN|[Bb]earer[\s\\]|[Bb][Aa][Ss][Ii][Cc][\s\\]|@|\*\*/g;
/** What only JSON.parse shows: a `\u` escape can spell any character a detector reads. */
const JSON_ONLY = /\\u/g;
/** The domain side of an e-mail (EMAIL_RE): a label, possibly more labels, then a dot and a letter (`@vip.163.com`). */
const EMAIL_AFTER_AT = /[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]/y;
/**
 * The words every label a detector trusts ends in once normalised (classifyKey: lower case, `_ . -` and blanks
 * removed): `cvv`/`cvc`/`cvn`/`cav` (and `cvv2`), `csc`, `securityCode`, `password`, `passwd`, `pwd`, `passphrase`, `pin`,
 * `pinCode`, `pinBlock`, `privateKey`, `privkey`, `secret`, `secretKey`, `apiKey`, `accessToken`, `expMonth`, `exp_mm`,
 * `expYear`, `exp_yy(yy)`, `expiry`, `expiryDate`, `validThru`, `validThrough`, every person-name key (`holderName`,
 * `cardholder`, `xm`, `khxm` …) and a plain `name`. Labels in CJK (姓名, 有效期, 持卡人) end in a CJK character.
 */
const TRUSTED_ENDINGS = ['cvv', 'cvc', 'cvn', 'cav', 'csc', 'code', 'word', 'wd', 'phrase', 'pin', 'block', 'secret', 'token', 'key', 'name', 'holder', 'expiry', 'month', 'mm', 'year', 'yy', 'date', 'thru', 'through', 'xm'];
/** Blanks, `_ . -` (which normalising removes) and JSON-escaped blanks (`\t`) a raw label may hold. */
const GAP = '(?:[\\s_.\\-]|\\\\[tnrf])*';
/** A word as a raw label may spell it: any case (flag `i`), with GAP between its letters, `k` also as the Kelvin sign `K`. */
const spelled = (word: string): string => [...word].map((c) => (c === 'k' ? '[k\\u212a]' : c)).join(GAP);
/**
 * A `:` `=` or `：` that may end a label some detector trusts: the text before it ends, past GAP, an optional escaping
 * `\` and quote (`\"pwd\":`) and blanks, in one of TRUSTED_ENDINGS as a raw label may spell it (`pass_word`,
 * `CVV_2`, `Pin-Block`), or in a CJK character; or the value after it is a run of 12 or more digits, blanks and
 * dashes, or a JSON array, any element of which is judged under the label (a card number under a card label, which
 * the label alone decides; CARD_KEYS match anywhere in a key, so no ending tells them).
 * Which label it is, and whether it is trusted, is decided in code (labelWorthALook), once per distinct label.
 * The lookbehind is read right to left by V8: at most separators it fails on the first character.
 */
export const LABEL_END_SOURCE = `[=:：](?:(?<=(?:${[...TRUSTED_ENDINGS.map(spelled), `[vcn]${GAP}2`, '[\\u4e00-\\u9fa5]'].join('|')})${GAP}\\\\?["']?(?:\\s|\\\\[tnrf])*[=:：])|(?=[\\s"'[\\\\tnrfb]*[\\d -]{12}|\\s*\\[))`;
/** Labels in CJK that a detector trusts wherever they stand in a key (密码提示, 密钥值, 安全码2): any line holding them. */
const CJK_STEMS = /密码|密钥|安全码/g;
const LABEL_END = new RegExp(LABEL_END_SOURCE, 'gi');
const CARD_VALUE = /[\s"'[\\tnrfb]*[\d -]{12}|\s*\[/y;
const LABELLED_KINDS = new Set(['cvv', 'expiry', 'expiry-month', 'expiry-year', 'person-name', 'password', 'pin', 'app-secret', 'private-key', 'bearer-token']);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
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


/** A blank as JS `\s` reads it (the separators of KV_HEAD_RE and the characters normaliseKey removes). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The character at `i` as a detector would see it: in JSON text a character escaped by `\` (`\n`, `\t`, `\"`) is a
 * blank or a quote once parsed, never a letter glued to what follows.
 */
function seenAt(text: string, i: number): number {
  if (i < 0) return 32;
  return i > 0 && text.charCodeAt(i - 1) === 92 ? 32 : text.charCodeAt(i);
}

/**
 * Whether the digit run starting at `start` (found by an 11-digit match) could be reported. Returns the run end.
 * It follows the shape detectors' own rules (GLUED_BEFORE / GLUED_AFTER, isPan, idCardValid, MOBILE_RE) and accepts
 * whatever one of them might take; a labelled card number is LABEL_END's business.
 */
function digitRunWorthALook(text: string, start: number): { end: number; worth: boolean } {
  let end = start + 11;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end += 1;
  const before = seenAt(text, start - 1);
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (isWordChar(before) || before === 46 /* . */) return { end, worth: false };
  // Glued to a word by `-`, `_` or `_-` (`blk_-1608999687919862906`): part of an id token, as the detectors say.
  // (`+86-138…` is a country code, not a token: the detector reads it from the `+`.)
  if ((before === 45 || before === 95) && isWordChar(seenAt(text, start - 2)) && !(before === 45 && text.startsWith('86', start - 3))) {
    return { end, worth: false };
  }
  const len = end - start;
  if (len === 17 && (after === 88 || after === 120)) return { end: end + 1, worth: idCardValidAt(text, start) };
  // (`4111111111111111.0` is not refused for the dot: as a JSON number it parses to a card number.)
  if (isWordChar(after)) return { end, worth: false };
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
  // (A card account number under a card label, any length from 12 to 22, is LABEL_END's: its separator is looked at.)
  return { end, worth: len >= 13 && len <= 19 && issuerPlausible(text, start, end) && luhnValid(text, start, end) };
}

/**
 * `scheme://user:password@`: the `@` closes URL userinfo holding a password (USERINFO_RE: user ≤ 128 and password
 * ≤ 256 characters, neither holding a blank, `@` or a quote). A `\` is passed over (`https:\/\/` in JSON text).
 */
function userinfoAt(text: string, at: number): boolean {
  let colon = false;
  for (let i = at - 1; i >= Math.max(0, at - 1000); i -= 1) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) colon = true;
    else if (c === 47 /* / */) {
      let j = i - 1;
      if (text.charCodeAt(j) === 92) j -= 1;
      return colon && text.charCodeAt(j) === 47;
    } else if (c === 32 || (c >= 9 && c <= 13) || c === 64 /* @ */ || c === 34 || c === 39) return false;
  }
  return false;
}

/** EMAIL_RE: a local-part character right before the `@`, a domain with a dot and a letter after it. */
function emailAt(text: string, at: number): boolean {
  if (at === 0) return false;
  const c = text.charCodeAt(at - 1);
  if (!(isWordChar(c) || c === 46 || c === 37 || c === 43 || c === 45)) return false; // `"@timestamp"` ends here
  EMAIL_AFTER_AT.lastIndex = at + 1;
  return EMAIL_AFTER_AT.test(text);
}

const TRUSTED = 1;
const CARD = 2;
const NAME = 4;
/** labelFlags per distinct label and reading (SpanMemo: no string cut out of the text for a label seen before). */
const labelMemo = new SpanMemo(4096);
const QUOTED = 1;
const ESCAPED = 2;
const PLAIN = 3;

function flagsOfKind(kind: ReturnType<typeof classifyKey>): number {
  if (kind === undefined) return 0;
  if (LABELLED_KINDS.has(kind)) return TRUSTED;
  return kind === 'card' ? CARD : kind === 'name-generic' ? NAME : 0;
}

/**
 * What the label ending at `end` may be, as flags (TRUSTED, CARD, NAME). A quoted label (`"cardNo"`, a JSON key,
 * `\"pwd\"` inside a JSON string) is its whole content. An unquoted one is read by KV_HEAD_RE as at most 49
 * characters ending here and starting where no word or CJK character precedes: at the start of the run of label
 * characters, after a `.` or `-` inside it, or after the letter of a JSON escape (`\npin=`); each such start counts.
 */
function labelFlags(text: string, from: number, end: number, quoted: boolean): number {
  const reading = quoted ? QUOTED : from > 0 && text.charCodeAt(from - 1) === 92 ? ESCAPED : PLAIN;
  return labelMemo.get(text, from, end, reading, flagsOfLabel);
}

/** labelFlags of `raw`, read as `reading` says (QUOTED, ESCAPED: right after a JSON escape's `\`, or PLAIN). */
function flagsOfLabel(raw: string, reading: number): number {
  if (reading === QUOTED) return raw.includes('\\') ? TRUSTED | CARD | NAME : flagsOfKind(classifyKey(raw));
  let flags = 0;
  for (let s = Math.max(0, raw.length - 49); s < raw.length; s += 1) {
    const c = s > 0 ? raw.charCodeAt(s - 1) : 0;
    const startable = s === 0 || c === 46 || c === 45 || (s === 1 && reading === ESCAPED);
    if (startable) flags |= flagsOfKind(classifyKey(raw.slice(s)));
  }
  return flags;
}

/** Whether a detector may trust `label` (a JSON key), depending on its value or its parent key or not. */
export function labelMayBeTrusted(label: string): boolean {
  return flagsOfKind(classifyKey(label)) !== 0;
}

/**
 * Whether the label ending at the separator `sep` (a LABEL_END hit) is one a detector trusts; a card label when a
 * value of 12 or more digits or an array follows; a plain `name` when a person-like parent key (payer, holder, 客户 …) stands
 * earlier on the same line (normalised as keys are: `Payer`, `pay_er`).
 */
export function labelWorthALook(text: string, sep: number): boolean {
  let i = sep - 1;
  // Blanks and escaped blanks (`\t` in JSON text) between the label and its separator.
  for (;;) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i -= 1;
    else if ((c === 116 || c === 110 || c === 114 || c === 102) && text.charCodeAt(i - 1) === 92) i -= 2;
    else break;
  }
  if (i < 0) return false;
  let flags: number;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) {
    const close = text.charCodeAt(i - 1) === 92 ? i - 1 : i;
    let open = close - 1;
    while (open >= 0 && close - open <= 1024 && text.charCodeAt(open) !== q && text.charCodeAt(open) !== 10) open -= 1;
    if (open < 0 || text.charCodeAt(open) !== q) return false; // no opening quote on this line: not a label
    if (close - open > 1024) return true;
    flags = labelFlags(text, open + 1, close, true);
  } else {
    const end = i + 1;
    while (i >= 0 && end - i <= 51 && isLabelChar(text.charCodeAt(i))) i -= 1;
    if (end === i + 1) return false;
    flags = labelFlags(text, i + 1, end, false);
  }
  if (flags & TRUSTED) return true;
  if (flags & CARD) {
    CARD_VALUE.lastIndex = sep + 1;
    if (CARD_VALUE.test(text)) return true;
  }
  return (flags & NAME) !== 0 && PERSON_PARENTS.test(normaliseKey(text.slice(text.lastIndexOf('\n', sep) + 1, sep)));
}

/**
 * Offsets in `text` where something reportable may stand, ascending. Callers map them to lines and run the detectors
 * on those lines only. `labels: false` leaves out the label scan for callers that run LABEL_END_SOURCE themselves,
 * folded into a scan they make anyway (the JSON-lines key scan); `json: true` adds what only parsing shows.
 *
 * Why this is a superset of what the detectors report on a line (detectInText on the line, or detectInValue on the
 * line parsed as JSON), detector by detector:
 * - private-key needs `-----BEGIN`; jwt `eyJ`; bearer-token `[Bb]earer\s`; HTTP Basic `basic\s` in any case; e-mail
 *   and URL userinfo an `@` (checked by emailAt and userinfoAt, which accept every `@` EMAIL_RE and USERINFO_RE end
 *   at); masked values `**` (SHAPES).
 * - pan, id-card and mobile by shape need 11 or more digits in a row or a card/mobile grouping (NUMERIC), and
 *   digitRunWorthALook refuses a run only for a reason the detectors refuse it too (glued to a word, a timestamp,
 *   the wrong length, check digit or issuer).
 * - every labelled value (cvv, expiry, name, password, pin, secret, private key, token, card account) needs a label
 *   and a separator: LABEL_END stops at every separator whose label could be trusted, labelWorthALook classifies
 *   every label KV_HEAD_RE or a JSON key could be there; 密码, 密钥 and 安全码 count anywhere in a key (CJK_STEMS).
 * - in JSON text, a character escaped by `\` is read as what it stands for (a blank or a quote), a `\u` escape and
 *   a number in exponent form make the line a candidate (JSON_ONLY).
 * test/log-prefilter-superset.test.ts checks it on every recall-harness positive and on random lines.
 */
export function candidateOffsets(text: string, opts: { labels?: boolean; json?: boolean } = {}): Int32Array {
  const out: number[] = [];
  // `test` plus lastIndex gives the offset without allocating a match array.
  NUMERIC.lastIndex = 0;
  while (NUMERIC.test(text)) {
    const hitEnd = NUMERIC.lastIndex;
    // A grouped hit ends in a group of 4 (or 5: Amex 4-6-5); eleven digits in a row hold no separator.
    const sep = text.charCodeAt(hitEnd - 5);
    const sep5 = text.charCodeAt(hitEnd - 6);
    if (sep === 32 || sep === 45 || sep5 === 32 || sep5 === 45) {
      out.push(hitEnd - 6);
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
  CJK_STEMS.lastIndex = 0;
  while (CJK_STEMS.test(text)) out.push(CJK_STEMS.lastIndex - 1);
  if (opts.json) {
    JSON_ONLY.lastIndex = 0;
    while (JSON_ONLY.test(text)) out.push(JSON_ONLY.lastIndex - 1);
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
