import { describe, expect, it } from 'vitest';
import { testCheck } from './testing.js';
import { defaultRegistry } from './index.js';
import { doc, op, spec } from './openapi/build.test-helpers.js';

// Annex B ids of a bank whose JR/T 0124 code starts C10102: account services (01) 0001, sequence 1, 2, …
const A2_ACCOUNT_1 = 'OPC10102020100010000010' + '0';
const A2_ACCOUNT_2 = 'OPC10102020100010000020' + '0';
const A1_PAYMENT_1 = 'OPC10102010200010000010' + '0';
const GET_ACCOUNT = '/paths/~1accounts~1{id}/get';
const ID_POINTER = `${GET_ACCOUNT}/x-u-api-id`;

testCheck('uapi.declared', {
  valid: [
    {
      name: 'every operation carries x-u-api-id',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 }), op('post /payments', { uApiId: A1_PAYMENT_1 })] }),
      expect: ['pass', 'pass'],
    },
    { name: 'a document without operations', bundle: spec({}), expect: [] },
  ],
  invalid: [
    {
      name: 'missing and empty ids',
      bundle: spec({ operations: [op('get /accounts/{id}'), op('post /payments', { uApiId: '' }), op('get /rates', { uApiId: A1_PAYMENT_1 })] }),
      expect: [
        { status: 'fail', messageId: 'missing', pointer: GET_ACCOUNT, subject: 'GET /accounts/{id}' },
        { status: 'fail', messageId: 'missing', subject: 'POST /payments' },
      ],
    },
  ],
});

testCheck('uapi.format', {
  valid: [
    {
      name: 'well-formed ids',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 }), op('post /payments', { uApiId: A1_PAYMENT_1 }), op('get /x')] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'part=typeValue judges only the type value: a wrong reserved part does not matter here',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010202010001000001' + '99' })] }),
      params: { part: 'typeValue' },
      expect: ['pass'],
    },
    { name: 'no ids declared: nothing to judge', bundle: spec({ operations: [op('get /x')] }), expect: [] },
    {
      // B.3.6: the 6-character length is the shall; the 000001–999999 numbering is only preferred.
      name: 'whole id: a sequence of letters or 000000 departs from a preference only, and is well formed',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC101020201000100000A' + '00' }), op('post /payments', { uApiId: 'OPC1010201020001000000' + '00' })] }),
      expect: ['pass', 'pass'],
    },
    {
      // B.3.4 first sentence: 2 characters. What 03 means is the second sentence's (typeValue), not this one's.
      name: 'part=type judges the 2-character length: an undefined value 03 is still 2 characters',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC10102030100010000010' + '0' })] }),
      params: { part: 'type' },
      expect: ['pass'],
    },
    {
      name: 'part=sequence judges the 6-character length: letters are 6 characters too',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010202010001ABCDEF' + '00' })] }),
      params: { part: 'sequence' },
      expect: ['pass'],
    },
    {
      name: 'part=category judges six digits only: the reserved levels are table B.2, a rule of their own',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010202000000000001' + '00' })] }),
      params: { part: 'category' },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'whole id: every broken part is one finding at x-u-api-id',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010200000000000000' + '01' })] }),
      expect: [
        { status: 'fail', messageId: 'typeReserved', pointer: ID_POINTER, message: 'interface type 00 is reserved' },
        { status: 'fail', messageId: 'primaryReserved' },
        { status: 'fail', messageId: 'secondaryReserved' },
        { status: 'fail', messageId: 'reservedNotDefault', message: 'found "01"' },
      ],
    },
    {
      name: 'part=length: 23 characters',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC101020201000100000100'.slice(0, 23) })] }),
      params: { part: 'length' },
      expect: [{ status: 'fail', messageId: 'wrongLength', message: 'has 23' }],
    },
    {
      name: 'part=fixed: lower-case op',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'op' + A2_ACCOUNT_1.slice(2) })] }),
      params: { part: 'fixed' },
      expect: [{ status: 'fail', messageId: 'fixedNotOP' }],
    },
    {
      name: 'part=institution: lower-case institution code',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPc10102' + A2_ACCOUNT_1.slice(8) })] }),
      params: { part: 'institution' },
      expect: [{ status: 'fail', messageId: 'institutionInvalid' }],
    },
    {
      name: 'part=category: a letter among the six digits',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC101020201A001000001' + '00' })] }),
      params: { part: 'category' },
      expect: [{ status: 'fail', messageId: 'categoryNotDigits' }],
    },
    {
      name: 'part=categoryLevels (table B.2): first level 00, second level 0000',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010202000001000001' + '00' }), op('post /payments', { uApiId: 'OPC1010201020000000001' + '00' })] }),
      params: { part: 'categoryLevels' },
      expect: [
        { status: 'fail', messageId: 'primaryReserved' },
        { status: 'fail', messageId: 'secondaryReserved', subject: 'POST /payments' },
      ],
    },
    {
      name: 'part=sequenceNumbering (should): letters, and 000000',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC101020201000100000A' + '00' }), op('post /payments', { uApiId: 'OPC1010201020001000000' + '00' })] }),
      params: { part: 'sequenceNumbering' },
      expect: [
        { status: 'fail', messageId: 'sequenceNotDigits', message: 'should preferably' },
        { status: 'fail', messageId: 'sequenceZero' },
      ],
    },
    {
      name: 'part=reserved: 99',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OPC1010202010001000001' + '99' })] }),
      params: { part: 'reserved' },
      expect: [{ status: 'fail', messageId: 'reservedNotDefault' }],
    },
    {
      name: 'part=typeValue on a mis-sized id cannot be judged; another id fails',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: 'OP-C10102-02-010001-000001-00' }), op('post /payments', { uApiId: 'OPC10102030100010000010' + '0' })] }),
      params: { part: 'typeValue' },
      expect: [
        { status: 'n/a', messageId: 'notParsed', pointer: ID_POINTER },
        { status: 'fail', messageId: 'typeInvalid', message: 'found "03"' },
      ],
    },
  ],
});

