import { describe, expect, it } from 'vitest';
import {
  classifyDisclosureProperty,
  classifyPaymentSensitiveField,
  classifyPersonalField,
  classifyProtectionName,
  describesNonPersonName,
  findDisclosureInText,
  hasVersionInPath,
  isVersionParameterName,
  nameTokens,
} from './vocabulary.js';
import { maskingDeclaration, parentPropertyName, safeExcerpt } from './walk.js';

describe('nameTokens', () => {
  it.each([
    ['accountHolderName', ['account', 'holder', 'name']],
    ['account_holder_name', ['account', 'holder', 'name']],
    ['X-JWS-Signature', ['x', 'jws', 'signature']],
    ['PANSequenceNumber', ['pan', 'sequence', 'number']],
    ['last4', ['last', '4']],
    ['cvv2', ['cvv', '2']],
    ['持卡人姓名', ['持卡人姓名']],
  ])('%s', (name, tokens) => expect(nameTokens(name)).toEqual(tokens));
});

describe('classifyPersonalField (7.2.2 account no., card no., name, ID no., mobile)', () => {
  it.each([
    // [property, parent, category]: real field names of Stripe, Adyen, PayPal, OBUK, GOV.UK Pay, Alipay, Chinese banks
    ['cardNumber', undefined, 'card-number'],
    ['card_number', undefined, 'card-number'],
    ['cardNo', undefined, 'card-number'],
    ['pan', undefined, 'card-number'],
    ['PrimaryAccountNumber', undefined, 'card-number'],
    ['number', 'card', 'card-number'],
    ['number', 'paymentCard', 'card-number'],
    ['卡号', undefined, 'card-number'],
    ['accountNumber', undefined, 'account-number'],
    ['account_number', undefined, 'account-number'],
    ['acctNo', undefined, 'account-number'],
    ['iban', undefined, 'account-number'],
    ['bban', undefined, 'account-number'],
    ['Identification', 'DebtorAccount', 'account-number'],
    ['Identification', 'Account', 'account-number'],
    ['账号', undefined, 'account-number'],
    ['idNumber', undefined, 'id-number'],
    ['id_number', undefined, 'id-number'],
    ['idCardNo', undefined, 'id-number'],
    ['certNo', undefined, 'id-number'],
    ['cert_no', undefined, 'id-number'],
    ['nationalId', undefined, 'id-number'],
    ['passportNumber', undefined, 'id-number'],
    ['证件号码', undefined, 'id-number'],
    ['mobile', undefined, 'mobile-number'],
    ['mobileNo', undefined, 'mobile-number'],
    ['phoneNumber', undefined, 'mobile-number'],
    ['phone_number', undefined, 'mobile-number'],
    ['phone', 'billing_details', 'mobile-number'],
    ['telephoneNumber', undefined, 'mobile-number'],
    ['cellphoneNumber', undefined, 'mobile-number'],
    ['手机号', undefined, 'mobile-number'],
    ['holderName', undefined, 'person-name'],
    ['cardholder_name', undefined, 'person-name'],
    ['cardHolderName', undefined, 'person-name'],
    ['account_holder_name', undefined, 'person-name'],
    ['customerName', undefined, 'person-name'],
    ['realName', undefined, 'person-name'],
    ['full_name', undefined, 'person-name'],
    ['firstName', undefined, 'person-name'],
    ['last_name', undefined, 'person-name'],
    ['given_name', undefined, 'person-name'],
    ['familyName', undefined, 'person-name'],
    ['surname', undefined, 'person-name'],
    ['debtorName', undefined, 'person-name'],
    ['creditorName', undefined, 'person-name'],
    ['shopperName', undefined, 'person-name'],
    ['name', 'payer', 'person-name'],
    ['Name', 'Debtor', 'person-name'],
    ['name', 'cardholder', 'person-name'],
    ['name', 'user', 'person-name'],
    ['姓名', undefined, 'person-name'],
    ['xm', undefined, 'person-name'],
    ['given_name', 'customers', 'person-name'],
    ['name', 'customers', 'person-name'],
    // Adyen LegalEntity identificationData.cardNumber is the number of an identity card
    ['cardNumber', 'identificationData', 'id-number'],
  ])('%s (under %s) is %s', (name, parent, category) => {
    expect(classifyPersonalField(name, parent)).toEqual({ category, maskedByDesign: false });
  });

  it.each([
    // Not personal data of 7.2.2: organisations' names, labels, identifiers, references, bank routing codes
    ['name', undefined],
    ['name', 'branch'],
    ['name', 'product'],
    ['name', 'merchant'],
    ['name', 'bank'],
    ['bankName', undefined],
    ['bank_name', undefined],
    ['merchantName', undefined],
    ['fileName', undefined],
    ['filename', undefined],
    ['displayName', undefined],
    ['display_name', undefined],
    ['company_name', undefined],
    ['business_name', undefined],
    ['dbaName', undefined],
    ['brand_name', undefined],
    ['accountName', undefined],
    ['sourceAccountName', undefined],
    ['username', undefined],
    ['nickname', undefined],
    ['SchemeName', undefined],
    ['orderNumber', undefined],
    ['orderNo', undefined],
    ['transactionId', undefined],
    ['referenceNumber', undefined],
    ['invoice_number', undefined],
    ['tracking_number', undefined],
    ['confirmation_number', undefined],
    ['routing_number', undefined],
    ['bsb_number', undefined],
    ['PanSequenceNumber', undefined],
    ['cardNumberType', undefined],
    ['card_id', undefined],
    ['accountId', undefined],
    ['number', 'gift_card'],
    ['number', 'address'],
    ['buildingNumber', undefined],
    ['support_phone', undefined],
    ['phone', 'business_profile'],
    ['phone', 'company'],
    ['phoneCountryCode', undefined],
    ['tax_id', undefined],
    ['id', undefined],
    ['node_id', undefined],
    ['certId', undefined],
    ['Identification', 'Servicer'],
    // Berlin Group card acceptor, Adyen sub-merchants, Square business locations: published contact numbers
    ['cardAcceptorPhone', undefined],
    ['phoneNumber', 'subMerchants'],
    ['phone_number', 'locations'],
    ['full_name', 'repository'],
    ['name', 'team'],
  ])('%s (under %s) is not personal data', (name, parent) => {
    expect(classifyPersonalField(name, parent)).toBeUndefined();
  });

  it.each([
    ['last4', 'card-number'],
    ['lastFourDigits', 'card-number'],
    ['first6', 'card-number'],
    ['last_digits_card_number', 'card-number'],
    ['first_digits_card_number', 'card-number'],
    ['maskedPan', 'card-number'],
    ['maskedCardNumber', 'card-number'],
    ['encryptedCardNumber', 'card-number'],
    ['maskedAccountNumber', 'account-number'],
    ['truncatedIban', 'account-number'],
    ['maskedMobile', 'mobile-number'],
  ])('%s is a %s masked by design', (name, category) => {
    expect(classifyPersonalField(name)).toEqual({ category, maskedByDesign: true });
  });
});

