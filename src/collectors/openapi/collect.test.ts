import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import type { OperationEvidence } from '../../model/evidence.js';
import { collectOpenApi } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'jrt0185-openapi-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function op(ops: OperationEvidence[], method: string, path: string): OperationEvidence {
  const found = ops.find((o) => o.method === method && o.path === path);
  expect(found, `${method} ${path}`).toBeDefined();
  return found!;
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('OpenAPI 3.0 YAML: a bank account API', () => {
  const file = fixture('bank-3.0.yaml');
  const collected = collectOpenApi(file);

  it('reads document facts: version, title, info.version, declared security level, servers', async () => {
    const { evidence } = await collected;
    expect(evidence).toMatchObject({ kind: 'openapi', file, version: '3.0', apiVersion: '1.4.0', declaredLevel: 'A1' });
    expect(evidence.title).toBe('示例银行开放平台 Account API');
    expect(evidence.servers).toEqual([
      { url: 'https://openapi.example-bank.cn/v1', location: { file, pointer: '/servers/0/url' } },
      { url: 'http://sandbox.example-bank.cn/v1', location: { file, pointer: '/servers/1/url' } },
    ]);
    expect(evidence.schemes).toBeUndefined();
    expect(evidence.problems).toEqual([]);
    expect(Object.keys(evidence.digests)).toEqual([file]);
    expect(evidence.digests[file]).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      'get /accounts/{accountId}',
      'post /accounts/{accountId}',
      'get /health',
    ]);
  });

  it('resolves security schemes with their x-authentication factor', async () => {
    const { evidence } = await collected;
    const byName = Object.fromEntries(evidence.securitySchemes.map((s) => [s.name, s]));
    expect(byName.appSecret).toMatchObject({ type: 'apiKey', in: 'header', paramName: 'X-App-Secret', authentication: 'secret' });
    expect(byName.clientCert).toMatchObject({ type: 'http', httpScheme: 'bearer', authentication: 'certificate' });
    expect(byName.requestSignature.authentication).toBe('keypair');
    expect(byName.oauth).toMatchObject({ type: 'oauth2', location: { file, pointer: '/components/securitySchemes/oauth' } });
    expect(byName.oauth.authentication).toBeUndefined();
  });

  it('takes the document security when the operation declares none, and its own otherwise', async () => {
    const { evidence } = await collected;
    const get = op(evidence.operations, 'get', '/accounts/{accountId}');
    expect(get.security).toHaveLength(1);
    expect(get.security![0].location).toEqual({ file, pointer: '/security/0' });
    expect(get.security![0].schemes.map((s) => [s.name, s.scheme?.authentication])).toEqual([['appSecret', 'secret']]);

    const post = op(evidence.operations, 'post', '/accounts/{accountId}');
    expect(post.security!.map((r) => r.schemes.map((s) => s.name))).toEqual([['clientCert', 'requestSignature'], ['oauth']]);
    expect(post.security![1].schemes[0].scopes).toEqual(['accounts:write']);
    expect(post.security![1].location.pointer).toBe('/paths/~1accounts~1{accountId}/post/security/1');

    // `security: []` explicitly removes authentication: an empty list, not "inherit".
    expect(op(evidence.operations, 'get', '/health').security).toEqual([]);
  });

  it('reads the level (operation over info), the U_API_ID and the x- extensions', async () => {
    const { evidence } = await collected;
    const get = op(evidence.operations, 'get', '/accounts/{accountId}');
    const post = op(evidence.operations, 'post', '/accounts/{accountId}');
    expect(get).toMatchObject({ operationId: 'getAccount', summary: '查询账户', declaredLevel: 'A1', uApiId: '2001050101000001' });
    expect(get.extensions).toEqual({ 'x-u-api-id': '2001050101000001', 'x-rate-limit': '100/s' });
    expect(post).toMatchObject({ declaredLevel: 'A2', uApiId: '2002050101000002' });
    expect(get.location).toEqual({ file, pointer: '/paths/~1accounts~1{accountId}/get' });
  });

  it('merges path-level parameters under operation-level ones and follows parameter $refs', async () => {
    const { evidence } = await collected;
    const get = op(evidence.operations, 'get', '/accounts/{accountId}');
    expect(get.parameters.map((p) => [p.name, p.in, p.required, p.location.pointer])).toEqual([
      ['accountId', 'path', true, '/components/parameters/AccountId'],
      ['X-Request-Id', 'header', false, '/paths/~1accounts~1{accountId}/get/parameters/0'],
    ]);
    expect(get.parameters[0].schema).toEqual({ type: 'string', pattern: '^[0-9]{16,19}$' });
    const post = op(evidence.operations, 'post', '/accounts/{accountId}');
    expect(post.parameters[1]).toMatchObject({ name: 'X-Request-Id', required: true, schema: { type: 'string', maxLength: 64 } });
  });

  it('lists every schema node of a response at the place the schema is written, cutting the recursion', async () => {
    const { evidence } = await collected;
    const ok = op(evidence.operations, 'get', '/accounts/{accountId}').responses.find((r) => r.status === '200')!;
    expect(ok.description).toBe('the account');
    expect(ok.headers.map((h) => [h.name, h.schema])).toEqual([['X-RateLimit-Remaining', { type: 'integer' }]]);
    const json = ok.content[0];
    expect(json.mediaType).toBe('application/json');
    expect(json.location.pointer).toBe('/paths/~1accounts~1{accountId}/get/responses/200/content/application~1json');
    expect(json.nodes.map((n) => [n.path, n.propertyName ?? null, n.location.pointer])).toEqual([
      ['', null, '/components/schemas/Account'],
      ['accountNo', 'accountNo', '/components/schemas/Account/properties/accountNo'],
      ['holderName', 'holderName', '/components/schemas/Account/properties/holderName'],
      ['parent', 'parent', '/components/schemas/Account'],
      ['cards', 'cards', '/components/schemas/Account/properties/cards'],
      ['cards[]', 'cards', '/components/schemas/Card'],
      ['cards[].cardNo', 'cardNo', '/components/schemas/Card/properties/cardNo'],
      ['cards[].cvv', 'cvv', '/components/schemas/Card/properties/cvv'],
    ]);
    expect(json.nodes[1].schema).toEqual({ type: 'string', 'x-masked': true });
    expect(ok.examples).toEqual([
      {
        value: { accountNo: '6222****1234', holderName: '张*' },
        location: { file, pointer: '/paths/~1accounts~1{accountId}/get/responses/200/content/application~1json/example' },
      },
    ]);
    const limited = op(evidence.operations, 'get', '/accounts/{accountId}').responses.find((r) => r.status === '429')!;
    expect(limited).toMatchObject({ description: 'flow control', location: { pointer: '/components/responses/TooManyRequests' } });
    expect(limited.headers.map((h) => h.name)).toEqual(['Retry-After']);
  });

  it('walks request bodies through items, allOf and additionalProperties', async () => {
    const { evidence } = await collected;
    const post = op(evidence.operations, 'post', '/accounts/{accountId}');
    expect(post.requestBody?.required).toBe(true);
    const nodes = post.requestBody!.content[0].nodes;
    const inline = '/paths/~1accounts~1{accountId}/post/requestBody/content/application~1json/schema';
    expect(nodes.map((n) => [n.path, n.propertyName ?? null, n.location.pointer])).toEqual([
      ['', null, inline],
      ['cards', 'cards', `${inline}/properties/cards`],
      ['cards[]', 'cards', `${inline}/properties/cards/items`],
      ['cards[]', 'cards', '/components/schemas/Card'],
      ['cards[].cardNo', 'cardNo', '/components/schemas/Card/properties/cardNo'],
      ['cards[].cvv', 'cvv', '/components/schemas/Card/properties/cvv'],
      ['cards[]', 'cards', `${inline}/properties/cards/items/allOf/1`],
      ['cards[].nickname', 'nickname', `${inline}/properties/cards/items/allOf/1/properties/nickname`],
      ['metadata', 'metadata', `${inline}/properties/metadata`],
      ['metadata.*', null, `${inline}/properties/metadata/additionalProperties`],
    ]);
    const error = post.responses.find((r) => r.status === 'default')!;
    expect(error.examples.map((e) => [e.value, e.location.pointer])).toEqual([
      [
        { code: 'E500', message: 'internal error' },
        '/paths/~1accounts~1{accountId}/post/responses/default/content/application~1json/examples/internal/value',
      ],
    ]);
  });

  it('returns a locator that turns evidence pointers into lines only when asked', async () => {
    const { evidence, locator, locators } = await collected;
    expect(locator.file).toBe(file);
    expect(locators).toHaveLength(1);
    const post = op(evidence.operations, 'post', '/accounts/{accountId}');
    const operationPointer = post.location.pointer!;
    const requirementPointer = post.security![1].location.pointer!;
    const located = locator.locate([operationPointer, requirementPointer]);
    expect(located.get(operationPointer)).toEqual({ line: 49, column: 5 });
    expect(located.get(requirementPointer)).toEqual({ line: 56, column: 11 });
  });
});