testCheck('uapi.unique', {
  valid: [
    {
      name: 'distinct ids',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 }), op('get /accounts', { uApiId: A2_ACCOUNT_2 })] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'the same file given twice is not a duplicate',
      bundle: { openapi: [doc({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 })] }), doc({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 })] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'two operations share an id: the second is reported and names the first',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 }), op('get /accounts', { uApiId: A2_ACCOUNT_1 })] }),
      expect: [{ status: 'fail', messageId: 'duplicate', pointer: '/paths/~1accounts/get/x-u-api-id', subject: 'GET /accounts', message: 'already used by GET /accounts/{id} (openapi.yaml)' }],
    },
    {
      name: 'duplicates across two specifications',
      bundle: {
        openapi: [
          doc({ file: 'accounts.yaml', operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1, file: 'accounts.yaml' })] }),
          doc({ file: 'cards.yaml', operations: [op('get /cards/{id}', { uApiId: A2_ACCOUNT_1, file: 'cards.yaml' })] }),
        ],
      },
      expect: [{ status: 'fail', messageId: 'duplicate', file: 'cards.yaml', message: '(accounts.yaml)' }],
    },
  ],
});

testCheck('uapi.levelMatches', {
  valid: [
    {
      name: 'type 02 on an A2 operation, 01 on an A1 operation',
      bundle: spec({ operations: [op('get /accounts/{id}', { level: 'A2', uApiId: A2_ACCOUNT_1 }), op('post /payments', { level: 'A1', uApiId: A1_PAYMENT_1 })] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'undeclared level: n/a, not a failure',
      bundle: spec({ operations: [op('get /accounts/{id}', { uApiId: A2_ACCOUNT_1 })] }),
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'type 01 (A1) on an operation declared A2',
      bundle: spec({ operations: [op('get /accounts/{id}', { level: 'A2', uApiId: A1_PAYMENT_1 }), op('get /x', { level: 'A1', uApiId: 'OPC10102000100010000010' + '0' })] }),
      expect: [
        { status: 'fail', messageId: 'levelMismatch', pointer: ID_POINTER, message: 'has type 01 (A1) but the operation declares A2' },
        { status: 'n/a', messageId: 'typeUnreadable' },
      ],
    },
  ],
});

describe('uapi family', () => {
  it('registers the four catalogue checks', () => {
    expect(defaultRegistry.names().filter((n) => n.startsWith('uapi.'))).toEqual(['uapi.declared', 'uapi.format', 'uapi.levelMatches', 'uapi.unique']);
  });

  it('declares a message for every parser error id', async () => {
    const { UAPI_FORMAT_MESSAGES } = await import('../uapi/messages.js');
    const check = defaultRegistry.get('uapi.format')!;
    for (const id of Object.keys(UAPI_FORMAT_MESSAGES)) expect(check.messages[id]).toBeDefined();
  });
});