describe('describesNonPersonName', () => {
  it.each([
    [{ type: 'string', example: 'octocat/Hello-World' }, true],
    [{ type: 'string', description: 'The full, globally unique, name of the repository.' }, true],
    [{ type: 'string', description: 'Full name of the account holder, as registered with the bank.' }, false],
    [{ type: 'string', example: 'Zhang San' }, false],
    [{ type: 'string', example: '张三' }, false],
    [{ type: 'string' }, false],
  ])('%j → %s', (schema, expected) => expect(describesNonPersonName(schema)).toBe(expected));
});

describe('classifyPaymentSensitiveField (7.2.2, 9.3.3)', () => {
  it.each([
    ['cvv', undefined, 'card-verification-code'],
    ['cvc', undefined, 'card-verification-code'],
    ['cvn', undefined, 'card-verification-code'],
    ['cvv2', undefined, 'card-verification-code'],
    ['CVC2', undefined, 'card-verification-code'],
    ['securityCode', 'card', 'card-verification-code'],
    ['security_code', 'payment_card', 'card-verification-code'],
    ['cardSecurityCode', undefined, 'card-verification-code'],
    ['password', undefined, 'password'],
    ['loginPassword', undefined, 'password'],
    ['pwd', undefined, 'password'],
    ['交易密码', undefined, 'password'],
    ['pin', undefined, 'pin'],
    ['pinBlock', undefined, 'pin'],
    ['track2', undefined, 'track-data'],
    ['track_1', undefined, 'track-data'],
    ['trackData', undefined, 'track-data'],
    ['磁道信息', undefined, 'track-data'],
  ])('%s (under %s) is %s', (name, parent, category) => {
    expect(classifyPaymentSensitiveField(name, parent)).toBe(category);
  });

  it.each([
    // Stripe cvc_check and Adyen cvcResult report the verification outcome, not the code
    ['cvc_check', undefined],
    ['cvcResult', undefined],
    ['securityCode', 'smsChallenge'],
    ['verification_code', undefined],
    ['password_required', undefined],
    ['hasPassword', undefined],
    ['pinRequired', undefined],
    ['pinned', undefined],
    ['tracking_number', undefined],
    ['track', undefined],
    ['passwordPolicy', undefined],
    // AWS Payment Cryptography and Adyen return protected forms, not the secret in clear
    ['EncryptedPinBlock', undefined],
    ['encryptedPassword', undefined],
    ['PinData', undefined],
  ])('%s (under %s) is not payment-sensitive', (name, parent) => {
    expect(classifyPaymentSensitiveField(name, parent)).toBeUndefined();
  });
});