describe('OpenAPI 3.1 JSON', () => {
  it('keeps mutualTLS schemes, takes the level from info and ignores webhooks', async () => {
    const file = fixture('bank-3.1.json');
    const { evidence, locator } = await collectOpenApi(file);
    expect(evidence).toMatchObject({ version: '3.1', apiVersion: '2024-01', declaredLevel: 'A2', problems: [] });
    expect(evidence.securitySchemes).toEqual([
      { name: 'mtls', type: 'mutualTLS', authentication: 'certificate', location: { file, pointer: '/components/securitySchemes/mtls' } },
    ]);
    expect(evidence.operations).toHaveLength(1);
    const create = evidence.operations[0];
    expect(create).toMatchObject({ method: 'post', path: '/payments', declaredLevel: 'A2', uApiId: '2002050201000003' });
    expect(create.security![0].schemes[0].scheme?.type).toBe('mutualTLS');
    expect(create.requestBody?.content[0].nodes.map((n) => n.path)).toEqual(['', 'payerCardNo', 'amount']);
    expect(create.responses[0].content[0].nodes.map((n) => n.location.pointer)).toEqual([
      '/components/schemas/Payment',
      '/components/schemas/Payment/properties/id',
      '/components/schemas/Payment/properties/payerCardNo',
    ]);
    expect(locator.locate([create.location.pointer!]).get(create.location.pointer!)).toEqual({ line: 13, column: 7 });
  });

  it('reads minified one-line JSON and locates on exact columns', async () => {
    const file = fixture('bank-minified.json');
    const { evidence, locator } = await collectOpenApi(file);
    const get = op(evidence.operations, 'get', '/payments/{id}');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    const column = text.indexOf('"get":{"operationId":"getPayment"') + 1;
    expect(locator.locate([get.location.pointer!]).get(get.location.pointer!)).toEqual({ line: 1, column });
  });
});

