import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETECTORS, detectInText, detectInValue, idCardValid, issuerPlausible, luhnValid, maskText } from './index.js';
import { candidateOffsets } from './prefilter.js';

const CORPUS = '/work/shared/corpus/logs';
const names = (ds: { detector: string }[]): string[] => ds.map((d) => d.detector);

describe('validators', () => {
  it('Luhn accepts test cards and rejects a one-digit change', () => {
    expect(luhnValid('4929649583333657')).toBe(true);
    expect(luhnValid('4929649583333658')).toBe(false);
  });
  it('issuer ranges: Visa 13/16/19, Amex 15 only, Mastercard 2-series, UnionPay, ICBC 9558; 1x and 7x are nobody', () => {
    expect(issuerPlausible('4929649583333657')).toBe(true);
    expect(issuerPlausible('378282246310005')).toBe(true);
    expect(issuerPlausible('3782822463100050')).toBe(false);
    expect(issuerPlausible('2221000000000009')).toBe(true);
    expect(issuerPlausible('6222020000123456782')).toBe(true);
    expect(issuerPlausible('9558800100020031')).toBe(true);
    expect(issuerPlausible('1745532517537000')).toBe(false);
    expect(issuerPlausible('7234567890123456')).toBe(false);
  });
  it('GB 11643: region, birth date, check character including X', () => {
    expect(idCardValid('11010519491231002X')).toBe(true);
    expect(idCardValid('11010519491231002x')).toBe(true);
    expect(idCardValid('110105199003071239')).toBe(true);
    expect(idCardValid('110105199003071238')).toBe(false); // check character
    expect(idCardValid('110105199002301234')).toBe(false); // 30 February
    expect(idCardValid('910105199003071239')).toBe(false); // no province 91
    expect(idCardValid('110105209901011234', new Date('2026-01-01'))).toBe(false); // born in the future
  });
});

describe('pan', () => {
  it('finds the corpus payment-service card with dashes and masks it to first 6 / last 4', () => {
    const line = readFileSync(`${CORPUS}/otel-demo-payment-service-pino.jsonl`, 'utf8').trim();
    const ds = detectInText(line);
    const pan = ds.find((d) => d.detector === 'pan')!;
    expect(pan.value).toBe('4929-6495-8333-3657');
    expect(pan.excerpt).toBe('4929-64**-****-3657');
    expect(pan.masked).toBe(false);
  });
  it.each([
    ['contiguous in a query string', 'GET /pay?cardNo=6222020000123456782&amt=100 HTTP/1.1', '6222020000123456782'],
    ['grouped with spaces', '2024-05-01 12:00:01 INFO card 4929 6495 8333 3657 charged', '4929 6495 8333 3657'],
    ['Amex 4-6-5', 'charge amex=3782-822463-10005 ok', '3782-822463-10005'],
    ['UnionPay 16', '支付卡号:6225881234567898 交易成功', '6225881234567898'],
    ['ICBC domestic 9558', 'acct 9558800100020031 debit', '9558800100020031'],
  ])('true: %s', (_, text, value) => {
    expect(detectInText(text).filter((d) => d.detector === 'pan').map((d) => d.value)).toEqual([value]);
  });
  it.each([
    ['Luhn-invalid 16 digits', 'ref 4929649583333658 processed'],
    ['millisecond timestamp', '{"time":1745532517538,"msg":"ok"}'],
    ['inside a longer digit run', 'seq 49296495833336571234 ok'],
    ['digits inside a hex trace id', 'trace_id=4929649583333657ab12cd'],
    ['order number under its label even when Luhn-valid', 'orderNo=6225881234567898 status=paid'],
    ['an ad cache-buster in a Maestro range nobody issues', 'ord=6795061899455057?'],
    ['decimal epoch seconds', 'ts=1320279566.452687'],
    ['phone number with country code', 'tel +86 138 1234 5678'],
    ['IIS numeric columns', '2015-01-13 00:32:17 100.79.192.81 GET /robots.txt - 80 - 157.55.39.146 - 404 0 2 1405 242 283'],
  ])('false: %s', (_, text) => {
    expect(names(detectInText(text))).not.toContain('pan');
  });
  it('a 12–22 digit value in a field named as an account number is a payment account even without Luhn', () => {
    const ds = detectInValue({ payer: { acctNo: '310066726018010012345' } });
    expect(ds.map((d) => [d.detector, d.field])).toEqual([['pan', 'payer.acctNo']]);
    expect(ds[0]!.excerpt).toBe('payer.acctNo=310066***********2345');
  });
});

