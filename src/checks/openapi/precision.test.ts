/**
 * The classes of findings a bank refuted on real bank and payment specs (issue 18), each as a table row: the shapes
 * are those of the specs named (Adyen, Mastercard MATCH, moov, Unit, Lithic, bunq, Mojaloop, dwolla, Alipay-style open
 * platforms), reduced to the fields that matter. Measured on the real files by test/openapi-precision.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { testCheck, runCheck } from '../testing.js';
import { defaultRegistry } from '../index.js';
import { obj, op, scheme, spec, str } from './build.test-helpers.js';
import { personalDataInExample, personalDataInValue } from './example-values.js';
import { exampleText } from './walk.js';

const ok = (expectLen: number) => Array.from({ length: expectLen }, () => 'pass' as const);

testCheck('openapi.responseMasking', {
  valid: [
    {
      name: 'values that cannot be a person\'s data: enums of match results, integer scores, booleans, URLs',
      bundle: spec({
        operations: [
          op('post /payments', {
            responses: {
              '200': {
                schema: obj({
                  // Adyen paymentValidations.name.result.firstName: "match" / "noMatch"
                  paymentValidations: obj({ name: obj({ result: obj({ firstName: str({ description: 'Informs you if the first name your shopper provided matches the cardholder first name on file.' }) }) }) }),
                  pan: str({ enum: ['AUTO_ENTRY', 'CONTACTLESS', 'KEY_ENTERED'] }),
                  nameScore: { type: 'integer' },
                  lastName: { type: 'integer', description: 'name match score' },
                  phoneVerified: { type: 'boolean' },
                  phone: str({ format: 'uri' }),
                }),
              },
            },
          }),
        ],
      }),
      expect: [],
    },
    {
      name: 'declared masked or encrypted by description, type or extension: last 4 digits, 后四位, 加密, 密文, ciphertext, MaskedPan',
      bundle: spec({
        operations: [
          op('get /cards/{id}', {
            responses: {
              '200': {
                schema: obj({
                  card: obj({ number: str({ description: 'The card number. For security, the response only includes the last four digits.' }) }),
                  cardNo: str({ description: '卡号后四位' }),
                  acctNo: str({ description: '账号（加密）' }),
                  idNo: str({ description: '证件号码密文' }),
                  accountNumber: str({ description: 'The base64 encoded encrypted account number' }),
                  mobile: str({ 'x-data-protection': 'masked' }),
                }),
              },
            },
          }),
        ],
      }),
      expect: ok(6),
    },
    {
      name: 'phones, names and IDs of a company, merchant, store or customer service (客服, 公司, 商户)',
      bundle: spec({
        operations: [
          op('post /fraud/merchant/inquiry', {
            responses: {
              '200': {
                schema: obj({
                  Principal: obj({ PhoneNumber: str({ description: "The Business or Merchant's phone number, including the area code." }) }),
                  counter_bank_iban: str({ description: "The company's other bank account IBAN, through which we verify it." }),
                  merchantContact: obj({ firstName: str(), phone: str() }),
                  storeLocation: obj({ phone: str() }),
                  客服电话: str(),
                  商户: obj({ 手机号: str() }),
                  vendor: obj({ contacts: { type: 'array', items: obj({ phone_number: str() }) } }),
                  soleProprietorship: obj({ name: str({ description: 'The legal name.' }) }),
                }),
              },
            },
          }),
        ],
      }),
      expect: [],
    },
    {
      name: 'card numbers of gift, quota and loyalty cards are platform identifiers; bank identifiers are not accounts',
      bundle: spec({
        operations: [
          op('get /gift-cards/{id}', {
            responses: {
              '200': {
                schema: obj({
                  giftCardNumber: str(),
                  quotaCard: obj({ number: str() }),
                  loyalty_card: obj({ card_no: str() }),
                  drawdownCreditAccountNumber: str({ description: 'DrawdownCreditAccountNumber 9 character ABA' }),
                  country_iban: str({ description: 'The country of the monetary account IBAN.' }),
                  receiverIDNumber: str({ description: 'Receiver Identification Number contains the accounting number by which the Originator is known to the Receiver.' }),
                }),
              },
            },
          }),
        ],
      }),
      expect: [],
    },
    {
      name: 'a masked example passes; a free-text pattern admitting * with a masked example still masks',
      bundle: spec({
        operations: [
          op('get /cards/{id}', {
            responses: { '200': { schema: obj({ cardNo: str({ pattern: '^[0-9*]{13,19}$', example: '6222****1234' }), note: str({ example: '6222****1234' }) }) } },
          }),
        ],
      }),
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'missed before: CVV-less number fields under an account or ACH object, names[] under an owner',
      bundle: spec({
        operations: [
          op('get /sources/{id}', {
            responses: {
              '200': {
                schema: obj({
                  ach_credit_transfer: obj({ account: str() }),
                  bank_account: obj({ number: str() }),
                  owner: obj({ names: { type: 'array', items: str() } }),
                }),
              },
            },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', subject: 'GET /sources/{id} → ach_credit_transfer.account', message: 'account number' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /sources/{id} → bank_account.number', message: 'account number' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /sources/{id} → owner.names[]', message: 'name' },
      ],
    },
    {
      name: "civil names and tax/ID numbers under other languages' names, where the description says so",
      bundle: spec({
        operations: [
          op('get /clientes/{id}', {
            responses: {
              '200': {
                schema: obj({
                  nombre: str({ description: 'Nombre del titular de la cuenta' }),
                  cpf: str({ description: 'CPF: tax identification number of the customer' }),
                  legal_name: str({ description: "The person's legal name." }),
                  xm: str(),
                }),
              },
            },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', subject: 'GET /clientes/{id} → nombre', message: 'name' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /clientes/{id} → cpf', message: 'ID number' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /clientes/{id} → legal_name', message: 'name' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /clientes/{id} → xm', message: 'name' },
      ],
    },
    {
      name: 'a free-text pattern that happens to admit * is no masking when the example shows a clear name',
      bundle: spec({
        operations: [op('get /customers/{id}', { responses: { '200': { schema: obj({ holderName: str({ pattern: '^[\\w .*-]{1,70}$', example: 'Wang Xiaoming' }) }) } } })],
      }),
      expect: [{ status: 'fail', messageId: 'unmasked', subject: 'GET /customers/{id} → holderName' }],
    },
    {
      name: "a person's data beside an organisation: the principal owner's national ID, a business customer's controller",
      bundle: spec({
        operations: [
          op('post /fraud/merchant/inquiry', {
            responses: {
              '200': {
                schema: obj({
                  Merchant: obj({ Principal: obj({ NationalId: str({ description: 'The Social Security number of a principal owner.' }) }) }),
                  controller: obj({ firstName: str() }),
                  bankAccountHolderName: str(),
                }),
              },
            },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', subject: 'POST /fraud/merchant/inquiry → Merchant.Principal.NationalId' },
        { status: 'fail', messageId: 'unmasked', subject: 'POST /fraud/merchant/inquiry → controller.firstName' },
        { status: 'fail', messageId: 'unmasked', subject: 'POST /fraud/merchant/inquiry → bankAccountHolderName' },
      ],
    },
    {
      name: 'examples show what the names do not: a Luhn-valid PAN, a GB 11643 ID, a mainland mobile, in clear',
      bundle: spec({
        operations: [
          op('get /orders/{id}', {
            responses: {
              '200': {
                // 6222020200112233445 is not Luhn-valid; 6228480402564890018 is (ABC prefix 622848).
                // A trace or reference number that happens to look like a card or a mobile is neither (moov foreignTraceNumber).
                schema: obj({ memo: str({ example: '6228480402564890018' }), note: str({ example: '6222020200112233445' }), foreignTraceNumber: str({ example: '19846249812' }), orderRef: str({ example: '6228480402564890018' }) }),
                examples: [{ data: { buyer: { cert: '11010519491231002X', tel: '13812345678' }, masked: '138****5678' } }],
              },
            },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'exampleUnmasked', subject: 'GET /orders/{id} → memo', message: 'shows card number in clear (622848*********0018)' },
        { status: 'fail', messageId: 'exampleUnmasked', subject: 'GET /orders/{id} 200 example → data.buyer.cert', message: 'ID number' },
        { status: 'fail', messageId: 'exampleUnmasked', subject: 'GET /orders/{id} 200 example → data.buyer.tel', message: 'mobile number' },
      ],
    },
    {
      name: 'an example too deep to read whole is examined as far as it goes and warned about, never clean',
      bundle: spec({
        operations: [op('get /deep', { responses: { '200': { schema: obj({ id: str() }), examples: [deepExample(200, { tel: '13812345678' }, { cardNo: '6228480402564890018' })] } } })],
      }),
      expect: [
        { status: 'fail', messageId: 'exampleUnmasked', message: 'card number' },
        { status: 'warn', messageId: 'exampleCut' },
      ],
    },
  ],
});

/** An example nested `depth` levels deep, with `top` at the first level and `bottom` at the last. */
function deepExample(depth: number, bottom: Record<string, unknown>, top: Record<string, unknown>): unknown {
  let value: Record<string, unknown> = bottom;
  for (let i = 0; i < depth; i++) value = { next: value };
  return { ...top, next: value };
}