describe('Swagger 2.0 YAML', () => {
  const file = fixture('bank-2.0.yaml');
  const collected = collectOpenApi(file);

  it('builds one server per scheme and keeps schemes and basic auth as written', async () => {
    const { evidence } = await collected;
    expect(evidence).toMatchObject({ version: '2.0', apiVersion: 'v2', schemes: ['https', 'http'], problems: [] });
    expect(evidence.servers).toEqual([
      { url: 'https://api.example-bank.cn/legacy', location: { file, pointer: '/schemes/0' } },
      { url: 'http://api.example-bank.cn/legacy', location: { file, pointer: '/schemes/1' } },
    ]);
    expect(evidence.securitySchemes.map((s) => [s.name, s.type, s.authentication ?? null])).toEqual([
      ['basicAuth', 'basic', null],
      ['appKey', 'apiKey', 'secret'],
    ]);
  });

  it('builds no server without a host but keeps the schemes as written', async () => {
    const file = join(scratch, 'no-host.yaml');
    writeFileSync(file, "swagger: '2.0'\ninfo: {title: t, version: '1'}\nschemes: [http]\nbasePath: /v1\npaths: {}\n");
    const { evidence } = await collectOpenApi(file);
    expect(evidence.servers).toEqual([]);
    expect(evidence.schemes).toEqual(['http']);
  });

  it('turns the body parameter into a request body and other parameters into schemas', async () => {
    const { evidence } = await collected;
    const create = op(evidence.operations, 'post', '/transfers');
    expect(create.declaredLevel).toBe('A2');
    expect(create.security!.map((r) => r.schemes[0].name)).toEqual(['basicAuth']);
    expect(create.parameters).toEqual([
      {
        name: 'channel',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['mobile', 'web'], maxLength: 8 },
        location: { file, pointer: '/paths/~1transfers/post/parameters/1' },
      },
    ]);
    expect(create.requestBody).toMatchObject({ required: true, location: { pointer: '/paths/~1transfers/post/parameters/0' } });
    expect(create.requestBody!.content.map((c) => c.mediaType)).toEqual(['application/json']);
    expect(create.requestBody!.content[0].nodes.map((n) => [n.path, n.location.pointer])).toEqual([
      ['', '/definitions/Transfer'],
      ['payeeAccountNo', '/definitions/Transfer/properties/payeeAccountNo'],
      ['amount', '/definitions/Transfer/properties/amount'],
    ]);
  });

  it('reads response schemas per produced media type, 2.0 headers and examples', async () => {
    const { evidence } = await collected;
    const accepted = op(evidence.operations, 'post', '/transfers').responses[0];
    expect(accepted.headers).toEqual([
      { name: 'X-RateLimit-Limit', schema: { type: 'integer' }, location: { file, pointer: '/paths/~1transfers/post/responses/200/headers/X-RateLimit-Limit' } },
    ]);
    expect(accepted.examples).toEqual([
      { value: { payeeAccountNo: '6222020200112233445' }, location: { file, pointer: '/paths/~1transfers/post/responses/200/examples/application~1json' } },
    ]);
    const get = op(evidence.operations, 'get', '/transfers/{id}');
    expect(get.security!.map((r) => r.schemes[0].name)).toEqual(['appKey']);
    expect(get.responses[0].content.map((c) => c.mediaType)).toEqual(['application/json', 'application/xml']);
    expect(get.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['memo', 'formData', false],
    ]);
    expect(get.parameters[0].schema).toEqual({ type: 'string', pattern: '^[A-Z0-9]{20}$' });
  });
});