describe('classifyProtectionName (request signature / MAC)', () => {
  it.each([
    ['Signature', 'signature'],
    ['Signature-Input', 'signature'],
    ['x-jws-signature', 'signature'],
    ['X-Bunq-Client-Signature', 'signature'],
    ['sign', 'signature'],
    ['X-Sign', 'signature'],
    ['x-hmac', 'mac'],
    ['X-MAC', 'mac'],
    ['X-Payload-HMAC', 'mac'],
    ['payone-hmac-sha256', 'mac'],
  ])('%s carries a %s', (name, kind) => expect(classifyProtectionName(name)).toBe(kind));

  it.each(['TPP-Signature-Certificate', 'Digest', 'machine-id', 'x-mac-address', 'sign_type', 'X-Signature-Key-Id', 'Authorization', 'x-idempotency-key', 'design'])(
    '%s is not a signature by itself',
    (name) => expect(classifyProtectionName(name)).toBeUndefined(),
  );
});

describe('error-disclosure vocabulary (7.1)', () => {
  it.each([
    ['stackTrace', 'stack-trace'],
    ['stack_trace', 'stack-trace'],
    ['stack', 'stack-trace'],
    ['exception', 'exception'],
    ['exceptionClass', 'exception'],
    ['sqlState', 'sql'],
    ['sql', 'sql'],
    ['hostname', 'host'],
    ['serverVersion', 'server-version'],
  ])('property %s discloses %s', (name, kind) => expect(classifyDisclosureProperty(name)).toBe(kind));

  it.each(['traceId', 'trace_id', 'debug_id', 'correlationId', 'message', 'code', 'tppMessages', 'errors', 'hostedUrl', 'stackId'])(
    'property %s discloses nothing',
    (name) => expect(classifyDisclosureProperty(name)).toBeUndefined(),
  );

  it.each([
    ['java.lang.NullPointerException\n\tat com.bank.api.AccountController.get(AccountController.java:42)', 'exception'],
    ['\tat com.bank.api.AccountController.get(AccountController.java:42)', 'stack-trace'],
    ['Traceback (most recent call last):\n  File "/app/views.py", line 12, in get', 'stack-trace'],
    ['   at Bank.Api.Controllers.AccountsController.Get(Int32 id) in C:\\src\\AccountsController.cs:line 27', 'stack-trace'],
    ['    at Object.<anonymous> (/srv/app/index.js:10:15)', 'stack-trace'],
    ['ORA-00942: table or view does not exist', 'sql'],
    ['SQLSTATE[42S02]: Base table not found', 'sql'],
    ['SELECT acct_no, balance FROM t_account WHERE id = 1', 'sql'],
    ['nginx/1.18.0', 'server-version'],
    ['Apache Tomcat/9.0.41 - Error report', 'server-version'],
    ['upstream 10.12.3.4:8080 timed out', 'internal-address'],
    ['connect to 192.168.1.20 failed', 'internal-address'],
    ['172.20.0.5 refused', 'internal-address'],
  ])('example %j discloses %s', (text, kind) => expect(findDisclosureInText(text)?.kind).toBe(kind));

  it.each([
    'Please select an account from the list',
    'The request body is invalid: field amount must be positive',
    'ValidationError: amount',
    'Insufficient funds',
    'Rate limit exceeded; retry after 60 seconds',
    'See https://api.example.com/v1.2/docs',
    '172.15.0.1 is a public address',
    'API version 10.1.2.3 of the statement format',
  ])('example %j discloses nothing', (text) => {
    if (text.startsWith('API version')) {
      // Four dotted numbers beginning with 10. cannot be told from an address: reported, by design.
      expect(findDisclosureInText(text)?.kind).toBe('internal-address');
    } else expect(findDisclosureInText(text)).toBeUndefined();
  });
});