testCheck('openapi.noPaymentSensitiveInResponse', {
  valid: [
    {
      name: 'a URL is never a password; a report-access PIN and an invoice 密码 are no card credentials; a connector\'s own password is configuration',
      bundle: spec({
        operations: [
          op('get /reports/{id}', {
            responses: {
              '200': {
                schema: obj({
                  password: str({ format: 'uri' }),
                  reset_password: str({ example: 'https://example.com/reset' }),
                  report: obj({ pin: str({ description: 'PIN to open the PDF report' }) }),
                  invoice: obj({ 密码: str({ description: '发票密码区（密文）' }) }),
                  config: obj({ password: str() }),
                  encryptedPin: str(),
                }),
              },
            },
          }),
        ],
      }),
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'a CVV whose name ends in "number", a card PIN in clear',
      bundle: spec({
        operations: [op('get /cards/{id}', { responses: { '200': { schema: obj({ cvvNumber: str(), card: obj({ cvc_no: str(), pin_code: str({ description: 'The plaintext pin code.' }) }) }) } } })],
      }),
      expect: [
        { status: 'fail', messageId: 'sensitiveInResponse', subject: 'GET /cards/{id} → cvvNumber' },
        { status: 'fail', messageId: 'sensitiveInResponse', subject: 'GET /cards/{id} → card.cvc_no' },
        { status: 'fail', messageId: 'sensitiveInResponse', subject: 'GET /cards/{id} → card.pin_code' },
      ],
    },
  ],
});

