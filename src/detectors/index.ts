/**
 * Detectors of personal financial information and secrets in free text and JSON values.
 *
 * Pure functions, shared by the log collector and the live-probe response masking check. Precision
 * comes first: a card number must be Luhn-valid, of a plausible issuer and length, and stand alone (not
 * inside a longer digit run, not a millisecond timestamp or a phone number); values with no shape of
 * their own (CVV, expiry, names, passwords) are reported only under a label that says what they are.
 *
 * A Detection carries the clear `value` for callers that must compare or count; it is never printed.
 * `excerpt` is what may leave the process: the label plus the masked value (src/mask.ts rules).
 */
import { maskIdCard, maskMiddle, maskMobile, maskPan, maskPrivateKey, maskSecret } from '../mask.js';
import { classifyKey, isCardContextKey, isPlaceholder, normaliseKey, type KeyKind } from './keys.js';
import { labelBefore } from './prefilter.js';
import {
  expiryValueValid,
  idCard15Valid,
  idCardValid,
  issuerPlausible,
  looksLikeMillisTimestamp,
  looksLikeMobile,
  luhnValid,
  provinceCodeValid,
} from './validate.js';

export interface Detection {
  detector: string;
  /** Offsets of the value in the text examined (for detectInValue: in the string value at `field`). */
  start: number;
  end: number;
  /** The clear value. Never print it, never put it in evidence. */
  value: string;
  /** Label plus masked value, safe to show. */
  excerpt: string;
  /** True for values already masked the way the standard allows (masked-pan, masked-id-card, masked-mobile). */
  masked: boolean;
  /** Dotted path of the JSON field, or the key the text labelled the value with. */
  field?: string;
}

export type DetectorCategory = 'pan' | 'payment-sensitive' | 'personal' | 'secret';

export const DETECTORS: { name: string; category: DetectorCategory; description: string }[] = [
  { name: 'pan', category: 'pan', description: 'Unmasked card number: 13–19 digits, Luhn-valid, plausible issuer prefix and length; or a 12–22 digit value in a card/account-number field; or a card number showing more than the first 6 and last 4 digits' },
  { name: 'masked-pan', category: 'pan', description: 'Card number masked as allowed: at most the first 6 and last 4 digits visible (622202******0123)' },
  { name: 'cvv', category: 'payment-sensitive', description: 'Card verification code (CVV/CVC/CVN/安全码) labelled as such' },
  { name: 'expiry', category: 'payment-sensitive', description: 'Card expiry date next to a card field or keyword' },
  { name: 'id-card', category: 'personal', description: 'Resident ID number (GB 11643: region, valid birth date, MOD 11-2 check character)' },
  { name: 'masked-id-card', category: 'personal', description: 'Resident ID number with the birth date masked (110105********231X)' },
  { name: 'mobile', category: 'personal', description: 'Mainland mobile number 1[3-9]xxxxxxxxx, optionally +86' },
  { name: 'masked-mobile', category: 'personal', description: 'Mobile number masked (138****5678)' },
  { name: 'email', category: 'personal', description: 'E-mail address (role mailboxes such as noreply@ excluded)' },
  { name: 'person-name', category: 'personal', description: 'Personal name in a name-labelled field (姓名, holderName, customerName, name under a holder/customer/payer object …)' },
  { name: 'password', category: 'payment-sensitive', description: 'Password (password/passwd/pwd/密码 fields, HTTP Basic credentials) with a real value' },
  { name: 'pin', category: 'payment-sensitive', description: 'Card PIN or PIN block in a pin-labelled field' },
  { name: 'app-secret', category: 'secret', description: 'App_Secret / client secret / API key with a real value' },
  { name: 'private-key', category: 'secret', description: 'PEM private key (-----BEGIN … PRIVATE KEY-----) or a value in a privateKey field' },
  { name: 'bearer-token', category: 'secret', description: 'Bearer token (Authorization: Bearer …) or an access/refresh token field' },
  { name: 'jwt', category: 'secret', description: 'JSON Web Token (eyJ….eyJ….signature)' },
];

