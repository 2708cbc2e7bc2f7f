/**
 * Field-name vocabulary of the OpenAPI checks: which property and parameter names carry the personal data
 * 7.2.2 wants masked in responses, the payment-sensitive data that never belongs in a response (7.2.2, 9.3.3),
 * server internals an error must not disclose (7.1), request signatures and MACs (7.2.2, 9.2.2).
 *
 * Names are compared as word tokens (camelCase, snake_case, kebab-case, digits split off), and a category is
 * recognised by the HEAD of the name (its last words), so `cardNumber` is a card number but `cardNumberType`,
 * `orderNumber` and `PanSequenceNumber` are not. Precision matters as much as recall: an assessor stops
 * reading a report that calls `bankName` a person's name.
 */

/** `accountHolderName` → account holder name; `X-JWS-Signature` → x jws signature; `last4` → last 4. */
const tokenMemo = new Map<string, readonly string[]>();

export function nameTokens(name: string): string[] {
  // Real specs repeat the same few thousand names; the classifiers ask for their tokens many times each.
  let tokens = tokenMemo.get(name);
  if (!tokens) {
    if (tokenMemo.size > 100_000) tokenMemo.clear();
    tokenMemo.set(name, (tokens = splitName(name)));
  }
  return [...tokens];
}

function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9\u4e00-\u9fff]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

function endsWith(tokens: readonly string[], head: readonly string[]): boolean {
  if (head.length > tokens.length) return false;
  const offset = tokens.length - head.length;
  return head.every((t, i) => tokens[offset + i] === t);
}

/** Trailing numbers do not change what a field is: `phone2`, `cvv2` stays `cvv` + 2, handled below. */
function withoutTrailingNumbers(tokens: readonly string[]): string[] {
  const out = [...tokens];
  while (out.length > 1 && /^\d+$/.test(out[out.length - 1]!)) out.pop();
  return out;
}

function matchesHead(tokens: readonly string[], heads: readonly (readonly string[])[]): readonly string[] | undefined {
  return heads.find((h) => endsWith(tokens, h));
}

const words = (...phrases: string[]): string[][] => phrases.map((p) => p.split(' '));

// --------------------------------------------------------------------------------------------------
// 7.2.2 personal data to be masked in responses: account no., card no., name, ID no., mobile no.
// --------------------------------------------------------------------------------------------------

export type PersonalCategory = 'account-number' | 'card-number' | 'person-name' | 'id-number' | 'mobile-number';

/** Heads naming a bank card number. `pan` = primary account number (ISO/IEC 7812); 卡号 = card number. */
const CARD_NUMBER_HEADS = words(
  'card number', 'card no', 'card num', 'card nbr', 'pan', 'primary account number', 'kahao', 'yhkh', '卡号', '银行卡号',
);
/** Heads naming a payment account number: domestic account no. (账号), IBAN/BBAN. */
const ACCOUNT_NUMBER_HEADS = words(
  'account number', 'account no', 'account num', 'account nbr', 'acct no', 'acct num', 'acct number', 'acct nbr',
  'acc no', 'acc num', 'acc number', 'iban', 'bban', 'zhanghao', '账号', '账户号', '银行账号', '账户号码',
);
/**
 * Heads naming a person's name outright. `userName`/`username` are log-in handles, `nickname` is chosen by the
 * user, `displayName` labels a product or app: none is a real name.
 */
const PERSON_NAME_HEADS = words(
  'holder name', 'cardholder name', 'customer name', 'real name', 'full name', 'first name', 'last name',
  'given name', 'family name', 'middle name', 'maiden name', 'surname', 'forename', 'debtor name', 'creditor name',
  'payer name', 'payee name', 'shopper name', 'person name', 'beneficiary name', 'xm', 'xingming',
  'khxm', '姓名', '户名', '客户姓名', '持卡人姓名',
);
/**
 * A bare `name` is a person's name only under an object that stands for a person (PayPal `payer.name`,
 * GitHub `user.name`, OBUK `Debtor.Name`); under a bank, branch, merchant, product or file it is not.
 */
