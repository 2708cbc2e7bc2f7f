/**
 * Field classifier of the response-data checks (7.2.2, 9.3.3): what a response property holds, judged from all that
 * a description says about it, not its name alone. The name proposes (vocabulary.ts); the context confirms or
 * refutes: type, enum, format, pattern, description and title, vendor extensions, the names of the objects and
 * schemas around it, and its examples, in English and Chinese.
 *
 * Every rule here answers a class of findings a bank refuted on real specs (issue 18): an enum of match results
 * called `firstName`, a merchant's phone, an account number described as ciphertext, a gift card's number, a URL
 * called `password`, an invoice's 密码. The tables are the vocabulary; no rule names one spec.
 */
import {
  NON_BANK_CARD_WORDS,
  ORGANISATION_WORDS,
  classifyPaymentSensitiveField,
  classifyPersonalField,
  describesNonPersonName,
  nameTokens,
  type PaymentSensitiveCategory,
  type PersonalCategory,
  type PersonalFieldMatch,
} from './vocabulary.js';
import { personalDataInNamedValue, personalDataInValue } from './example-values.js';
import type { PropertyView } from './walk.js';

/** Everything the description says about one response property. */
export interface FieldContext {
  name: string;
  parentName?: string;
  /** Enclosing property names, nearest first (array and map levels dropped). */
  ancestors: string[];
  /** Names of the schemas that hold the property: component names in its pointer, the file of a multi-file spec. */
  holderNames: string[];
  /** Names of the schemas the property's value refers to (`$ref: MaskedPan`). */
  typeNames: string[];
  types: Set<string>;
  /** enum or const: the value is one of a fixed list, which no person's data is. */
  enumerated: boolean;
  formats: string[];
  /** Descriptions and titles, joined. */
  text: string;
  /** The same, one entry per node that has any: a refutation must hold for each (composition branches differ). */
  texts: string[];
  /** `x-*` keys and their values. */
  extensions: [string, unknown][];
  examples: unknown[];
}

const STRUCTURAL = /^(\[\d*\]|\*|\d+)$/;

/** Component names in a pointer: `/components/schemas/StoreLocation/properties/phone` → StoreLocation. */
function schemaNamesIn(pointer: string): string[] {
  const segments = pointer.split('/');
  const names: string[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] === 'schemas' || segments[i] === 'definitions') names.push(segments[i + 1]!.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return names;
}

function fileStem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.(?:json|ya?ml)$/i, '');
}

/** The context of one response property (`rootFile`: the description's own file, whose name says nothing of the field). */
export function fieldContext(view: PropertyView, rootFile?: string): FieldContext {
  const segments = view.path.split('.').map((s) => s.replace(/\[\d*\]$/, '')).filter((s) => s !== '' && !STRUCTURAL.test(s));
  const ancestors = segments.slice(0, -1).reverse();
  const types = new Set<string>();
  const formats: string[] = [];
  const texts: string[] = [];
  const extensions: [string, unknown][] = [];
  const examples: unknown[] = [];
  const typeNames: string[] = [];
  let enumerated = false;
  const perNode: string[] = [];
  view.nodes.forEach((node, i) => {
    const s = node.schema;
    const own = [s.description, s.title].filter((x): x is string => typeof x === 'string').join(' ');
    if (own !== '') perNode.push(own);
    const t = s.type;
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string' && x !== 'null') types.add(x);
    if (Array.isArray(s.enum) || s.const !== undefined) enumerated = true;
    if (typeof s.format === 'string') formats.push(s.format.toLowerCase());
    for (const key of ['description', 'title'] as const) if (typeof s[key] === 'string') texts.push(s[key] as string);
    for (const key of Object.keys(s)) if (key.startsWith('x-')) extensions.push([key, s[key]]);
    if (s.example !== undefined) examples.push(s.example);
    if (Array.isArray(s.examples)) examples.push(...s.examples);
    // A composition member or `$ref` target written as a component of its own names the value's type.
    if (i > 0) {
      const names = schemaNamesIn(node.location.pointer ?? '');
      const last = names[names.length - 1];
      if (last && /\/(?:schemas|definitions)\/[^/]+$/.test(node.location.pointer ?? '')) typeNames.push(last);
    }
  });
  const first = view.node.location;
  const holderNames = schemaNamesIn(first.pointer ?? '');
  if (rootFile !== undefined && first.file !== rootFile) holderNames.push(fileStem(first.file));
  return {
    name: view.propertyName,
    ...(view.parentName !== undefined ? { parentName: view.parentName } : {}),
    ancestors,
    holderNames: holderNames.reverse(),
    typeNames,
    types,
    enumerated,
    formats,
    text: texts.join(' \u2022 '),
    texts: perNode,
    extensions,
    examples,
  };
}