describe('masked-pan', () => {
  it.each([['622202******0123'], ['6222 02** **** 0123'], ['4929********3657'], ['************3657']])('true: %s', (v) => {
    const ds = detectInText(`card=${v} status=ok`);
    expect(ds.map((d) => [d.detector, d.masked])).toEqual([['masked-pan', true]]);
  });
  it('more than the first 6 and last 4 digits visible is an unmasked card number', () => {
    expect(names(detectInText('card=49296495****3657'))).toEqual(['pan']);
  });
  it('false: a row of stars in a redacted cookie', () => {
    expect(detectInText('"Cookie":["****"]')).toEqual([]);
  });
});

describe('cvv and expiry', () => {
  it('true: labelled CVV in JSON and in text; expiry beside a card', () => {
    expect(names(detectInValue({ card: { cardNo: '622202******0123', cvv2: '123', expiry: '08/39' } }))).toEqual([
      'masked-pan',
      'cvv',
      'expiry',
    ]);
    expect(names(detectInText('pay cardNo=622202******0123 cvn=456 有效期=0839'))).toEqual(['masked-pan', 'cvv', 'expiry']);
    expect(names(detectInText('{"securityCode":"789"}'))).toEqual(['cvv']);
  });
  it('false: three digits without a CVV label; expiry of a token, not a card', () => {
    expect(detectInText('status=200 bytes=123')).toEqual([]);
    expect(detectInValue({ token: { expiry: '08/39', expires_in: 3600 } })).toEqual([]);
    expect(detectInText('session expiry=0839 renewed')).toEqual([]);
    expect(detectInValue({ cvv: '***' })).toEqual([]);
  });
});

describe('id-card and masked-id-card', () => {
  it('true: valid 18-character numbers, with X; masked with the birth date hidden', () => {
    expect(names(detectInText('certNo=11010519491231002X name=*'))).toEqual(['id-card']);
    expect(names(detectInText('身份证号：620102197801010010，'))).toEqual(['id-card']);
    expect(detectInText('idNo=110105********231X').map((d) => [d.detector, d.masked])).toEqual([['masked-id-card', true]]);
    expect(detectInText('{"idCard":"110105199003071239"}')[0]!.excerpt).toBe('110105********1239');
    // `idCardNo` contains `cardNo` but names an identity card, not a payment account.
    expect(names(detectInValue({ user: { idCardNo: '110105198706123459' } }))).toEqual(['id-card']);
  });
  it('false: wrong check character, impossible date, 18-digit order id', () => {
    expect(detectInText('id=110105199003071238')).toEqual([]);
    expect(detectInText('id=110105199013071239')).toEqual([]);
    expect(names(detectInText('txn 202405011200010001 ok'))).toEqual([]);
  });
});

describe('mobile and masked-mobile', () => {
  it('true: bare, +86, masked', () => {
    expect(names(detectInText('手机号 13812345678 已绑定'))).toEqual(['mobile']);
    expect(detectInText('phone=+8613812345678')[0]!.excerpt).toBe('+86138****5678');
    expect(detectInText('phone=138****5678').map((d) => [d.detector, d.masked])).toEqual([['masked-mobile', true]]);
  });
  it('false: inside longer numbers, epoch seconds, landlines, labelled request ids', () => {
    expect(detectInText('id=913812345678')).toEqual([]);
    expect(detectInText('ts=13812345678.5')).toEqual([]);
    expect(detectInText('tel 010-12345678')).toEqual([]);
    expect(detectInText('requestId=13812345678')).toEqual([]);
  });
});

describe('email', () => {
  it('true: a customer address, masked to its first letter and domain', () => {
    const ds = detectInText('notify zhang.san@example.com.cn sent');
    expect(ds.map((d) => [d.detector, d.excerpt])).toEqual([['email', 'z***@example.com.cn']]);
  });
  it('false: retina image names, role mailboxes, scoped packages', () => {
    expect(detectInText('GET /img/logo@2x.png')).toEqual([]);
    expect(detectInText('from noreply@bank.example')).toEqual([]);
    expect(detectInText('import @scope/pkg')).toEqual([]);
  });
});