const PERSON_PARENTS = new Set([
  'person', 'holder', 'cardholder', 'customer', 'payer', 'payee', 'debtor', 'creditor', 'user', 'shopper',
  'beneficiary', 'individual', 'consumer', 'buyer', 'psu', 'recipient', 'sender', 'applicant', 'signatory',
  'owner', 'principal', 'employee', 'representative', 'director', 'guarantor', 'officer',
]);
/** Identity document numbers: resident ID card (身份证), certificate (证件) numbers, passports, national IDs. */
const ID_NUMBER_HEADS = words(
  'id number', 'id no', 'id num', 'id card', 'id card no', 'id card number', 'id card num', 'identity card',
  'identity card number', 'identity number', 'identity no', 'national id', 'national id number',
  'national identity number', 'national identification number', 'individual identification number',
  'cert no', 'cert num', 'cert number', 'passport', 'passport number', 'passport no', 'passport num', 'ssn',
  'social security number', 'sfzh', 'zjhm', '证件号', '证件号码', '身份证号', '身份证号码',
);
/** Mobile / phone numbers of a person. */
const MOBILE_HEADS = words(
  'mobile', 'mobile no', 'mobile number', 'mobile num', 'mobile phone', 'mobile phone number', 'phone',
  'phone number', 'phone no', 'phone num', 'telephone', 'telephone number', 'tel', 'cellphone', 'cellphone number',
  'cell phone', 'cell phone number', 'msisdn', 'sjh', 'sjhm', '手机号', '手机号码',
);
/** A phone of an organisation (Stripe `support_phone`, a branch's phone) is published on purpose. */
export const ORGANISATION_WORDS = new Set([
  'support', 'business', 'company', 'merchant', 'office', 'store', 'shop', 'branch', 'bank', 'service', 'fax',
  'organization', 'organisation', 'institution', 'agency', 'atm', 'brand', 'vendor', 'partner', 'platform',
  'acceptor', 'location', 'site', 'helpdesk', 'hotline',
]);

/** Cards that are not bank cards: a gift, quota or loyalty card number is a platform identifier (7.2.2 means bank cards). */
export const NON_BANK_CARD_WORDS = new Set([
  'gift', 'loyalty', 'quota', 'voucher', 'coupon', 'membership', 'member', 'vip', 'club', 'reward', 'rewards', 'points',
  'sim', 'library', 'transit', 'access', 'discount', '礼品卡', '购物卡', '会员卡', '额度卡',
]);
/** Objects whose bare `number` / `account` is a payment account number (Stripe `ach_credit_transfer.account`, `bank_account.number`). */
const ACCOUNT_PARENTS = new Set(['account', 'ach', 'wire', 'eft', 'bacs', 'sepa', 'acss', 'becs', 'bank']);

/** Things with names that are not people (GitHub, Stripe, Square vocabulary). */
const NON_PERSON_ENTITIES = new Set([
  'repository', 'repo', 'forkee', 'team', 'org', 'project', 'app', 'application', 'package', 'product', 'file',
  'workflow', 'plan', 'price', 'feature', 'environment', 'runner', 'job', 'catalog', 'item', 'category', 'tag',
]);

/**
 * What a `*name` property's own description or example says it is not: "The full name of the repository",
 * example `octocat/Hello-World` (a person's name has no `/`, `_`, `@` or digits).
 */
export function describesNonPersonName(schema: Record<string, unknown>): boolean {
  const example = schema.example;
  if (typeof example === 'string' && example !== '' && /[/_@\d:]/.test(example)) return true;
  const description = typeof schema.description === 'string' ? schema.description : '';
  return /\b(?:repositor(?:y|ies)|organi[sz]ation|company|business|merchant|product|file|team|branch|bank|institution|application|package|project|workflow)\b/i.test(description)
    && !/\b(?:person|individual|holder|customer|payer|payee|cardholder|debtor|creditor|shopper|user's|owner's)\b|姓名|户名/i.test(description);
}

/** `customers[].name`, `subMerchants[].phone`: a collection is named in the plural, its items in the singular. */
function singular(token: string): string {
  return token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token;
}
/**
 * Words that say the value is already masked, truncated or protected by design: GOV.UK Pay `last_digits_card_number`,
 * Stripe `last4`, Adyen `maskedPan`/`encryptedCardNumber`, `first6`/`bin`.
 */
const MASKED_BY_DESIGN_WORDS = new Set([
  'masked', 'mask', 'last', 'first', 'truncated', 'partial', 'hashed', 'hash', 'encrypted', 'tokenized', 'tokenised',
  'obfuscated', 'bin', 'suffix', 'prefix', 'digits',
]);

export interface PersonalFieldMatch {
  category: PersonalCategory;
  /** The name is masked, truncated or encrypted by design (`maskedPan`, `last_digits_card_number`). */
  maskedByDesign: boolean;
}

/**
 * Classifies a response property by its name and the name of the object holding it (`parentName`: the
 * nearest enclosing property, array levels skipped). undefined = not personal data of 7.2.2.
 */