const JWS = scheme('jws', 'http', { httpScheme: 'bearer' });

testCheck('openapi.requestSignature', {
  valid: [
    {
      name: 'an application/jwt or application/jose request body is a signed request (JWS)',
      params: { level: 'A2', accept: ['signature'] },
      bundle: spec({
        securitySchemes: [JWS],
        operations: [
          op('post /payments', { requestBody: { mediaType: 'application/jwt', schema: str() } }),
          op('post /transfers', { requestBody: { mediaType: 'application/jose', schema: str() } }),
        ],
      }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'a required body field sign with sign_type RSA2 / SM2 is a digital signature (Alipay-style open platforms)',
      params: { level: 'A2', accept: ['signature'] },
      bundle: spec({
        operations: [
          op('post /gateway.do', {
            requestBody: {
              mediaType: 'application/x-www-form-urlencoded',
              schema: { type: 'object', required: ['app_id', 'sign', 'sign_type'], properties: { app_id: str(), sign_type: str({ enum: ['RSA2', 'SM2'] }), sign: str() } },
            },
          }),
        ],
      }),
      expect: ['pass'],
    },
    {
      name: 'Swagger 2.0 form fields: a required sign with a required sign_type SM2',
      params: { level: 'A2', accept: ['signature'] },
      bundle: spec({
        version: '2.0',
        operations: [
          op('post /api/trade', {
            params: [
              { name: 'sign', in: 'formData', required: true, schema: str({ maxLength: 512 }) },
              { name: 'sign_type', in: 'formData', required: true, schema: str({ enum: ['SM2'] }) },
            ],
          }),
        ],
      }),
      expect: ['pass'],
    },
    {
      name: 'the integrity rule accepts a MAC: sign with sign_type HMAC-SHA256',
      params: { accept: ['mac', 'signature'] },
      bundle: spec({
        operations: [
          op('post /pay', {
            level: 'A1',
            requestBody: { schema: { type: 'object', required: ['sign', 'sign_type'], properties: { sign_type: str({ enum: ['HMAC-SHA256'] }), sign: str() } } },
          }),
        ],
      }),
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'A2 needs a signature: a MAC (sign_type HMAC-SHA256, a Signature header described as HMAC) is not one',
      params: { level: 'A2', accept: ['signature'] },
      bundle: spec({
        operations: [
          op('post /pay', { requestBody: { schema: { type: 'object', required: ['sign', 'sign_type'], properties: { sign_type: str({ enum: ['HMAC-SHA256'] }), sign: str() } } } }),
          op('post /refund', { params: [{ name: 'Signature', in: 'header', required: true, schema: str({ description: 'HMAC-SHA256 of the body' }) }] }),
        ],
      }),
      expect: [{ status: 'fail', messageId: 'macOnly', subject: 'openapi.yaml macOnly A2 body field sign (sign_type)' }, { status: 'fail', messageId: 'macOnly' }],
    },
    {
      name: 'a JWE body (application/jose+jwe) is encrypted, not signed; an optional sign field signs nothing',
      params: { level: 'A2', accept: ['signature'] },
      bundle: spec({
        operations: [
          op('post /consents', { requestBody: { mediaType: 'application/jose+jwe', schema: str() } }),
          op('post /orders', { requestBody: { schema: { type: 'object', properties: { sign: str(), sign_type: str({ enum: ['RSA2'] }) } } } }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unsigned', subject: 'openapi.yaml unsigned A2', message: 'for 1 A2 operation(s)' },
        { status: 'fail', messageId: 'optionalSignature' },
      ],
    },
  ],
});

testCheck('openapi.versionIdentifiable', {
  valid: [
    {
      name: 'Swagger 2.0 basePath /v3 without host',
      bundle: spec({ version: '2.0', basePath: '/v3', operations: [op('get /accounts'), op('get /cards')] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'a server variable whose default is the version (bunq https://api.bunq.com/{basePath}, basePath v1)',
      bundle: spec({ servers: [{ url: 'https://api.bunq.com/{basePath}', variables: { basePath: 'v1' } }], operations: [op('get /user')] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'a version header declared as an apiKey scheme (X-Api-Version), a versioned media type, a header described as the version',
      bundle: spec({
        servers: ['https://api.example.com'],
        securitySchemes: [scheme('version', 'apiKey', { in: 'header', paramName: 'X-Api-Version' })],
        operations: [
          op('get /accounts', { security: [['version']] }),
          op('get /customers', { responseMediaType: 'application/vnd.dwolla.v1.hal+json', responses: { '200': { schema: obj({ id: str() }) } } }),
          op('post /quotes', { params: [{ name: 'Content-Type', in: 'header', required: true, schema: { type: 'string', description: 'x' } }] }),
        ].map((o, i) => (i === 2 ? { ...o, parameters: o.parameters.map((p) => ({ ...p, description: 'The `Content-Type` header indicates the specific version of the API used to send the payload body.' })) } : o)),
      }),
      expect: ['pass', 'pass', 'pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'one finding for every operation without a version, with each operation as a location and the exact count',
      bundle: spec({ servers: ['https://api.example.com'], operations: [op('get /accounts'), op('get /cards'), op('get /v2/loans')] }),
      expect: [{ status: 'fail', messageId: 'noInterfaceVersion', subject: 'openapi.yaml noInterfaceVersion', message: 'for 2 operation(s) (first: GET /accounts)' }],
    },
  ],
});

describe('grouped findings carry every place as a structured location, and exact counts', () => {
  it('operationAuthentication: one finding, three locations, count 3', () => {
    const outcomes = runCheck(defaultRegistry.get('openapi.operationAuthentication')!, {
      bundle: spec({ operations: [op('get /a'), op('get /b'), op('post /c')] }),
    });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.data?.count).toBe(3);
    expect(outcomes[0]!.locations!.map((l) => [l.subject, l.pointer])).toEqual([
      ['GET /a', '/paths/~1a/get'],
      ['GET /b', '/paths/~1b/get'],
      ['POST /c', '/paths/~1c/post'],
    ]);
  });
});

describe('example values (7.2.2)', () => {
  it.each([
    ['6228480402564890018', 'card-number'],
    ['4111 1111 1111 1111', 'card-number'],
    ['11010519491231002X', 'id-number'],
    ['13812345678', 'mobile-number'],
    ['+86 138 1234 5678', 'mobile-number'],
    ['6222****1234', undefined],
    ['138****5678', undefined],
    ['6222020200112233445', undefined], // Luhn fails
    ['11010519491231002Y', undefined],
    ['1700000000000', undefined], // a millisecond timestamp
    ['2024-01-01T00:00:00Z', undefined],
  ])('%s → %s', (value, category) => expect(personalDataInValue(value)).toBe(category));

  it('walks examples iteratively and says when it stopped', () => {
    const { hits, cut } = personalDataInExample(deepExample(10_000, { tel: '13812345678' }, { id: '11010519491231002X' }));
    expect(hits.map((h) => h.path)).toEqual(['id']);
    expect(cut).toBe(true);
  });

  it('serialises a 100 000-level example as far as it goes instead of throwing', () => {
    const { text, cut } = exampleText(deepExample(100_000, { trace: 'at com.bank.Foo(Foo.java:12)' }, { msg: 'java.lang.NullPointerException' }));
    expect(cut).toBe(true);
    expect(text).toContain('java.lang.NullPointerException');
  });
});

describe('a schema cut by a walk limit never passes what lies past the cut (issue 11)', () => {
  const cut = (namesPastLimit: string[] | undefined) => {
    const bundle = spec({ operations: [op('get /accounts/{id}', { responses: { '200': { schema: obj({ id: str() }) } } })] });
    const media = bundle.openapi[0]!.operations[0]!.responses[0]!.content[0]!;
    media.truncated = true;
    if (namesPastLimit) media.namesPastLimit = namesPastLimit;
    return bundle;
  };
  const run = (check: string, bundle: ReturnType<typeof cut>) =>
    runCheck(defaultRegistry.get(check)!, { bundle }).filter((o) => o.status !== 'pass').map((o) => [o.status, o.messageId, o.data?.field]);

  it('a personal-data name past the cut: responseMasking is error, naming it', () => {
    expect(run('openapi.responseMasking', cut(['nickname', 'cardNumber']))).toEqual([['error', 'cutByLimit', 'cardNumber']]);
  });
  it('a CVV past the cut: noPaymentSensitiveInResponse is error', () => {
    expect(run('openapi.noPaymentSensitiveInResponse', cut(['cvc']))).toEqual([['error', 'cutByLimit', 'cvc']]);
  });
  it('names past the cut unknown (the names walk was cut too): error', () => {
    expect(run('openapi.responseMasking', cut(undefined))).toEqual([['error', 'cutByLimit', '?']]);
  });
  it('nothing the check looks for past the cut: the cut hides nothing from it', () => {
    expect(run('openapi.responseMasking', cut(['created', 'status']))).toEqual([]);
  });
});