describe('a description split over several files', () => {
  const root = fixture('split/openapi.yaml');
  const collected = collectOpenApi(root);

  it('follows relative $refs into other files and reports each item in the file it is written in', async () => {
    const { evidence } = await collected;
    const list = op(evidence.operations, 'get', '/accounts');
    expect(list.location).toEqual({ file: fixture('split/paths/accounts.yaml'), pointer: '/get' });
    expect(list.operationId).toBe('listAccounts');
    expect(list.responses[0].content[0].nodes.map((n) => [n.path, n.location.file, n.location.pointer])).toEqual([
      ['', fixture('split/paths/accounts.yaml'), '/get/responses/200/content/application~1json/schema'],
      ['[]', fixture('split/schemas/account.yaml'), '/Account'],
      ['[].accountNo', fixture('split/schemas/account.yaml'), '/Account/properties/accountNo'],
      ['[].primaryCard', fixture('split/schemas/card.yaml'), '/Card'],
      ['[].primaryCard.cardNo', fixture('split/schemas/card.yaml'), '/Card/properties/cardNo'],
    ]);
    expect(Object.keys(evidence.digests).sort()).toEqual(
      ['split/openapi.yaml', 'split/paths/accounts.yaml', 'split/schemas/account.yaml', 'split/schemas/card.yaml'].map(fixture).sort(),
    );
  });

  it('reports a $ref to a missing file as a problem at the $ref, not a crash', async () => {
    const { evidence } = await collected;
    expect(evidence.problems).toEqual([
      {
        message: expect.stringContaining("unresolved $ref 'missing.yaml#/NotFound'"),
        location: { file: root, pointer: '/paths/~1cards/get/responses/404/$ref' },
        // The reader lost that part: no rule checked on this description can pass on what it did not read.
        hidesEvidence: true,
      },
    ]);
    const cards = op(evidence.operations, 'get', '/cards');
    expect(cards.responses.map((r) => r.status)).toEqual(['200', '404']);
  });

  it('gives one locator per file, each resolving pointers of its own file', async () => {
    const { locators } = await collected;
    const card = locators.find((l) => l.file === fixture('split/schemas/card.yaml'))!;
    expect(card.locate(['/Card/properties/cardNo']).get('/Card/properties/cardNo')).toEqual({ line: 5, column: 5 });
    expect(locators[0].file).toBe(root);
  });
});

