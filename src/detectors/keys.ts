/**
 * What a field name says about its value. Labels are the only context the detectors trust for values
 * that have no shape of their own (a CVV is any three digits, a name is any word), so these lists decide
 * precision: they are exact names or suffixes, never substrings like `pin` (spin, ping) or `name`
 * (hostname, service.name).
 */

export type KeyKind =
  | 'cvv'
  | 'expiry'
  | 'expiry-month'
  | 'expiry-year'
  | 'person-name'
  | 'name-generic'
  | 'password'
  | 'pin'
  | 'app-secret'
  | 'private-key'
  | 'bearer-token'
  | 'card'
  | 'id-card'
  | 'mobile'
  | 'non-personal-id';

/** Lower case, separators (`_ - . space`) removed; CJK kept. `creditCard.Cvv` → `creditcardcvv`. */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[\s_.\-]/g, '');
}

/** At the end of the key: `creditCardCvv`, `cvv2`; `cvvResult` (the issuer's verification result) is not a CVV. */
const CVV_KEYS = /(?:cvv|cvc|cvn|cav)2?$|^(?:card)?securitycode$|^csc$|安全码/;
const PERSON_NAME_KEYS = new Set([
  '姓名', '户名', '持卡人', '持卡人姓名', '客户姓名', '真实姓名', '收款人姓名', '付款人姓名', '收款人', '付款人', '账户名称', '开户名',
  'holdername', 'cardholdername', 'cardholder', 'accountholdername', 'accountholder', 'customername', 'realname',
  'fullname', 'firstname', 'lastname', 'givenname', 'familyname', 'surname', 'middlename', 'payername', 'payeename',
  'acctname', 'accname', 'accountname', 'custname', 'clientname', 'beneficiaryname', 'recipientname', 'xm', 'khxm',
]);
/** A plain `name` key counts only under one of these parents (a person, not a service or a route). */
export const PERSON_PARENTS = /(?:person|holder|customer|cust|payer|payee|owner|contact|beneficiary|recipient|applicant|客户|持卡人|收款人|付款人)/;
const EXPIRY_KEYS = new Set([
  'expiry', 'expirydate', 'expdate', 'expirationdate', 'cardexpiry', 'cardexpirydate', 'cardexpdate', 'validthru',
  'validthrough', 'validdate', '有效期', '卡有效期', '有效期限',
]);
const EXPIRY_MONTH = /^(?:card|creditcard)?exp(?:iry|iration)?(?:month|mm)$/;
const EXPIRY_YEAR = /^(?:card|creditcard)?exp(?:iry|iration)?(?:year|yy|yyyy)$/;
const CARD_KEYS = /(?:cardno|cardnum|cardnumber|^pan$|cardpan|primaryaccountnumber|acctno|accountno|accno|accountnumber|acctnum|bankcard|卡号|账号|银行卡)/;
const ID_KEYS = /(?:idcard|idno|idnumber|certno|certificateno|identityno|identitycard|身份证)/;
const MOBILE_KEYS = /(?:mobile|phone|手机|电话|tel$|^tel)/;
const NON_PERSONAL = /(?:order|^ord$|trace|span|request|^req|txn|trans|serial|seq|flow|batch|msgid|uuid|guid|nonce|time|^ts$|date|size|bytes|length|latency|duration|port|pid|count|amount|version|流水)/;

const kinds = new Map<string, KeyKind | undefined>();

export function classifyKey(key: string, parentKey?: string): KeyKind | undefined {
  // Memoised: the same few labels recur on every line of a log. The parent decides only what a plain `name` is.
  let kind = kinds.get(key);
  if (kind === undefined && !kinds.has(key)) {
    kind = classify(key, undefined);
    if (kinds.size < 10_000) kinds.set(key, kind);
  }
  return parentKey !== undefined && kind === 'name-generic' ? classify(key, parentKey) : kind;
}

function classify(key: string, parentKey: string | undefined): KeyKind | undefined {
  const k = normaliseKey(key);
  if (k.length === 0) return undefined;
  if (CVV_KEYS.test(k)) return 'cvv';
  if (k.endsWith('password') || k.endsWith('passwd') || k.endsWith('pwd') || k.endsWith('passphrase') || k.includes('密码')) {
    return 'password';
  }
  if (k === 'pin' || k === 'pincode' || k.endsWith('pinblock') || k === 'cardpin' || k === 'atmpin' || k === 'paypin') return 'pin';
  if (k.endsWith('privatekey') || k === 'privkey' || k === '私钥') return 'private-key';
  if (k.endsWith('secret') || k.endsWith('secretkey') || k.endsWith('secretaccesskey') || k === 'apikey' || k === 'xapikey' || k.includes('密钥')) {
    return 'app-secret';
  }
  if (k === 'accesstoken' || k === 'refreshtoken' || k === 'idtoken' || k === 'authtoken' || k === 'bearertoken') return 'bearer-token';
  if (EXPIRY_MONTH.test(k)) return 'expiry-month';
  if (EXPIRY_YEAR.test(k)) return 'expiry-year';
  if (EXPIRY_KEYS.has(k)) return 'expiry';
  if (PERSON_NAME_KEYS.has(k)) return 'person-name';
  if (k === 'name' || k === '名字') {
    return parentKey !== undefined && PERSON_PARENTS.test(normaliseKey(parentKey)) ? 'person-name' : 'name-generic';
  }
  // ID before card: `idCardNo` / `身份证卡号` name an identity card, though they contain `cardno`.
  if (ID_KEYS.test(k)) return 'id-card';
  if (CARD_KEYS.test(k)) return 'card';
  if (MOBILE_KEYS.test(k)) return 'mobile';
  if (NON_PERSONAL.test(k)) return 'non-personal-id';
  return undefined;
}

/** A key that makes a sibling expiry a card expiry: card number or CVV fields, or a card-ish parent. */
export function isCardContextKey(key: string): boolean {
  let v = cardContextKeys.get(key);
  if (v === undefined) {
    const k = normaliseKey(key);
    v = CARD_KEYS.test(k) || CVV_KEYS.test(k) || /(?:card|credit|卡)/.test(k);
    // Memoised: every key of every JSON record the log scanner parses is asked.
    if (cardContextKeys.size < 10_000) cardContextKeys.set(key, v);
  }
  return v;
}

const cardContextKeys = new Map<string, boolean>();

/** Values that stand for "no secret here": masks, redaction markers, templates, unset markers. */
const PLACEHOLDER =
  /^(?:|-|--|\(empty\)|null|nil|none|undefined|n\/a|na|true|false|[*xX•#.?]+|<[^>]*>|\[[^\]]*\]|\(?redacted\)?|filtered|masked|hidden|omitted|removed|\$\{[^}]*\}|\{\{[^}]*\}\}|%[sd]|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%|\*+\(\d+ chars\))$/i;
/**
 * Template and shell substitutions stand for a value supplied elsewhere: `${{ secrets.X }}` (GitHub Actions),
 * `$(cat key)`, `${VAR}`, `${VAR:-x}`. Judged by their opening, since an unquoted value is cut at its first blank.
 */
const SUBSTITUTION = /^\$[{(]|^\{\{/;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return PLACEHOLDER.test(v) || SUBSTITUTION.test(v);
}