describe('person-name', () => {
  it('true: name-labelled fields only', () => {
    expect(detectInValue({ 姓名: '张三' }).map((d) => [d.detector, d.excerpt])).toEqual([['person-name', '姓名=**']]);
    expect(names(detectInValue({ payer: { name: 'Li Lei' }, cardholderName: 'WANG FANG' }))).toEqual(['person-name', 'person-name']);
    expect(names(detectInText('holderName=王小明&amount=1.00'))).toEqual(['person-name']);
  });
  it('false: service and host names, masked names, free text guessing', () => {
    expect(detectInValue({ service: { name: 'payment' }, hostname: 'web01', route: { name: 'orders' } })).toEqual([]);
    expect(detectInValue({ customerName: '张*' })).toEqual([]);
    expect(detectInText('张三 logged in')).toEqual([]);
  });
});

describe('password and pin', () => {
  it('true: labelled values, HTTP Basic credentials', () => {
    expect(names(detectInText('login user=alice password=S3cr3t!'))).toEqual(['password']);
    expect(names(detectInValue({ user: { loginPwd: 'hunter2' }, pinBlock: '0412AC89ABCDEF67' }))).toEqual(['password', 'pin']);
    expect(names(detectInText('Authorization: Basic YWxpY2U6c2VjcmV0'))).toEqual(['password']);
    expect(detectInText('pin=1234')[0]!.excerpt).toBe('pin=****(4 chars)');
  });
  it('false: placeholders and unset Zeek columns', () => {
    for (const v of ['****', '<redacted>', 'REDACTED', 'xxx', '${DB_PASSWORD}', '-', '']) {
      expect(detectInValue({ password: v }), v).toEqual([]);
    }
    expect(detectInValue({ passwordPolicy: { minLength: 8 }, spinner: '1234', ping: 'ok' })).toEqual([]);
  });
});

describe('app-secret, private-key, bearer-token, jwt', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  it('true', () => {
    expect(names(detectInValue({ appSecret: 'a1b2c3d4e5f6', client_secret: 'k9z8y7x6' }))).toEqual(['app-secret', 'app-secret']);
    expect(detectInText('key="-----BEGIN RSA PRIVATE KEY-----\\nMIIEow...\\n-----END RSA PRIVATE KEY-----"')[0]!.excerpt).toBe(
      '-----BEGIN RSA PRIVATE KEY----- ****',
    );
    expect(names(detectInText('Authorization: Bearer 7f3c9a1e2b4d6f80a1b2c3d4'))).toEqual(['bearer-token']);
    expect(names(detectInText(`token=${jwt}`))).toEqual(['jwt']);
    expect(names(detectInText(`Authorization: Bearer ${jwt}`))).toEqual(['bearer-token']);
  });
  it('false', () => {
    expect(detectInValue({ appSecret: '${APP_SECRET}', secret: '<redacted>' })).toEqual([]);
    expect(detectInText('-----BEGIN PUBLIC KEY-----')).toEqual([]);
    expect(detectInText('401: Bearer authentication required')).toEqual([]);
    expect(detectInText('Authorization: Bearer <token>')).toEqual([]);
    expect(detectInText('eyJhbGciOiJIUzI1NiJ9 only a header')).toEqual([]);
  });
});

describe('detectInValue on the corpus payment log', () => {
  it('reports card, CVV and expiry under their JSON paths', () => {
    const record = JSON.parse(readFileSync(`${CORPUS}/otel-demo-payment-service-pino.jsonl`, 'utf8'));
    const ds = detectInValue(record);
    expect(ds.map((d) => [d.detector, d.field])).toEqual([
      ['pan', 'request.creditCard.creditCardNumber'],
      ['cvv', 'request.creditCard.creditCardCvv'],
      ['expiry', 'request.creditCard.creditCardExpirationYear'],
      ['expiry', 'request.creditCard.creditCardExpirationMonth'],
    ]);
    expect(JSON.stringify(ds.map((d) => d.excerpt))).not.toMatch(/4929-?6495-?8333-?3657|159/);
  });
  it('finds nothing in logs that only have many digit runs (IIS W3C, Zeek, HAProxy, Caddy)', () => {
    for (const f of ['iis-w3c.log', 'zeek-http.log', 'haproxy.log', 'caddy-access-docker-compose.log', 'cloudflare-http-requests.json']) {
      const lines = readFileSync(`${CORPUS}/${f}`, 'utf8').split('\n');
      expect(lines.flatMap((l) => detectInText(l)), f).toEqual([]);
    }
  });
});