describe('version vocabulary (7.2.2)', () => {
  it.each(['https://api.bank.cn/open/v1', '/v2/accounts', 'https://api.example.com/2010-04-01/Accounts', '/api/1.0/x', 'https://h/{version}/x'])(
    '%s carries a version',
    (u) => expect(hasVersionInPath(u)).toBe(true),
  );
  it.each(['https://api.v1.bank.cn/open', '/accounts/{id}', 'https://api.bank.cn'])('%s carries none', (u) => expect(hasVersionInPath(u)).toBe(false));
  it.each(['Api-Version', 'X-GitHub-Api-Version', 'Stripe-Version', 'version', 'x-api-ver'])('%s selects a version', (n) => expect(isVersionParameterName(n)).toBe(true));
  it.each(['x-fapi-financial-id', 'versionId2', 'conversion'])('%s does not', (n) => expect(isVersionParameterName(n)).toBe(false));
});

describe('parentPropertyName', () => {
  const node = (path: string) => ({ path, schema: {}, location: { file: 'f' } });
  it.each([
    ['card.number', 'card'],
    ['data[].cardNo', 'data'],
    ['Data.Account[].Account[].Identification', 'Account'],
    ['results.items.cardNo', 'items'],
    ['map.*.cardNo', 'map'],
    ['payer.name.given_name', 'name'],
    ['cardNo', undefined],
  ])('%s → %s', (path, parent) => expect(parentPropertyName(node(path))).toBe(parent));
});

describe('maskingDeclaration (how a response property says it is masked)', () => {
  it.each([
    [{ type: 'string', 'x-masking': true }, 'x-masking'],
    [{ type: 'string', 'x-masking': 'first6last4' }, 'x-masking'],
    [{ type: 'string', pattern: '^\\d{6}\\*+\\d{4}$' }, 'pattern'],
    [{ type: 'string', pattern: '^[0-9*]{16,19}$' }, 'pattern'],
    [{ type: 'string', format: 'masked' }, 'format'],
    [{ type: 'string', format: 'masked-pan' }, 'format'],
    [{ type: 'string', description: 'Masked card number' }, 'description'],
    [{ type: 'string', description: '证件号码，脱敏' }, 'description'],
    [{ type: 'string', description: '手机号（中间四位屏蔽）' }, 'description'],
    [{ type: 'string', example: '622202******1234' }, 'example'],
  ])('%j → %s', (schema, how) => expect(maskingDeclaration(schema)).toBe(how));

  it.each([
    [{ type: 'string' }],
    [{ type: 'string', 'x-masking': false }],
    [{ type: 'string', 'x-masking': 'none' }],
    [{ type: 'string', pattern: '^[0-9]{16,19}$' }],
    [{ type: 'string', pattern: '^.*$' }],
    [{ type: 'string', description: 'Unmasked card number, returned in clear to PCI-compliant callers' }],
    [{ type: 'string', description: '手机号码（明文，不脱敏）' }],
    [{ type: 'string', description: 'Name of the cardholder; truncated to 255 characters' }],
    [{ type: 'string', example: '6222021234561234' }],
  ])('%j declares no masking', (schema) => expect(maskingDeclaration(schema)).toBeUndefined());
});

describe('safeExcerpt', () => {
  it('masks card-like digit runs and internal host parts', () => {
    expect(safeExcerpt('card 6222021234567890123 failed at 10.1.2.3')).toBe('card 622202*********0123 failed at 10.1.*.*');
  });
});

describe('issue 18: names the vocabulary missed or took wrongly', () => {
  it.each([
    ['account', 'ach_credit_transfer', 'account-number'],
    ['account', 'ach', 'account-number'],
    ['number', 'bank_account', 'account-number'],
    ['names', 'owner', 'person-name'],
    ['NationalId', 'Principal', 'id-number'],
  ])('%s under %s → %s', (name, parent, category) => expect(classifyPersonalField(name, parent)?.category).toBe(category));

  it.each([
    ['giftCardNumber', undefined],
    ['quotaCardNo', undefined],
    ['number', 'loyaltyCard'],
    ['card_no', 'giftCard'],
    ['account', 'bank_account'],
  ])('%s under %s is no bank card or account', (name, parent) => expect(classifyPersonalField(name, parent)).toBeUndefined());

  it.each(['cvvNumber', 'cvv_number', 'cvc_no', 'cardVerificationNumber', 'cvn2Number'])('%s is a card verification code', (name) =>
    expect(classifyPaymentSensitiveField(name)).toBe('card-verification-code'));

  it('token lists are memoised but never shared: a caller may change its copy', () => {
    const first = nameTokens('cardHolderName');
    first.pop();
    expect(nameTokens('cardHolderName')).toEqual(['card', 'holder', 'name']);
  });
});