export function classifyPersonalField(name: string, parentName?: string): PersonalFieldMatch | undefined {
  return personalMemo(name, parentName);
}

/**
 * The name of the object holding a property, as a classifier reads it: `read` records whether it did. A verdict reached
 * without reading it is the property name's alone, the same under every holder (the classifiers are pure functions of
 * what they read), so it is remembered per name: one lookup for nearly every name of a spec.
 */
class HolderName {
  read = false;
  private words: string[] | undefined;
  constructor(private readonly name: string | undefined) {}

  /** The holder's name tokens (none without a holder). */
  tokens(): string[] {
    this.read = true;
    return (this.words ??= this.name ? nameTokens(this.name) : []);
  }
}

interface NameVerdicts<T> {
  /** The verdict did not read the holder's name: `verdict` holds for every holder. */
  alone: boolean;
  verdict: T | null;
  /** Otherwise one verdict per holder name (`null`: classified as nothing). */
  byHolder: Map<string, T | null> | undefined;
}

/**
 * `classify` memoised by name and, only when the verdict depends on it, the holder's name: real specs repeat the same
 * few thousand names (Stripe: ~160,000 response nodes), and each response property passes these gates.
 */
function memoByNameAndParent<T>(classify: (name: string, holder: HolderName) => T | undefined): (name: string, parentName?: string) => T | undefined {
  const memo = new Map<string, NameVerdicts<T>>();
  return (name, parentName) => {
    const entry = memo.get(name);
    if (entry?.alone) return entry.verdict ?? undefined;
    const key = parentName ?? '';
    const known = entry?.byHolder!.get(key);
    if (known !== undefined) return known ?? undefined;
    const holder = new HolderName(parentName);
    const verdict = classify(name, holder);
    // Bounded like the other name memos: a portfolio run classifies the names of hundreds of descriptions.
    if (!entry && memo.size > 100_000) memo.clear();
    if (entry) entry.byHolder!.set(key, verdict ?? null);
    else if (holder.read) memo.set(name, { alone: false, verdict: null, byHolder: new Map([[key, verdict ?? null]]) });
    else memo.set(name, { alone: true, verdict: verdict ?? null, byHolder: undefined });
    return verdict;
  };
}

const personalMemo = memoByNameAndParent(classifyPersonalFieldUncached);

function classifyPersonalFieldUncached(name: string, holder: HolderName): PersonalFieldMatch | undefined {
  const all = nameTokens(name);
  // `owner.names[]`: a list of a person's names is judged as one name.
  const tokens = withoutTrailingNumbers(all).map((t, i, a) => (i === a.length - 1 && t === 'names' ? 'name' : t));
  // The holder's words, read only where a rule needs them (see HolderName).
  let holderWords: string[] | undefined;
  const parent = (): string[] => (holderWords ??= holder.tokens().map(singular));
  const parentHead = (): string | undefined => parent()[parent().length - 1];
  const designMasked = (head: readonly string[]): boolean =>
    tokens.slice(0, tokens.length - head.length).some((t) => MASKED_BY_DESIGN_WORDS.has(t));
  const result = (category: PersonalCategory, head: readonly string[]): PersonalFieldMatch => ({
    category,
    maskedByDesign: designMasked(head),
  });

  // `last4`, `first6`, `lastFourDigits`: a fragment of a card number kept on purpose.
  if (/^(last|first)$/.test(tokens[0] ?? '') && all.some((t) => /^\d+$/.test(t) || t === 'four' || t === 'six' || t === 'digits')) {
    return { category: 'card-number', maskedByDesign: true };
  }

  // Identity documents first: `idCardNo` ends like a card number but is a resident ID card number.
  let head = matchesHead(tokens, ID_NUMBER_HEADS);
  if (head) return result('id-number', head);
  head = matchesHead(tokens, CARD_NUMBER_HEADS);
  // Adyen `identificationData.cardNumber`: the number of an identity card, not of a payment card.
  if (head && parent().some((t) => t === 'identification' || t === 'identity' || t === 'document')) return result('id-number', head);
  // `giftCardNumber`, `quotaCardNo`, `loyaltyCard.number`: platform identifiers, not bank cards.
  const nonBankCard = (): boolean => tokens.some((t) => NON_BANK_CARD_WORDS.has(t)) || parent().some((t) => NON_BANK_CARD_WORDS.has(t));
  if (head) return nonBankCard() ? undefined : result('card-number', head);
  // `card.number` (PayPal, Adyen): a number under a card object; gift and loyalty cards are not payment cards.
  const bareNumber = tokens.length === 1 && (tokens[0] === 'number' || tokens[0] === 'no');
  if (bareNumber && parent().includes('card')) return nonBankCard() ? undefined : result('card-number', tokens);
  head = matchesHead(tokens, ACCOUNT_NUMBER_HEADS);
  if (head) return result('account-number', head);
  // `bank_account.number`, `ach.account`, `ach_credit_transfer.account_number` (above): the full account number.
  const bareAccount = tokens.length === 1 && tokens[0] === 'account';
  if ((bareNumber || bareAccount) && parentHead() && (ACCOUNT_PARENTS.has(parentHead()!) || parent().includes('ach'))
    && ((bareNumber && parentHead() !== 'bank') || (bareAccount && parentHead() !== 'account'))) {
    return result('account-number', tokens);
  }
  // OBUK `DebtorAccount.Identification` with SchemeName UK.OBIE.SortCodeAccountNumber / IBAN.
  if (endsWith(tokens, ['identification']) && tokens.length <= 2 && parentHead() === 'account') {
    return result('account-number', ['identification']);
  }
  head = matchesHead(tokens, MOBILE_HEADS);
  if (head) {
    const modifiers = tokens.slice(0, tokens.length - head.length);
    if (modifiers.some((t) => ORGANISATION_WORDS.has(t)) || parent().some((t) => ORGANISATION_WORDS.has(t))) return undefined;
    return result('mobile-number', head);
  }
  head = matchesHead(tokens, PERSON_NAME_HEADS);
  // GitHub `repository.full_name` ("octocat/Hello-World"), a team's or a company's full name: not a person.
  if (head && parent().some((t) => ORGANISATION_WORDS.has(t) || NON_PERSON_ENTITIES.has(t))) return undefined;
  if (head) return result('person-name', head);
  if (tokens.length === 1 && tokens[0] === 'name' && parentHead() && PERSON_PARENTS.has(parentHead()!)) {
    return result('person-name', tokens);
  }
  return undefined;
}