describe('maskText', () => {
  it('leaves nothing a detector would flag, and keeps the rest', () => {
    const text = 'card=6222020000123456782 phone=13812345678 id=11010519491231002X mail=li.lei@example.com pwd=abc123';
    const masked = maskText(text);
    expect(masked).toBe('card=622202*********6782 phone=138****5678 id=110105********002X mail=l***@example.com pwd=****(6 chars)');
    expect(detectInText(masked).filter((d) => !d.masked)).toEqual([]);
  });
  it('every detector is declared with a category', () => {
    expect(DETECTORS.map((d) => d.name).sort()).toEqual(
      ['app-secret', 'bearer-token', 'cvv', 'email', 'expiry', 'id-card', 'jwt', 'masked-id-card', 'masked-mobile', 'masked-pan', 'mobile', 'pan', 'password', 'person-name', 'pin', 'private-key'].sort(),
    );
  });
});

describe('prefilter', () => {
  it('passes every line a detector reports on, and skips lines of plain traffic', async () => {
    const { candidateOffsets } = await import('./prefilter.js');
    const reported = [
      '{"request":{"creditCard":{"creditCardNumber":"4929-6495-8333-3657","creditCardCvv":159}}}',
      '{"payer":{"name":"张三"}}',
      '{"X-Api-Key":"a1b2c3d4e5f6"}',
      'first-name=Li',
      'exp_month=08 card=622202******0123',
      'mobile +86-13812345678',
      'id 11010519491231002x',
      'acctNo=310066726018010012345',
      'Authorization: Basic YWxpY2U6c2VjcmV0',
      'mail li.lei@example.com',
      '-----BEGIN EC PRIVATE KEY-----',
    ];
    for (const line of reported) {
      expect(detectInText(line).length + detectInValue(line.startsWith('{') ? JSON.parse(line) : line).length, line).toBeGreaterThan(0);
      expect(candidateOffsets(line).length, line).toBeGreaterThan(0);
    }
    const plain = '{"time":1745532517537,"hostname":"7d82d3f28bad","trace_id":"c759f29f5f1e2162be56f32dd1e77fce","service.name":"payment","orderNo":"2024050112345678901","status":200}';
    expect(candidateOffsets(plain)).toHaveLength(0);
  });
});

/** Detector and value pairs found in a text, in order. */
const found = (text: string): string[] => detectInText(text).map((d) => `${d.detector}:${d.value}`);