describe('remote $refs', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/yaml');
      res.end('Account:\n  type: object\n  properties:\n    accountNo:\n      type: string\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const spec = (url: string) =>
    [
      'openapi: 3.0.3',
      'info: { title: remote, version: "1" }',
      'paths:',
      '  /accounts:',
      '    get:',
      '      responses:',
      "        '200':",
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema:',
      `                $ref: '${url}#/Account'`,
      '',
    ].join('\n');

  it('never fetches them unless allowed: the ref becomes a problem and no request is made', async () => {
    const file = join(scratch, 'remote.yaml');
    writeFileSync(file, spec(`http://127.0.0.1:${port}/schemas.yaml`));
    const { evidence } = await collectOpenApi(file);
    expect(requests).toBe(0);
    expect(evidence.problems).toEqual([
      {
        message: expect.stringContaining('remote $ref not fetched: use --allow-remote-refs'),
        location: { file, pointer: '/paths/~1accounts/get/responses/200/content/application~1json/schema/$ref' },
        hidesEvidence: true,
      },
    ]);
    expect(evidence.operations[0].responses[0].content[0].nodes).toEqual([]);
  });

  it('fetches them with allowRemoteRefs and locates nodes in the fetched document', async () => {
    const file = join(scratch, 'remote-allowed.yaml');
    const url = `http://127.0.0.1:${port}/schemas.yaml`;
    writeFileSync(file, spec(url));
    const { evidence, locators } = await collectOpenApi(file, { allowRemoteRefs: true });
    expect(requests).toBe(1);
    expect(evidence.problems).toEqual([]);
    expect(evidence.operations[0].responses[0].content[0].nodes.map((n) => [n.path, n.location.file, n.location.pointer])).toEqual([
      ['', url, '/Account'],
      ['accountNo', url, '/Account/properties/accountNo'],
    ]);
    expect(Object.keys(evidence.digests)).toEqual([file, url]);
    expect(locators[1].locate(['/Account/properties/accountNo']).get('/Account/properties/accountNo')).toEqual({ line: 4, column: 5 });
  });

  it('reports an unreachable allowed remote ref as a problem', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const file = join(scratch, 'remote-closed.yaml');
    writeFileSync(file, spec(`http://127.0.0.1:${closedPort}/schemas.yaml`));
    const { evidence } = await collectOpenApi(file, { allowRemoteRefs: true });
    expect(evidence.problems.map((p) => p.message)).toEqual([expect.stringContaining('remote $ref could not be fetched')]);
  });
});

describe('broken descriptions are problems, not crashes', () => {
  it('reports paths that are not an object, levels that are not A1/A2 and schema violations with pointers', async () => {
    const file = join(scratch, 'structure.yaml');
    writeFileSync(file, 'openapi: 3.0.3\ninfo:\n  title: t\n  version: "1"\n  x-security-level: A3\npaths: []\n');
    const { evidence } = await collectOpenApi(file);
    expect(evidence.operations).toEqual([]);
    expect(evidence.declaredLevel).toBeUndefined();
    const pointers = evidence.problems.map((p) => p.location.pointer);
    expect(pointers).toContain('/paths');
    expect(pointers).toContain('/info/x-security-level');
    expect(evidence.problems.find((p) => p.message === '`paths` must be an object')).toBeDefined();
  });

  it('points a schema violation at the offending value', async () => {
    const file = join(scratch, 'violation.yaml');
    writeFileSync(
      file,
      'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": {description: ok, content: {application/json: {schema: {type: objet}}}}\n',
    );
    const { evidence } = await collectOpenApi(file);
    expect(evidence.problems).toEqual([
      {
        message: expect.stringMatching(/^not valid OpenAPI 3\.0: .*\/schema\/type must be one of: array, boolean/),
        location: { file, pointer: '/paths/~1a/get/responses/200/content/application~1json/schema/type' },
      },
    ]);
  });
});