// ---------------------------------------------------------------------------------------------
// What the context says
// ---------------------------------------------------------------------------------------------

/** Words that say nothing of what an object is: `data`, `attributes`, `details` wrap the real holder. */
const GENERIC_WORDS = new Set([
  'data', 'attributes', 'attribute', 'details', 'detail', 'info', 'information', 'profile', 'contact', 'contacts',
  'object', 'item', 'items', 'record', 'records', 'response', 'body', 'content', 'payload', 'value', 'values', 'entry',
  'list', 'model', 'dto', 'address', 'addresse', 'vo', 'req', 'resp', 'request', 'v1', 'v2', 'v3', 'new', 'create', 'update', 'get',
]);
/** Heads of holders that stand for an organisation, beyond the name vocabulary's (Chinese included). */
const MORE_ORGANISATION_WORDS = new Set([
  'seller', 'employer', 'acquirer', 'corporate', 'corporation', 'enterprise', 'firm', 'retailer', 'provider',
  'regulator', 'proprietorship', 'trust', 'partnership', 'charity', 'association',
  '公司', '商户', '商家', '企业', '机构', '门店', '网点', '单位', '客服', '银行',
]);
const isOrganisationWord = (t: string): boolean => ORGANISATION_WORDS.has(t) || MORE_ORGANISATION_WORDS.has(t);

const singular = (t: string): string => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t);

/** holderHead's answers by name (`null`: none): holders repeat across every property they hold. */
const holderHeads = new Map<string, string | null>();

/** The word that says what a holder is: `merchantContactDetails` → merchant; `storeLocation` → location. */
function holderHead(name: string): string | undefined {
  let head = holderHeads.get(name);
  if (head === undefined) {
    if (holderHeads.size > 100_000) holderHeads.clear();
    const tokens = nameTokens(name).map(singular).filter((t) => !GENERIC_WORDS.has(t) && !/^\d+$/.test(t));
    holderHeads.set(name, (head = tokens.length > 0 ? tokens[tokens.length - 1]! : null));
  }
  return head ?? undefined;
}

/** The first of `names` that has a head, its head. */
function firstHead(names: readonly string[]): string | undefined {
  for (const name of names) {
    const head = holderHead(name);
    if (head !== undefined) return head;
  }
  return undefined;
}

function nearestHolderHeads(ctx: FieldContext): string[] {
  const heads: string[] = [];
  const ancestor = firstHead(ctx.ancestors);
  if (ancestor) heads.push(ancestor);
  const holder = firstHead(ctx.holderNames);
  if (holder) heads.push(holder);
  return heads;
}

/** The description says the value belongs to an organisation: "The company's other bank account", 客服电话, 商户名称. */
const ORGANISATION_TEXT = new RegExp(
  String.raw`\b(?:company|business|merchant|seller|employer|store|shop|branch|bank|institution|organi[sz]ation|acquir(?:er|ing bank)|corporation|vendor|legal entity)(?:'s|’s)(?! (?:customer|shopper|user|cardholder|client|employee)s?\b)`
  + String.raw`|\b(?:of|for) (?:the |a |an |your )?(?:company|business|merchant|seller|employer|store|shop|branch|institution|organi[sz]ation|acquiring bank|financial institution)\b(?! (?:account|card|customer|shopper|user|owner|representative))`
  + '|客服|公司|商户|商家|企业|机构|门店|网点',
  'i',
);
/** ...unless it also says it is a person's: "Social Security number of a principal owner". */
const PERSON_TEXT = /\b(?:individual|natural person|person|shopper|consumer|cardholder|card holder|principal owner|beneficial owner|account holder|customer's|user's|payee's|payer's|employee's|representative's)\b|个人|持卡人|客户姓名|用户姓名/i;