// --------------------------------------------------------------------------------------------------
// 7.2.2 / 9.3.3 payment-sensitive data that never belongs in a response
// --------------------------------------------------------------------------------------------------

export type PaymentSensitiveCategory = 'card-verification-code' | 'password' | 'pin' | 'track-data';

const CVV_HEADS = words('cvv', 'cvc', 'cvn', 'cvv 2', 'cvc 2', 'cvn 2', 'card verification value', 'card verification code', 'card security code', '安全码', 'cvv2', 'cvc2');
/** `securityCode` / `verificationCode` are card codes only on a card (elsewhere: an SMS one-time code). */
const CARD_CODE_HEADS = words('security code', 'verification code', 'verification value');
const PASSWORD_HEADS = words('password', 'passwd', 'pwd', 'passcode', 'pass word', 'mima', '密码', '交易密码', '支付密码');
const PIN_HEADS = words('pin', 'pin code', 'pin block', 'pinblock', 'pin number');
const TRACK_HEADS = words('track 1', 'track 2', 'track 3', 'track1', 'track2', 'track data', 'track 1 data', 'track 2 data', 'magnetic stripe', 'magnetic stripe data', 'mag stripe', 'magstripe', 'cidao', '磁道', '磁道信息');
/** `hasPassword`, `pinRequired`: facts about a secret, not the secret. */
const FACT_PREFIXES = new Set(['has', 'is', 'need', 'needs', 'require', 'requires', 'with', 'no']);

/** `encryptedPinBlock` (an HSM's output), Adyen `encryptedPassword`: protected values, not the secret in clear. */
const PROTECTED_WORDS = new Set(['encrypted', 'hashed', 'hash', 'masked', 'tokenized', 'tokenised', 'obfuscated', 'cipher', 'ciphered']);

const paymentMemo = memoByNameAndParent(classifyPaymentSensitiveFieldUncached);

export function classifyPaymentSensitiveField(name: string, parentName?: string): PaymentSensitiveCategory | undefined {
  return paymentMemo(name, parentName);
}