const MASKED_DETECTORS = new Set(['masked-pan', 'masked-id-card', 'masked-mobile']);

export interface TextOptions {
  field?: string;
  /** What the label of this text says it is (set by detectInValue); `authorization` for HTTP Authorization values. */
  keyKind?: KeyKind | 'authorization';
}


// ---------------------------------------------------------------------------------------------
// Patterns. Every numeric pattern refuses to start or end inside a longer run of letters/digits, so a
// digit stretch of a hex trace id, a UUID or a longer number is never a card.
// ---------------------------------------------------------------------------------------------

// A digit run glued to a word by `-`, `_` or `_-` (`blk_-1608999687919862906`, `req-4111…`, `…_v2`) is part of
// that token (a block, request or object id), never a value of its own.
const GLUED_BEFORE = String.raw`(?<![0-9A-Za-z_*.])(?<![0-9A-Za-z][-_])(?<![0-9A-Za-z]_-)`;
const GLUED_AFTER = String.raw`(?![0-9A-Za-z_*]|\.\d|[-_][0-9A-Za-z])`;
const PAN_RE = new RegExp(String.raw`${GLUED_BEFORE}(?:\d{13,19}|\d{2,6}(?:[ -]\d{2,6}){2,5})${GLUED_AFTER}`, 'g');
const ID_RE = new RegExp(String.raw`${GLUED_BEFORE}[1-8]\d{16}[\dXx]${GLUED_AFTER}`, 'g');
/** First-generation ID numbers (GB 11643-1989): region code, birth date yyMMdd, sequence; no check character. */
const ID15_RE = new RegExp(String.raw`${GLUED_BEFORE}[1-8]\d{14}${GLUED_AFTER}`, 'g');
/** `13812345678`, `138 1234 5678`, `138-1234-5678`, after `+86`, `0086` or `86`; one separator throughout. */
const MOBILE_RE = new RegExp(String.raw`${GLUED_BEFORE}(?<!\+)(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:\d{8}|([ -])\d{4}\1\d{4})${GLUED_AFTER}`, 'g');
/** `scheme://user:password@host`: the password of URL userinfo (RFC 3986 §3.2.1), not an e-mail address. */
const USERINFO_RE = /\b[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/([^\s:@/?#"'<>]{1,128}):([^\s@/?#"'<>]{1,256})@/g;
const HOST_PORT_BEFORE = /(?:\d{1,3}(?:\.\d{1,3}){3}|\]|[A-Za-z0-9-]\.[A-Za-z][A-Za-z0-9-]*|localhost):$/;
const MASKED_RE = /(?<![0-9A-Za-z_*])(?:\+86[ -]?)?(?=[\d* -]{0,20}\*\*)[\d*](?:[\d*]|[ -](?=[\d*])){9,25}[Xx]?(?![0-9A-Za-z_*])/g;
const EMAIL_RE =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.([A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})(?![\w-])/g;
const PEM_RE = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
const JWT_RE = /(?<![\w-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER_RE = /\b[Bb]earer\s+([A-Za-z0-9\-._~+/]+=*)/g;
const BASIC_RE = /authorization["']?\s*[:=]\s*["']?\[?["']?Basic\s+([A-Za-z0-9+/]{6,}={0,2})/gi;
/** The value of an `authorization` field (Kong's `request.headers.authorization`, any JSON key ending so). */
const BASIC_VALUE_RE = /^\s*Basic\s+([A-Za-z0-9+/]{6,}={0,2})\s*$/gi;
/**
 * `key: value`, `key=value`, `"key":"value"` in free text (logfmt, query strings, embedded JSON): the regex finds
 * the label and its separator only; readValue reads the value by hand, so that no character is read more than a
 * bounded number of times however the line is built.
 */
const KV_HEAD_RE = /(?<![\w\u4e00-\u9fa5])(["']?)([A-Za-z_][\w.-]{0,48}|[\u4e00-\u9fa5]{2,8})\1\s*[:=：]\s*/g;
const KEY_SYNTAX = /^(?:[A-Za-z_][\w.-]{0,48}|[\u4e00-\u9fa5]{2,8})$/;
const VALUE_MAX = 300;

/** Characters that end an unquoted value: blanks, quotes, `,;&`, brackets and angle brackets. */
function endsValue(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 44 || c === 59 || c === 38 || c === 91 || c === 93 || c === 40 || c === 41 || c === 60 || c === 62 || c === 0xa0 || c === 0x3000;
}

function isLabelChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || (c >= 0x4e00 && c <= 0x9fa5);
}

/**
 * The value that starts at `p`: quoted (`"…"` with escapes, `'…'`) or unquoted. An unquoted value stops at the
 * next label a detector knows (`orderInfo=cardNo=…`, `request:idCard:…`), so a harmless label earlier in the line
 * cannot swallow a later one; `resume` is where the label scan goes on.
 */
function readValue(text: string, p: number): { value: string; start: number; resume: number } | undefined {
  const c0 = text.charCodeAt(p);
  if (c0 === 34 || c0 === 39) {
    let units = 0;
    for (let i = p + 1; i < text.length && units <= VALUE_MAX; i += 1, units += 1) {
      const c = text.charCodeAt(i);
      if (c === c0) return { value: text.slice(p + 1, i), start: p + 1, resume: i + 1 };
      if (c0 === 34 && c === 92) i += 1;
      else if (c0 === 39 && c === 10) return undefined;
    }
    return undefined;
  }
  if (p >= text.length || endsValue(c0) || c0 === 123 || c0 === 125) return undefined;
  let i = p;
  for (; i < text.length && i - p < VALUE_MAX && !endsValue(text.charCodeAt(i)); i += 1) {
    const c = text.charCodeAt(i);
    if ((c === 58 || c === 61 || c === 0xff1a) && i > p) {
      let s = i;
      while (s > p && i - s < 49 && isLabelChar(text.charCodeAt(s - 1))) s -= 1;
      if (s < i && (s === p || !isLabelChar(text.charCodeAt(s - 1)))) {
        const label = text.slice(s, i);
        if (KEY_SYNTAX.test(label) && classifyKey(label) !== undefined) {
          let e = s;
          while (e > p && /[:=：]/.test(text[e - 1]!)) e -= 1;
          return { value: text.slice(p, e), start: p, resume: s };
        }
      }
    }
  }
  return { value: text.slice(p, i), start: p, resume: i };
}

const KEY_HINT = /acc|card|卡号|账号|cvv|cvc|cvn|secur|安全码|exp|有效期|valid|name|姓名|户名|持卡人|收款人|付款人|xm|pass|pwd|pin|secret|key|token|密码|密钥|私钥/i;
const NUMBER_HINT = /\d{11}|\d[ -]\d\d/;
const ID_WORD = /身份证|证件|id_?card|id[-_]?no|id[-_]?num|cert[-_]?no|certificate|identity|sfzh/i;
const CARD_WORD = /card|卡号|银行卡|\bpan\b|cvv|cvc|cvn/i;
const FILE_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'css', 'js', 'webp', 'ico', 'html', 'htm', 'json', 'xml', 'txt', 'map']);
const ROLE_MAILBOXES = /^(?:no-?reply|donotreply|do-not-reply|git|root|postmaster|webmaster|hostmaster|abuse|mailer-daemon)$/i;

/**
 * A value that looks like a person's name: 2–8 CJK characters; minority and transliterated names joined by a
 * middle dot (阿卜杜拉·买买提, 爱新觉罗·溥仪) up to 20 CJK characters; or 1–4 Latin words. Masked names do not count.
 */
function looksLikeName(v: string): boolean {
  const s = v.trim();
  if (s.length < 2 || s.length > 60 || s.includes('*') || isPlaceholder(s)) return false;
  if (/^[\u4e00-\u9fa5]{2,8}$/.test(s)) return true;
  if (/^[\u4e00-\u9fa5]{1,19}(?:[·•・．][\u4e00-\u9fa5]{1,19}){1,4}$/.test(s)) return s.replace(/[·•・．]/g, '').length <= 20;
  if (!/^[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3}$/.test(s)) return false;
  return !/^(?:unknown|test|anonymous|guest|default|string|name|none)$/i.test(s);
}

/** The masked form shown for a detected value. */
export function maskValue(detector: string, value: string): string {
  switch (detector) {
    case 'pan':
      return maskPan(value);
    case 'id-card':
      return maskIdCard(value);
    case 'mobile': {
      const m = /^(.*?)(1[3-9]\d{9})$/.exec(value.replace(/[ -]/g, ''));
      return m ? `${m[1]}${maskMobile(m[2]!)}` : maskMiddle(value);
    }
    case 'email': {
      const at = value.indexOf('@');
      return `${value[0]}***${value.slice(at)}`;
    }
    case 'person-name':
      return maskMiddle(value);
    case 'cvv':
    case 'pin':
    case 'password':
    case 'app-secret':
    case 'bearer-token':
    case 'jwt':
      return maskSecret(value);
    case 'expiry':
      return value.replace(/\d/g, '*');
    case 'private-key':
      return maskPrivateKey(value);
    default:
      return MASKED_DETECTORS.has(detector) ? value : maskSecret(value);
  }
}

function make(detector: string, value: string, start: number, label: string | undefined, field: string | undefined): Detection {
  const masked = maskValue(detector, value);
  return {
    detector,
    start,
    end: start + value.length,
    value,
    excerpt: (label ?? field) ? `${label ?? field}=${masked}` : masked,
    masked: MASKED_DETECTORS.has(detector),
    ...(field !== undefined ? { field } : {}),
  };
}

/** Validates a labelled value; returns the detector it proves, if any. */
function judgeLabelled(kind: KeyKind, value: string, cardContext: boolean): string | undefined {
  const v = value.trim();
  switch (kind) {
    case 'cvv':
      return /^\d{3,4}$/.test(v) ? 'cvv' : undefined;
    case 'expiry':
      return cardContext && expiryValueValid(v) ? 'expiry' : undefined;
    case 'expiry-month':
      return cardContext && expiryValueValid(v, 'month') ? 'expiry' : undefined;
    case 'expiry-year':
      return cardContext && expiryValueValid(v, 'year') ? 'expiry' : undefined;
    case 'person-name':
      return looksLikeName(v) ? 'person-name' : undefined;
    case 'password':
      return v.length > 0 && !isPlaceholder(v) ? 'password' : undefined;
    case 'pin':
      return /^\d{4,12}$/.test(v) || /^[0-9A-Fa-f]{16}$/.test(v) ? 'pin' : undefined;
    case 'app-secret':
      return v.length >= 4 && !isPlaceholder(v) ? 'app-secret' : undefined;
    case 'private-key':
      return v.length >= 16 && !isPlaceholder(v) ? 'private-key' : undefined;
    case 'bearer-token':
      return v.length >= 8 && !isPlaceholder(v) ? 'bearer-token' : undefined;
    case 'card': {
      // A payment account number in a field that says so, even when not Luhn-valid (corporate accounts are not).
      const digits = v.replace(/[ -]/g, '');
      return /^\d{12,22}$/.test(digits) ? 'pan' : undefined;
    }
    default:
      return undefined;
  }
}

/** Classifies a run of digits and `*` that contains a mask. */
function judgeMasked(raw: string, keyKind: KeyKind | undefined): { detector: string; masked: boolean } | undefined {
  let s = raw.replace(/[ -]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  const stars = (s.match(/\*/g) ?? []).length;
  if (stars < 2) return undefined;
  if (s.length === 11 && /^1[3-9]\d{0,3}\*+\d{0,4}$/.test(s) && stars >= 4) return { detector: 'masked-mobile', masked: true };
  const lead = /^\d*/.exec(s)![0].length;
  const trail = /[\dXx]*$/.exec(s)![0].length;
  const inner = s.slice(lead, s.length - trail);
  if (/\d/.test(inner)) return undefined; // digits scattered inside the mask: not a recognised masking
  if (s.length === 18 && /^[1-8]/.test(s) && (lead < 2 || provinceCodeValid(s.slice(0, 2))) && keyKind !== 'card') {
    if (/[Xx]$/.test(s) || keyKind === 'id-card' || !(lead >= 2 && /^(?:62|4|5[0-8]|3[4-9]|81)/.test(s))) {
      return lead <= 6 && trail <= 4 ? { detector: 'masked-id-card', masked: true } : { detector: 'id-card', masked: false };
    }
  }
  if (/[Xx]$/.test(s) || s.length < 13 || s.length > 19) return undefined;
  if (lead === 0 && trail === 0) return undefined;
  if (lead > 0 && !/^[2-68-9]/.test(s)) return undefined;
  if (lead <= 6 && trail <= 4) return { detector: 'masked-pan', masked: true };
  return { detector: 'pan', masked: false };
}

/**
 * Character ranges of a text already claimed (by a detection, or by a non-personal label's value). A short list
 * while there are few; past that, one mark per character, so that a line with thousands of hits stays linear
 * (each test costs the length of the range tested, never the number of ranges held).
 */
class Spans {
  private list: { start: number; end: number }[] = [];
  private marks: Uint8Array | undefined;

  constructor(private readonly length: number) {}

  add(start: number, end: number): void {
    if (this.marks) {
      this.marks.fill(1, start, end);
      return;
    }
    this.list.push({ start, end });
    if (this.list.length > 32) {
      this.marks = new Uint8Array(this.length);
      for (const s of this.list) this.marks.fill(1, s.start, s.end);
    }
  }

  overlaps(start: number, end: number): boolean {
    if (this.marks) {
      for (let i = start; i < end; i += 1) if (this.marks[i] === 1) return true;
      return false;
    }
    for (const s of this.list) if (start < s.end && end > s.start) return true;
    return false;
  }
}

/**
 * How card numbers are printed when grouped: 4-4-4-4 (16), 4-4-4-4-3 (19), 4-6-5 (Amex 15), 4-6-4 (Diners 14).
 * Other space- or dash-separated digit groups are counters, amounts, dates and phone numbers, not cards.
 */
const CARD_GROUPINGS = ['4,4,4,4', '4,4,4,4,3', '4,6,5', '4,6,4'];

/** Card-number candidates: contiguous, or groups in a card grouping with one separator; a longer run is tried without its edge groups. */
function panCandidates(match: string): { text: string; offset: number }[] {
  if (!/[ -]/.test(match)) return [{ text: match, offset: 0 }];
  const sep = /[ -]/.exec(match)![0];
  if (match.includes(sep === ' ' ? '-' : ' ')) return [];
  const groups = match.split(sep);
  const out: { text: string; offset: number }[] = [];
  for (let from = 0; from < groups.length; from += 1) {
    for (let to = groups.length; to > from + 1; to -= 1) {
      const part = groups.slice(from, to);
      if (!CARD_GROUPINGS.includes(part.map((g) => g.length).join(','))) continue;
      const offset = groups.slice(0, from).reduce((n, g) => n + g.length + 1, 0);
      out.push({ text: part.join(sep), offset });
    }
  }
  return out;
}

function silencedByLabel(text: string, index: number, quiet: Spans, end: number): boolean {
  if (quiet.overlaps(index, end)) return true;
  const label = labelBefore(text, index);
  return label !== undefined && classifyKey(label) === 'non-personal-id';
}

function isPan(digits: string): boolean {
  return (
    digits.length >= 13 &&
    digits.length <= 19 &&
    !looksLikeMillisTimestamp(digits) &&
    !looksLikeMobile(digits) &&
    issuerPlausible(digits) &&
    luhnValid(digits)
  );
}

/** Detects in free text: a log line, a header, a string value. */
export function detectInText(text: string, opts: TextOptions = {}): Detection[] {
  if (text.length === 0) return [];
  const field = opts.field;
  const out: Detection[] = [];
  const taken = new Spans(text.length);
  const add = (d: Detection): void => {
    if (taken.overlaps(d.start, d.end)) return;
    taken.add(d.start, d.end);
    out.push(d);
  };
  /** Number detectors stay silent on values of labelled non-personal fields (orderNo, traceId, timestamp). */
  const quiet = new Spans(text.length);
  if (opts.keyKind === 'non-personal-id') quiet.add(0, text.length);

  if (text.includes('-----BEGIN')) {
    // One key runs from its BEGIN to the next END; a BEGIN inside a key already found is part of it. The END is
    // looked up once per key, never once per BEGIN (a line of repeated headers stays linear).
    let keyEnd = 0;
    let endIdx = -2;
    for (const m of text.matchAll(PEM_RE)) {
      if (m.index < keyEnd) continue;
      if (endIdx !== -1 && endIdx < m.index) endIdx = text.indexOf('-----END', m.index);
      const close = endIdx >= 0 ? text.indexOf('-----', endIdx + 8) : -1;
      const stop = close >= 0 ? close + 5 : m.index + m[0].length;
      keyEnd = Math.max(stop, m.index + m[0].length);
      add(make('private-key', text.slice(m.index, keyEnd), m.index, undefined, field));
    }
  }
  if (/[Bb]earer/.test(text)) {
    for (const m of text.matchAll(BEARER_RE)) {
      const token = m[1]!;
      const plausible = token.length >= 16 || (token.length >= 8 && /\d/.test(token));
      if (!plausible || /^[a-z]+$/.test(token) || isPlaceholder(token)) continue;
      add(make('bearer-token', token, m.index + m[0].length - token.length, 'Bearer', field));
    }
  }
  if (text.includes('eyJ')) {
    for (const m of text.matchAll(JWT_RE)) add(make('jwt', m[0], m.index, undefined, field));
  }
  if (/authorization/i.test(text) || opts.keyKind === 'authorization') {
    const re = opts.keyKind === 'authorization' ? BASIC_VALUE_RE : BASIC_RE;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const cred = m[1]!;
      if (Buffer.from(cred, 'base64').toString('utf8').includes(':')) add(make('password', cred, m.index + m[0].length - cred.length, 'Basic', field));
    }
  }
  if (text.includes('://')) {
    for (const m of text.matchAll(USERINFO_RE)) {
      const password = m[2]!;
      if (isPlaceholder(password) || /^\$[{(]/.test(password)) continue;
      add(make('password', password, m.index + m[0].length - 1 - password.length, 'userinfo', field));
    }
  }

  // A label in the text decides what an otherwise shapeless value is.
  if (KEY_HINT.test(text)) {
    const cardContext = CARD_WORD.test(text);
    const kv = new RegExp(KV_HEAD_RE.source, 'g');
    for (let m = kv.exec(text); m !== null; m = kv.exec(text)) {
      const key = m[2]!;
      const read = readValue(text, m.index + m[0].length);
      if (!read) continue;
      kv.lastIndex = read.resume;
      const { value, start: valueStart } = read;
      const kind = classifyKey(key);
      if (kind === undefined) continue;
      if (kind === 'non-personal-id') {
        quiet.add(valueStart, valueStart + value.length);
        continue;
      }
      if (value.length === 0) continue;
      const detector = judgeLabelled(kind, value, cardContext || isCardContextKey(key));
      if (!detector) continue;
      if (detector === 'pan' && (value.includes('*') || isPan(value.replace(/[ -]/g, '')))) continue; // left to the shape detectors
      add(make(detector, value, valueStart, key, field));
    }
  }

  if (NUMBER_HINT.test(text)) {
    for (const m of text.matchAll(ID_RE)) {
      if (!idCardValid(m[0]) || silencedByLabel(text, m.index, quiet, m.index + m[0].length)) continue;
      add(make('id-card', m[0], m.index, undefined, field));
    }
    for (const m of text.matchAll(PAN_RE)) {
      for (const c of panCandidates(m[0])) {
        if (isPan(c.text.replace(/[ -]/g, ''))) {
          if (silencedByLabel(text, m.index + c.offset, quiet, m.index + c.offset + c.text.length)) break;
          add(make('pan', c.text, m.index + c.offset, undefined, field));
          break;
        }
      }
    }
    // Fifteen digits with a region and a yyMMdd date are one random number in eighty: only where the field or
    // the line speaks of an identity document (`idNo=`, `"certNo":`, 身份证) is such a number taken for one.
    const idContext = opts.keyKind === 'id-card' || ID_WORD.test(text);
    for (const m of idContext ? text.matchAll(ID15_RE) : []) {
      if (!idCard15Valid(m[0]) || silencedByLabel(text, m.index, quiet, m.index + m[0].length)) continue;
      add(make('id-card', m[0], m.index, undefined, field));
    }
    for (const m of text.matchAll(MOBILE_RE)) {
      if (silencedByLabel(text, m.index, quiet, m.index + m[0].length)) continue;
      add(make('mobile', m[0], m.index, undefined, field));
    }
  }
  if (text.includes('**')) {
    for (const m of text.matchAll(MASKED_RE)) {
      // `10.0.0.1:5070 *****` and `proxy.example.com:443 ****`: a port followed by a row of stars, not a masked card.
      if (/^\d/.test(m[0]) && HOST_PORT_BEFORE.test(text.slice(Math.max(0, m.index - 64), m.index))) continue;
      const verdict = judgeMasked(m[0], opts.keyKind === 'authorization' ? undefined : opts.keyKind);
      if (verdict) add(make(verdict.detector, m[0], m.index, undefined, field));
    }
  }
  if (text.includes('@')) {
    for (const m of text.matchAll(EMAIL_RE)) {
      if (FILE_TLDS.has(m[1]!.toLowerCase())) continue;
      if (ROLE_MAILBOXES.test(m[0].slice(0, m[0].indexOf('@')))) continue;
      add(make('email', m[0], m.index, undefined, field));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function walk(value: unknown, path: string, key: string | undefined, parentKey: string | undefined, cardContext: boolean, out: Detection[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, joinPath(path, i), key, parentKey, cardContext, out));
    return;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const here = cardContext || (key !== undefined && isCardContextKey(key)) || keys.some((k) => isCardContextKey(k) && !/exp|有效期/i.test(k));
    for (const k of keys) walk(obj[k], joinPath(path, k), k, key, here, out);
    return;
  }
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) && !(key !== undefined && classifyKey(key, parentKey) === 'cvv')) return;
    text = String(value);
  } else return;
  const kind = key !== undefined ? classifyKey(key, parentKey) : undefined;
  if (kind !== undefined) {
    const detector = judgeLabelled(kind, text, cardContext || (key !== undefined && isCardContextKey(key)));
    if (detector && !(detector === 'pan' && (text.includes('*') || isPan(text.replace(/[ -]/g, ''))))) {
      out.push(make(detector, text, 0, undefined, path));
      return;
    }
  }
  const shapeHint = kind === 'card' || kind === 'id-card' || kind === 'mobile' || kind === 'non-personal-id';
  const authorization = key !== undefined && /authorization$/.test(normaliseKey(key));
  for (const d of detectInText(text, { field: path, ...(shapeHint ? { keyKind: kind } : authorization ? { keyKind: 'authorization' as const } : {}) })) {
    out.push(d);
  }
}

/** Walks a JSON value; key names give context (cvv, 姓名, holderName …). `field` is the dotted path. */
export function detectInValue(value: unknown, path = ''): Detection[] {
  const out: Detection[] = [];
  if (typeof value === 'string' || typeof value === 'number') {
    const lastKey = path ? path.replace(/\[\d+\]$/, '').split('.').pop() : undefined;
    walk(value, path, lastKey || undefined, undefined, false, out);
  } else {
    walk(value, path, undefined, undefined, false, out);
  }
  return out;
}

/** Masks every detection in a text (for excerpts): the result shows nothing a detector would flag. */
export function maskText(text: string): string {
  const detections = detectInText(text);
  if (detections.length === 0) return text;
  let out = '';
  let at = 0;
  for (const d of detections) {
    out += text.slice(at, d.start) + maskValue(d.detector, d.value);
    at = d.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------------------
// Excerpts of what a server sent (probe evidence: response headers and bodies). Added for the probe (issue 12);
// detection and maskText are unchanged, so log findings are too.
// ---------------------------------------------------------------------------------------------------------

/**
 * Names whose value is a credential when shown, though not a finding by itself: a bare `token=` or `key=`, a
 * session cookie, `X-Amz-Security-Token`. Matched on the end of the normalised name (`api_key` → `apikey`).
 */
const CREDENTIAL_NAME = /(?:token|key|keyid|secret|session|sessionid|sessid|sid|cookie|auth|authorization|credentials?|signature|sign|passw(?:or)?d|pwd|passphrase|ticket|otp)$|secret|token|passw/;
/** Whole-line values: `Authorization: Digest username="x", response="…"` or `Cookie: a=1; b=2` are one credential. */
const WHOLE_LINE_NAME = /(?:cookie|auth|authorization)$/;
const NAME_HEAD_RE = /(?<![\w.-])\\?(["']?)([A-Za-z_][\w.-]{0,63})\\?\1\s*([:=])\s*/g;
/** AWS access key ids (AKIA long-term, ASIA temporary, and the other documented prefixes). */
const AWS_KEY_ID_RE = /(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

/**
 * maskText, plus what an excerpt must not show although it is no finding: the value of every field, parameter,
 * header or cookie whose name says credential (JSON `"token":"…"`, form and query `key=…&access_token=…`, header
 * `X-Api-Key: …`, `Set-Cookie: session=…`), AWS access key ids, and every run of 12+ digits (as a card number).
 * Over-masking an excerpt costs nothing; a clear credential in a report does.
 */
export function maskExcerpt(text: string): string {
  let out = '';
  let at = 0;
  NAME_HEAD_RE.lastIndex = 0;
  for (let m = NAME_HEAD_RE.exec(text); m; m = NAME_HEAD_RE.exec(text)) {
    const name = normaliseKey(m[2]!);
    if (!CREDENTIAL_NAME.test(name)) continue;
    let p = m.index + m[0].length;
    while (text[p] === '\\' || text[p] === '"' || text[p] === "'") p += 1;
    const quoted = p > m.index + m[0].length;
    const stop = quoted ? /["'\\\r\n]/ : m[3] === ':' ? (WHOLE_LINE_NAME.test(name) ? /[\r\n]/ : /[\r\n,;}\]]/) : /[\s&;,"'<>}\]\\]/;
    let end = p;
    while (end < text.length && !stop.test(text[end]!)) end += 1;
    const value = text.slice(p, end);
    if (value.trim() === '' || isPlaceholder(value)) continue;
    out += text.slice(at, p) + maskSecret(value);
    at = end;
    NAME_HEAD_RE.lastIndex = end;
  }
  out += text.slice(at);
  return maskText(out)
    .replace(AWS_KEY_ID_RE, (k) => maskSecret(k))
    .replace(/\d{12,}/g, (d) => maskPan(d));
}

export { luhnValid, idCardValid, issuerPlausible } from './validate.js';
export { classifyKey, normaliseKey, isPlaceholder } from './keys.js';
export type { KeyKind } from './keys.js';