describe('issue 13: precision on the shapes of real logs', () => {
  it.each([
    ['HDFS block id glued by `_-`', '081109 205931 13 INFO dfs.DataBlockScanner: Verification succeeded for blk_-4980916519894289629', []],
    ['ids glued by `_`, `-`, `_-` on either side', 'blk_4111111111111111 req-4111111111111111 obj_-4111111111111111 4111111111111111_v2 4111111111111111-a', []],
    ['card grouping 4-4-4-4', 'paid with 4111 1111 1111 1111 ok', ['pan:4111 1111 1111 1111']],
    ['Amex grouping 4-6-5', 'amex 3782 822463 10005', ['pan:3782 822463 10005']],
    ['a Luhn-valid number in groups no card uses', 'counters 4111 111 1111 11111 and 41 1111 1111 111111', []],
    ['space-separated counters', 'REPORT : 7007 5002 150089 240 12 34 56 78 90 12 34 56', []],
    ['a row of stars after IP:port', 'connect 10.0.0.1:5070 **************** done; proxy.example.com:443 ** **** ****', []],
    ['a harmless label cannot swallow a later card label', 'orderInfo=cardNo=6222020000123456780', ['pan:6222020000123456780']],
    ['… nor a later password label', 'request:password=hunter2 order: pwd=s3cr3t', ['password:hunter2', 'password:s3cr3t']],
    ['aws_secret_access_key', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ['app-secret:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']],
    ['a password containing `{`', 'password=ab{cd}ef', ['password:ab{cd}ef']],
    ['placeholders are not secrets', 'password=${{ secrets.DB_PASSWORD }} token=$(cat /run/secret) secret=${DB_SECRET} pwd=%DB_PWD% client_secret={{ .Values.s }}', []],
    ['URL userinfo is a password, not an e-mail', 'jdbc postgres://app:S3cretPw@db.example.com:5432/x', ['password:S3cretPw']],
    ['… also without a dotted host', 'redis://default:hunter22@localhost:6379', ['password:hunter22']],
    ['punycode TLD', 'contact user@xn--fiqs8s.xn--55qx5d today', ['email:user@xn--fiqs8s.xn--55qx5d']],
    ['mobile spelled 3-4-4 with blanks', 'tel 138 1234 5678', ['mobile:138 1234 5678']],
    ['mobile spelled 3-4-4 with dashes', 'tel 138-1234-5678', ['mobile:138-1234-5678']],
    ['mobile after +86', 'tel +86 13812345678', ['mobile:+86 13812345678']],
    ['mobile after 0086', 'tel 008613812345678', ['mobile:008613812345678']],
    ['mobile after +86- in groups', 'tel +86-138-1234-5678', ['mobile:+86-138-1234-5678']],
    ['15-digit first-generation ID beside 身份证', '身份证 110105491231002 核验通过', ['id-card:110105491231002']],
    ['15-digit first-generation ID under an ID label', 'idNo=110105491231002', ['id-card:110105491231002']],
    ['15 digits with no word of an ID document', 'ref 110105491231002 ok', []],
    ['15 digits whose yyMMdd is no date', 'idNo=110105491331002', []],
  ])('%s', (_, text, want) => {
    expect(found(text)).toEqual(want);
    // The prefilter passes every line a detector reports on.
    if (want.length > 0) expect(candidateOffsets(text).length, text).toBeGreaterThan(0);
  });

  it('HTTP Basic credentials under any authorization key, Kong request.headers.authorization included', () => {
    const kong = { request: { headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==', host: 'api' } }, route: { id: 'r1' } };
    expect(detectInValue(kong).map((d) => `${d.detector}:${d.field}:${d.excerpt}`)).toEqual(['password:request.headers.authorization:Basic=****(20 chars)']);
    expect(detectInValue({ headers: { Authorization: ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='] } }).map((d) => d.detector)).toEqual(['password']);
    expect(detectInValue({ authorization: 'Basic realm="api"' })).toEqual([]);
  });

  it('names joined by a middle dot, up to 20 CJK characters, under a name label', () => {
    expect(detectInValue({ 姓名: '阿卜杜拉·买买提' }).map((d) => d.detector)).toEqual(['person-name']);
    expect(detectInValue({ holderName: '爱新觉罗·溥仪' }).map((d) => d.detector)).toEqual(['person-name']);
    expect(detectInValue({ 姓名: `${'阿'.repeat(10)}·${'买'.repeat(10)}` }).map((d) => d.detector)).toEqual(['person-name']);
    expect(detectInValue({ 姓名: `${'阿'.repeat(11)}·${'买'.repeat(10)}` })).toEqual([]);
  });
});

describe('issue 11: every detector is linear in line length', () => {
  const FIVE_MB = 5 * 1024 * 1024;
  const line = (unit: string): string => unit.repeat(Math.ceil(FIVE_MB / unit.length));

  it('5 MB of `eyJaaaa.` is read to its end: every JWT-shaped run found once, masked', () => {
    const ds = detectInText(line('eyJaaaa.'));
    expect(ds.length).toBe(Math.floor(Math.ceil(FIVE_MB / 8) / 3));
    expect(ds.every((d) => d.detector === 'jwt' && d.excerpt === '****(23 chars)')).toBe(true);
  });

  it('5 MB of `password: ` holds no value to report', () => {
    expect(detectInText(line('password: '))).toEqual([]);
    expect(candidateOffsets(line('password: ')).length).toBeGreaterThan(0);
  });

  it.each([['-----BEGIN RSA PRIVATE KEY-----'], ['姓名:'], ['orderInfo=cardNo='], ['身份证 110105491231002 ']])('5 MB of `%s` completes', (unit) => {
    expect(Array.isArray(detectInText(line(unit)))).toBe(true);
  });
});