function classifyPaymentSensitiveFieldUncached(name: string, holder: HolderName): PaymentSensitiveCategory | undefined {
  const all = nameTokens(name);
  if (all.length === 0 || FACT_PREFIXES.has(all[0]!) || all.some((t) => PROTECTED_WORDS.has(t))) return undefined;
  // Track data keeps its number (track1/track2); CVV2 also: match before dropping trailing numbers.
  if (matchesHead(all, TRACK_HEADS)) return 'track-data';
  if (matchesHead(all, CVV_HEADS)) return 'card-verification-code';
  const tokens = withoutTrailingNumbers(all);
  if (matchesHead(tokens, CVV_HEADS)) return 'card-verification-code';
  // `cvvNumber`, `cvc_no`, `cardVerificationNumber`: a CVV whose name ends in "number".
  const trimmed = /^(number|no|num|nbr|code|value)$/.test(tokens[tokens.length - 1] ?? '') ? withoutTrailingNumbers(tokens.slice(0, -1)) : [];
  if (trimmed.length > 0 && (matchesHead(trimmed, CVV_HEADS) || endsWith(trimmed, ['card', 'verification']))) return 'card-verification-code';
  if (matchesHead(tokens, CARD_CODE_HEADS) && (tokens.includes('card') || holder.tokens().includes('card'))) return 'card-verification-code';
  if (matchesHead(tokens, PASSWORD_HEADS)) return 'password';
  if (matchesHead(tokens, PIN_HEADS)) return 'pin';
  return undefined;
}

// --------------------------------------------------------------------------------------------------
// 7.1 error responses disclose no system internals
// --------------------------------------------------------------------------------------------------

export type DisclosureKind = 'stack-trace' | 'exception' | 'sql' | 'host' | 'server-version' | 'internal-address';

/** Property names of error bodies that carry internals. `traceId`/`debug_id` are correlation ids: fine. */
const DISCLOSURE_PROPERTY_HEADS: [readonly string[], DisclosureKind][] = [
  ...words('stack trace', 'stacktrace', 'stack', 'trace', 'backtrace', 'traceback', 'call stack').map((h) => [h, 'stack-trace'] as [string[], DisclosureKind]),
  ...words('exception', 'exception class', 'exception type', 'exception name', 'exception message', 'inner exception', 'exception detail', 'exception details').map((h) => [h, 'exception'] as [string[], DisclosureKind]),
  ...words('sql', 'sql state', 'sqlstate', 'sql query', 'sql error', 'sql code', 'query string sql').map((h) => [h, 'sql'] as [string[], DisclosureKind]),
  ...words('hostname', 'host name', 'host', 'server host', 'server name', 'server ip', 'host ip', 'node name', 'machine name').map((h) => [h, 'host'] as [string[], DisclosureKind]),
  ...words('server version', 'framework version', 'runtime version', 'middleware version', 'powered by').map((h) => [h, 'server-version'] as [string[], DisclosureKind]),
];

const disclosureMemo = new Map<string, DisclosureKind | undefined>();

export function classifyDisclosureProperty(name: string): DisclosureKind | undefined {
  if (disclosureMemo.has(name)) return disclosureMemo.get(name);
  if (disclosureMemo.size > 100_000) disclosureMemo.clear();
  const kind = classifyDisclosurePropertyUncached(name);
  disclosureMemo.set(name, kind);
  return kind;
}

function classifyDisclosurePropertyUncached(name: string): DisclosureKind | undefined {
  const tokens = withoutTrailingNumbers(nameTokens(name));
  // Exact head only: `stackId`, `traceId`, `hostedUrl` are something else.
  for (const [head, kind] of DISCLOSURE_PROPERTY_HEADS) if (endsWith(tokens, head)) return kind;
  return undefined;
}

/** Response headers that disclose server software and versions. */
export function isDisclosureHeader(name: string): boolean {
  return /^(x-powered-by|x-aspnet-version|x-aspnetmvc-version|x-runtime-version|x-server-version)$/i.test(name);
}