/** A verdict about a value, not the value: Adyen `paymentValidations.name.result.firstName` ("match" / "no match"). */
const VERDICT_TEXT = /\b(?:validation|verification|match(?:ing)?|check) (?:result|status|outcome|response)\b|\binforms you (?:if|whether)\b|\bwhether the\b[^.]*\bmatch|\b(?:raw|result) (?:code|response)\b|\bscore\b|\bconfidence\b|校验结果|验证结果|比对结果|核验结果|是否一致|是否匹配/i;
const VERDICT_HOLDERS = new Set(['validation', 'verification', 'score', 'screening']);

/** The value is not of the category although the name says so: a routing number, the country of an IBAN. */
const NOT_ACCOUNT_TEXT = /\brouting (?:transit )?number\b|\bABA\b|\bBIC\b|\bSWIFT code\b|\bcountry (?:code )?of\b|\bbank (?:id|identifier|identification|code)\b|联行号|行号/;
const NOT_ID_DOCUMENT_TEXT = /\baccounting number\b|\bby which the (?:originator|receiver) is known\b|\bassigned to the (?:payment|transaction|entry)\b|\bACH (?:file|entry)\b|\bcorrespondent bank\b|\bbank (?:id|identification) number\b/i;
/** `individual identification number` is a NACHA reference unless the description names an identity document. */
const ID_DOCUMENT_TEXT = /\b(?:passport|national (?:id|identity|identification)|social security|identity (?:card|document)|driver'?s licen[cs]e|tax(?:payer)? id(?:entification)?)\b|身份证|证件/i;
const NON_VALUE_NAME_WORDS = new Set(['country', 'currency', 'type', 'format', 'length', 'status', 'scheme', 'count', 'score', 'result', 'match', 'mask', 'regex', 'pattern', 'template', 'label', 'url', 'uri', 'link', 'hash', 'token', 'id', 'ids', 'key', 'code', 'flag', 'enabled', 'required']);

/** The description, a type name or an extension declares the value protected: last four digits, 后四位, 密文, encrypted. */
const PROTECTED_TEXT = /\blast (?:4|four) (?:digits|characters|numbers)\b|\bfirst (?:6|six) (?:digits|characters)\b|\bonly (?:includes|contains|returns|shows|has) the last\b|\bmasked\b|\bredacted\b|\bencrypted\b|\bciphertext\b|\bcipher text\b|\bhashed\b|\btokeni[sz]ed\b|后四位|后4位|尾号|前六位|前6位|脱敏|掩码|加密|密文/i;
const UNPROTECTED_TEXT = /\bun-?masked\b|\bnot (?:be )?(?:masked|encrypted)\b|\bin (?:the )?clear\b|\bplain ?text\b|\bdecrypted\b|未脱敏|不脱敏|明文|解密后/i;
const PROTECTED_NAME = /mask|truncat|encrypt|cipher|redact|hashed|last ?4|last ?four/i;

/** Every description the property has says so (a refutation), and there is one. */
const allSay = (ctx: FieldContext, re: RegExp): boolean => ctx.texts.length > 0 && ctx.texts.every((t) => re.test(t));

const isUrlish = (v: unknown): boolean => typeof v === 'string' && /^(?:https?|wss?|ftp):\/\//i.test(v.trim());

function isUrlValue(ctx: FieldContext): boolean {
  if (ctx.formats.some((f) => /^(?:uri|url|uri-reference|iri|iri-reference|uri-template)$/.test(f))) return true;
  const last = nameTokens(ctx.name).pop();
  if (last === 'url' || last === 'uri' || last === 'link' || last === 'href' || last === 'endpoint') return true;
  return ctx.examples.length > 0 && ctx.examples.every(isUrlish);
}

function isOrganisationField(ctx: FieldContext): boolean {
  // The field's own words first: "The Business or Merchant's phone number", "Social Security number of a principal owner".
  if (allSay(ctx, ORGANISATION_TEXT)) return !PERSON_TEXT.test(ctx.text);
  if (PERSON_TEXT.test(ctx.text)) return false;
  return nearestHolderHeads(ctx).some(isOrganisationWord);
}

function isVerdictField(ctx: FieldContext): boolean {
  if (allSay(ctx, VERDICT_TEXT)) return true;
  return ctx.ancestors.slice(0, 3).some((a) => nameTokens(a).map(singular).some((t) => VERDICT_HOLDERS.has(t)));
}

function declaresProtected(ctx: FieldContext): boolean {
  if (PROTECTED_TEXT.test(ctx.text) && !UNPROTECTED_TEXT.test(ctx.text)) return true;
  if (ctx.typeNames.some((n) => PROTECTED_NAME.test(n))) return true;
  return ctx.extensions.some(([key, value]) => value !== false && value !== null && value !== undefined
    && (PROTECTED_NAME.test(key) || /脱敏|加密/.test(key) || (typeof value === 'string' && (PROTECTED_NAME.test(value) || /脱敏|加密|密文/.test(value)))));
}

/** A value that can hold a person's data of this category at all. */
function canHoldPersonalValue(ctx: FieldContext, category: PersonalCategory): boolean {
  if (ctx.enumerated) return false;
  if (ctx.types.size > 0 && [...ctx.types].every((t) => t === 'boolean')) return false;
  // A name is text; an integer "name" is a score or a count.
  if (category === 'person-name' && ctx.types.size > 0 && [...ctx.types].every((t) => t === 'integer' || t === 'number')) return false;
  return !isUrlValue(ctx);
}

// ---------------------------------------------------------------------------------------------
// Names the vocabulary does not know, declared by the description (other languages' field names)
// ---------------------------------------------------------------------------------------------

const PERSON_NAME_TEXT = new RegExp([
  String.raw`^(?:the )?(?:individual|person|customer|cardholder|account holder|user|payer|payee|beneficiary|shopper|owner|employee|applicant)(?:'s|’s) (?:legal |full |first |last |given |family |middle )?name\b`,
  String.raw`\b(?:first|last|given|family|full|legal) name of the (?:individual|person|customer|cardholder|account holder|user|payer|payee|beneficiary|owner|applicant)\b`,
  String.raw`^(?:the )?(?:first|last|given|family|middle) name\b`,
  String.raw`^(?:the )?surname\b`,
  '^(?:姓名|户名|客户姓名|持卡人姓名)',
].join('|'), 'i');
const ID_NUMBER_TEXT = /\b(?:tax(?:payer)? identification number|social security number|national (?:id|identity|identification) (?:number|card number)|passport number|identity (?:card|document) number)\b|身份证号|证件号码/i;
/** Civil-name fields of other languages: Spanish, Portuguese, Italian, German, French, Dutch, Polish, pinyin. */
const OTHER_LANGUAGE_NAME_WORDS = new Set([
  'nombre', 'nombres', 'apellido', 'apellidos', 'nome', 'sobrenome', 'cognome', 'vorname', 'nachname', 'prenom', 'nom',
  'voornaam', 'achternaam', 'imie', 'nazwisko', 'titular', 'xingming', 'mingzi', '名字', '姓氏',
]);
/** Tax and identity numbers of other countries: CPF, CURP, RFC, NIF/NIE, DNI, PESEL, codice fiscale, TIN, Steuer-ID. */
const OTHER_LANGUAGE_ID_WORDS = new Set(['cpf', 'curp', 'rfc', 'nif', 'nie', 'dni', 'pesel', 'fiscale', 'tin', 'itin', 'steuer', 'steuerid', 'nir', 'bsn', 'personnummer']);
const NAME_OR_PERSON_TEXT = /\bname\b|nombre|nome|naam|nachname|vorname|apellido|cognome|titular|\bperson|\bindividual|姓名|名字/i;
const TAX_OR_IDENTITY_TEXT = /\btax\b|fiscal|identi|\bID\b|身份|税/i;

function describedPersonalField(ctx: FieldContext): PersonalFieldMatch | undefined {
  const tokens = nameTokens(ctx.name);
  if (tokens.some((t) => NON_VALUE_NAME_WORDS.has(t))) return undefined;
  if (tokens.some((t) => OTHER_LANGUAGE_NAME_WORDS.has(t)) && NAME_OR_PERSON_TEXT.test(ctx.text)) return { category: 'person-name', maskedByDesign: false };
  if (tokens.some((t) => OTHER_LANGUAGE_ID_WORDS.has(t)) && TAX_OR_IDENTITY_TEXT.test(ctx.text)) return { category: 'id-number', maskedByDesign: false };
  if (PERSON_NAME_TEXT.test(ctx.text.trim())) return { category: 'person-name', maskedByDesign: false };
  if (ID_NUMBER_TEXT.test(ctx.text)) return { category: 'id-number', maskedByDesign: false };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Judgements
// ---------------------------------------------------------------------------------------------

/** 7.2.2: a response property that returns a person's account, card, name, ID or mobile number; undefined = not. */
export function judgePersonalField(ctx: FieldContext): PersonalFieldMatch | undefined {
  const match = classifyPersonalField(ctx.name, ctx.parentName) ?? describedPersonalField(ctx);
  if (!match) return undefined;
  if (!canHoldPersonalValue(ctx, match.category) || isVerdictField(ctx)) return undefined;
  const tokens = nameTokens(ctx.name);
  if (match.category !== 'account-number' && match.category !== 'card-number') {
    // `foreignCorrespondentBankIDNumber`, `merchantPhone`: the name itself says whose it is.
    // (`bankAccountHolderName` is the holder of a bank account: an organisation word before `account` or `card` is not whose.)
    if (tokens.slice(0, -1).some((t, i) => isOrganisationWord(t) && !/^(?:account|acct|card)$/.test(tokens[i + 1] ?? ''))) return undefined;
  }
  if (isOrganisationField(ctx)) return undefined;
  if (match.category === 'account-number' && (allSay(ctx, NOT_ACCOUNT_TEXT) || tokens.some((t) => t === 'country' || t === 'currency'))) return undefined;
  if (match.category === 'id-number') {
    if (allSay(ctx, NOT_ID_DOCUMENT_TEXT)) return undefined;
    if (tokens.join(' ').endsWith('individual identification number') && !ID_DOCUMENT_TEXT.test(ctx.text)) return undefined;
  }
  if (match.category === 'card-number' && [...ctx.ancestors.slice(0, 2), ...ctx.holderNames.slice(0, 1)].some((a) => nameTokens(a).some((t) => NON_BANK_CARD_WORDS.has(t)))) {
    return undefined;
  }
  if (!match.maskedByDesign && declaresProtected(ctx)) return { ...match, maskedByDesign: true };
  return match;
}

/** Holders of an integration's own credentials (a connector's API password), not a customer's payment credentials. */
const INTEGRATION_WORDS = new Set([
  'config', 'configuration', 'setting', 'settings', 'connector', 'connection', 'credential', 'credentials', 'integration',
  'webhook', 'sftp', 'ftp', 'smtp', 'proxy', 'database', 'db', 'ldap', 'wifi', 'email', 'mail', 'keystore', 'truststore',
]);
/** Secrets of documents, not of cards: a report's access PIN, an invoice's 密码 (its cipher text), a PDF's password. */
const DOCUMENT_WORDS = new Set(['report', 'statement', 'document', 'file', 'pdf', 'archive', 'zip', 'invoice', 'receipt', 'attachment', 'export', 'download', 'fapiao', '发票', '报告', '报表', '文件']);
const DOCUMENT_TEXT = /\b(?:report|statement|document|pdf|archive|zip file|invoice|receipt|attachment|download)s?\b|发票|报告|报表|文件/i;
const CARD_CONTEXT_TEXT = /\bcard\b|\bcardholder\b|\bpayment\b|\btransaction\b|\bATM\b|卡|支付|交易/i;

/** 7.2.2, 9.3.3: a response property that returns a CVV, password, PIN or track data; undefined = not. */
export function judgePaymentSensitiveField(ctx: FieldContext): PaymentSensitiveCategory | undefined {
  const category = classifyPaymentSensitiveField(ctx.name, ctx.parentName);
  if (!category) return undefined;
  if (isUrlValue(ctx) || ctx.enumerated) return undefined;
  if (ctx.types.size > 0 && [...ctx.types].every((t) => t === 'boolean')) return undefined;
  const around = [...nameTokens(ctx.name), ...ctx.ancestors.slice(0, 3).flatMap(nameTokens), ...ctx.holderNames.slice(0, 2).flatMap(nameTokens)].map(singular);
  if (category !== 'card-verification-code' && category !== 'track-data' && around.some((t) => INTEGRATION_WORDS.has(t))) return undefined;
  const documentContext = around.some((t) => DOCUMENT_WORDS.has(t)) || (DOCUMENT_TEXT.test(ctx.text) && !CARD_CONTEXT_TEXT.test(ctx.text));
  if ((category === 'pin' || category === 'password') && documentContext) return undefined;
  if (PROTECTED_TEXT.test(ctx.text) && !UNPROTECTED_TEXT.test(ctx.text)) return undefined;
  return category;
}

// ---------------------------------------------------------------------------------------------
// Entry points of the checks: the name gates cheaply, the context is built only for candidates
// ---------------------------------------------------------------------------------------------

const MAY_DESCRIBE_PERSONAL = /name|number|姓名|身份证|证件/i;

// This gate runs for every response property of every media type (Stripe: ~10^5 times over ~10^4 schema objects and a
// few thousand names): its name part is remembered per name, its description part per schema object.
const otherLanguageName = new Map<string, boolean>();
const describesPersonal = new WeakMap<object, boolean>();

/**
 * Whether a property's name (with its holder's name) or one of its nodes' descriptions may say personal data: the
 * part of mayBePersonal that one node answers, so that a property none of whose nodes passes is never grouped.
 */
export function mayBePersonalNode(propertyName: string, parentName: string | undefined, schema: Record<string, unknown>): boolean {
  if (classifyPersonalField(propertyName, parentName)) return true;
  let other = otherLanguageName.get(propertyName);
  if (other === undefined) {
    if (otherLanguageName.size > 100_000) otherLanguageName.clear();
    other = nameTokens(propertyName).some((t) => OTHER_LANGUAGE_NAME_WORDS.has(t) || OTHER_LANGUAGE_ID_WORDS.has(t));
    otherLanguageName.set(propertyName, other);
  }
  if (other) return true;
  let says = describesPersonal.get(schema);
  if (says === undefined) {
    const d = schema.description;
    says = typeof d === 'string' && MAY_DESCRIBE_PERSONAL.test(d) && (PERSON_NAME_TEXT.test(d.trim()) || ID_NUMBER_TEXT.test(d));
    describesPersonal.set(schema, says);
  }
  return says;
}

function mayBePersonal(view: PropertyView): boolean {
  for (const node of view.nodes) if (mayBePersonalNode(view.propertyName, view.parentName, node.schema)) return true;
  return false;
}

/** The gate of the payment-sensitive judgement (judgePaymentSensitiveProperty answers only for names that pass). */
export function mayBePaymentSensitive(propertyName: string, parentName: string | undefined): boolean {
  return classifyPaymentSensitiveField(propertyName, parentName) !== undefined;
}

export function judgePersonalProperty(view: PropertyView, rootFile?: string): PersonalFieldMatch | undefined {
  if (!view.scalar || !mayBePersonal(view)) return undefined;
  return judgePersonalField(fieldContext(view, rootFile));
}

export function judgePaymentSensitiveProperty(view: PropertyView, rootFile?: string): PaymentSensitiveCategory | undefined {
  if (!view.scalar || !mayBePaymentSensitive(view.propertyName, view.parentName)) return undefined;
  return judgePaymentSensitiveField(fieldContext(view, rootFile));
}

/** What openapi.responseMasking finds in a response property: personal data by name and context, or in an example. */
export type PersonalVerdict =
  | { match: PersonalFieldMatch; example?: undefined }
  | { match?: undefined; example: { category: PersonalCategory; value: string } };

export function personalVerdict(property: PropertyView, rootFile?: string): PersonalVerdict | undefined {
  let match = judgePersonalProperty(property, rootFile);
  if (match?.category === 'person-name' && property.nodes.some((n) => describesNonPersonName(n.schema))) match = undefined;
  if (match) return { match };
  // A field whose name says nothing, but whose example shows a card, ID or mobile number in clear.
  if (!property.scalar) return undefined;
  for (const n of property.nodes) {
    const { example, examples } = n.schema;
    if (example !== undefined) {
      const category = personalDataInNamedValue(example, property.propertyName);
      if (category) return { example: { category, value: String(example) } };
    }
    if (Array.isArray(examples)) {
      for (const e of examples) {
        const category = personalDataInNamedValue(e, property.propertyName);
        if (category) return { example: { category, value: String(e) } };
      }
    }
  }
  return undefined;
}

/**
 * The gate of personalVerdict: a property none of whose nodes passes gets none. Its name or description may say
 * personal data, or an example shows it whatever the name (personalDataInNamedValue only takes verdicts away from
 * personalDataInValue).
 */
export function mayHavePersonalVerdict(propertyName: string, parentName: string | undefined, schema: Record<string, unknown>): boolean {
  if (mayBePersonalNode(propertyName, parentName, schema)) return true;
  if (schema.example !== undefined && personalDataInValue(schema.example) !== undefined) return true;
  const { examples } = schema;
  return Array.isArray(examples) && examples.some((e) => personalDataInValue(e) !== undefined);
}