describe('input errors name the file and the line', () => {
  it('bad YAML', async () => {
    const file = fixture('bad-syntax.yaml');
    const error = await inputError(collectOpenApi(file));
    expect(error.file).toBe(file);
    // The unclosed flow sequence opened on line 8 is detected where the next key begins.
    expect([error.line, error.column]).toEqual([9, 3]);
    expect(error.hint).toMatch(/^not valid YAML: /);
  });

  it('bad JSON, with the position converted to line and column', async () => {
    const error = await inputError(collectOpenApi(fixture('bad-syntax.json')));
    expect([error.line, error.column]).toEqual([5, 12]);
    expect(error.hint).toMatch(/^not valid JSON: /);
  });

  it('a YAML or JSON file that is not an OpenAPI document', async () => {
    const error = await inputError(collectOpenApi(fixture('not-openapi.yaml')));
    expect(error.hint).toBe('not an OpenAPI or Swagger document: no `openapi` or `swagger` field');
    const list = join(scratch, 'list.json');
    writeFileSync(list, '[1, 2]');
    expect((await inputError(collectOpenApi(list))).hint).toMatch(/^not an OpenAPI or Swagger document/);
  });

  it('Swagger 1.2 is refused with what to do', async () => {
    const file = join(scratch, 'swagger12.json');
    writeFileSync(file, '{"swaggerVersion":"1.2","swagger":"1.2","apis":[]}');
    expect((await inputError(collectOpenApi(file))).hint).toMatch(/unsupported Swagger version '1\.2'/);
  });

  it('a missing file and a directory', async () => {
    expect((await inputError(collectOpenApi(join(scratch, 'absent.yaml')))).hint).toBe('file not found');
    expect((await inputError(collectOpenApi(scratch))).hint).toMatch(/is a directory/);
  });

  it('a file over 200 MB is refused before it is read', async () => {
    const file = join(scratch, 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 201 * 1024 * 1024); // sparse: no disk is written
    closeSync(fd);
    expect((await inputError(collectOpenApi(file))).hint).toMatch(/over the 200 MB limit/);
    rmSync(file);
  });

  it('YAML alias bombs ("billion laughs") are refused quickly', async () => {
    const started = Date.now();
    const error = await inputError(collectOpenApi(fixture('billion-laughs.yaml')));
    expect(error.hint).toMatch(/alias/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('schema size limit', () => {
  it('walks a large schema up to the limit and marks it truncated; the run says so', async () => {
    const { collectInputs } = await import('../../collect.js');
    const { MAX_NODES_PER_SCHEMA } = await import('./schema-walk.js');
    const properties = Object.fromEntries(Array.from({ length: MAX_NODES_PER_SCHEMA + 10 }, (_, i) => [`field${i}`, { type: 'string' }]));
    const spec = {
      openapi: '3.0.3',
      info: { title: 'big', version: '1' },
      paths: { '/big': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties } } } } } } } },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'jrt-big-')), 'big.json');
    writeFileSync(file, JSON.stringify(spec));
    const { bundle, warnings } = await collectInputs({ openapi: [file] });
    const media = bundle.openapi[0]!.operations[0]!.responses[0]!.content[0]!;
    expect(media.nodes).toHaveLength(MAX_NODES_PER_SCHEMA);
    expect(media.truncated).toBe(true);
    // Past the node limit the names are still read (issue 11): a check can see what the cut would hide.
    expect(media.namesPastLimit).toEqual(Array.from({ length: 11 }, (_, i) => `field${MAX_NODES_PER_SCHEMA - 1 + i}`));
    expect(warnings.map((w) => w.en)).toContain(
      `${file}: 1 request/response schema(s) are too large or too deeply nested to walk whole; properties past the limits were not examined (first: /paths/~1big/get/responses/200/content/application~1json)`,
    );
  });

  it('reads property names past the depth limit, to any depth, without building nodes for them', async () => {
    const { collectInputs } = await import('../../collect.js');
    const { MAX_SCHEMA_DEPTH } = await import('./schema-walk.js');
    // 200 levels of nesting: far past the depth limit; the card number sits at the bottom.
    let schema: Record<string, unknown> = { type: 'object', properties: { cardNumber: { type: 'string' } } };
    for (let i = 0; i < 200; i++) schema = { type: 'object', properties: { [`level${i}`]: schema } };
    const spec = {
      openapi: '3.0.3',
      info: { title: 'deep', version: '1' },
      paths: { '/deep': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } } },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'jrt-deep-')), 'deep.json');
    writeFileSync(file, JSON.stringify(spec));
    const { bundle } = await collectInputs({ openapi: [file] });
    const media = bundle.openapi[0]!.operations[0]!.responses[0]!.content[0]!;
    expect(media.truncated).toBe(true);
    expect(Math.max(...media.nodes.map((n) => n.path.split('.').length))).toBeLessThanOrEqual(MAX_SCHEMA_DEPTH);
    expect(media.namesPastLimit).toContain('cardNumber');
    expect(media.namesPastLimit).toContain('level0');
  });
});