const VALUE_PATTERNS: [RegExp, DisclosureKind][] = [
  [/\bat\s+[\w$.<>]+\([\w$]+\.(?:java|kt|scala|groovy):\d+\)/, 'stack-trace'],
  [/\bat\s+[\w.<>`]+\(.*\)\s+in\s+\S+\.cs:line\s+\d+/, 'stack-trace'],
  [/Traceback \(most recent call last\)/, 'stack-trace'],
  [/File "[^"]+\.py", line \d+/, 'stack-trace'],
  [/\bat\s+\S+\s+\((?:\/|[A-Za-z]:\\|file:)[^)]*:\d+:\d+\)/, 'stack-trace'],
  [/\b(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b/, 'exception'],
  [/\b[A-Z][A-Za-z]*Exception\b/, 'exception'],
  [/\bORA-\d{5}\b/, 'sql'],
  [/\bSQLSTATE\b/i, 'sql'],
  [/error in your SQL syntax/i, 'sql'],
  [/syntax error at or near/i, 'sql'],
  // Upper-case keywords only: "select an account from the list" is a sentence, not SQL.
  [/\bSELECT\s+[\w*.,\s]+?\s+FROM\s+\w+|\bINSERT\s+INTO\s+\w+|\bUPDATE\s+\w+\s+SET\s+\w+|\bDELETE\s+FROM\s+\w+|\bselect\s+\*\s+from\s+\w+/, 'sql'],
  [/\b(?:nginx|openresty|tengine|apache|apache-coyote|apache tomcat|tomcat|jetty|microsoft-iis|iis|weblogic|websphere|jboss|wildfly|kestrel|gunicorn|uvicorn|werkzeug|php|openssl|spring boot|express|node\.js|python)\/v?\d+(?:\.\d+)+/i, 'server-version'],
  [/\b(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3})\b/, 'internal-address'],
];

/** Finds internals disclosed in an example value; returns the kind and the matching fragment. */
export function findDisclosureInText(text: string): { kind: DisclosureKind; match: string; index: number } | undefined {
  let best: { kind: DisclosureKind; match: string; index: number } | undefined;
  for (const [re, kind] of VALUE_PATTERNS) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.index)) best = { kind, match: m[0], index: m.index };
  }
  return best;
}

// --------------------------------------------------------------------------------------------------
// 7.2.2 / 9.2.2 request signatures and MACs
// --------------------------------------------------------------------------------------------------

export type RequestProtection = 'signature' | 'mac';

/**
 * What a header / parameter name says it carries. RFC 9421 `Signature` / `Signature-Input`, OBUK
 * `x-jws-signature`, bunq `X-Bunq-Client-Signature`, Chinese gateways' `sign` → signature; `X-HMAC`, `X-MAC`,
 * `X-Payload-HMAC` → MAC. `TPP-Signature-Certificate` carries a certificate, `Digest` only a hash, a
 * `*-Signature-Key-Id` / `*-Sign-Type` names the algorithm: none is a signature by itself. `X-MAC-Address` is
 * a device address.
 */
export function classifyProtectionName(name: string): RequestProtection | undefined {
  // Asked for every request-body property of every operation (Stripe: ~10^5 times, a few thousand names).
  if (protectionMemo.has(name)) return protectionMemo.get(name);
  if (protectionMemo.size > 100_000) protectionMemo.clear();
  const protection = classifyProtectionNameUncached(name);
  protectionMemo.set(name, protection);
  return protection;
}

const protectionMemo = new Map<string, RequestProtection | undefined>();
const NOT_THE_VALUE = new Set([
  'certificate', 'cert', 'key', 'keyid', 'id', 'alg', 'algorithm', 'method', 'type', 'version', 'timestamp',
  'nonce', 'address', 'addr', 'required', 'enabled', 'scheme', 'url', 'uri',
]);

function classifyProtectionNameUncached(name: string): RequestProtection | undefined {
  const tokens = nameTokens(name);
  const last = tokens[tokens.length - 1];
  if (last && NOT_THE_VALUE.has(last)) return undefined;
  if (tokens.some((t) => t === 'hmac' || t === 'mac')) return 'mac';
  if (tokens.some((t) => t === 'signature' || t === 'sign' || t === 'jws' || t === 'sig' || t === 'qianming' || t === '签名')) {
    return 'signature';
  }
  return undefined;
}

// --------------------------------------------------------------------------------------------------
// 7.2.2 interface version
// --------------------------------------------------------------------------------------------------

/** A path segment that names an interface version: v1, v2.1, 1.0, 2010-04-01, {version}. */
export function isVersionSegment(segment: string): boolean {
  return /^v\d+(?:[._]\d+)*$/i.test(segment) || /^\d+\.\d+(?:\.\d+)?$/.test(segment) || /^\d{4}-\d{2}-\d{2}$/.test(segment)
    || /^\{(?:api[-_]?)?version\}$/i.test(segment);
}

export function hasVersionInPath(urlOrPath: string): boolean {
  const path = urlOrPath.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return path.split('/').some(isVersionSegment);
}

/** `Api-Version`, `X-GitHub-Api-Version`, `Stripe-Version`, `version`: a parameter that selects the version. */
export function isVersionParameterName(name: string): boolean {
  const tokens = nameTokens(name);
  return tokens[tokens.length - 1] === 'version' || tokens[tokens.length - 1] === 'ver';
}
