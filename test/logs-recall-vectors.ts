/**
 * Published test vectors of other projects' card, ID-number, mobile, JWT and secret validators and scanners,
 * used by test/logs-recall.test.ts. Each group names its source (repository and path; commit where the search
 * index gave one). `claimed: false` marks vectors the README does not claim to detect (issuer ranges it leaves
 * out on purpose); they are planted and reported, but recall is judged on the claimed ones.
 *
 * Negatives are what the same sources list as invalid (or build as invalid: luhn-cc drops the last digit), and
 * which are no personal data in any spelling. A validator's "invalid" that still holds a real mobile or card
 * (validator.js rejects `0086-138-1121-1114` for its dashes; in a log it is a mobile) is not used as a negative.
 */

export type Kind = 'pan' | 'id-card' | 'mobile' | 'email' | 'jwt' | 'private-key' | 'password';

export interface Vector {
  value: string;
  kind: Kind;
  source: string;
  /** Left out of the recall the README claims, with the reason. */
  claimed?: false;
  note?: string;
}

const VALIDATOR_CC = 'validatorjs/validator.js test/validators/isCreditCard.test.js @ c8ba3245fed94264e181e1ea53f3939532b08ae4';
const RECURLY_PAYPAL = 'rafaelklaessen/creditcard lib/testNumbers.js @ 180710471fe27fb31fa89d898073dbdfcdafd9e0 (PayPal and Recurly test numbers)';
const HEARTLAND = 'hps/heartland-transit-extension test/support/test-data.js';
const PAYPAL_GB = 'ErissonAndrade/credit-card-luhn-validation backend/routes/testsModel/creditCardModels.js (PayPal test numbers)';
const LUHN_CC = 'ianaya89/luhn-cc test/fixture/card-numbers.js (invalid = valid without its last digit)';
const GB11643_GO = 'issue9/is gb11643_test.go';
const ID_VALIDATOR_GO = 'guanguans/id-validator README-EN.md';
const AJ = 'sp42/aj-framework aj-base/src/test/java/com/ajaxjs/base/service/id_card/TestIdCardService.java';
const HUTOOL = 'zhengzhenning/module-study src/test/java/com/yibu/modulestudy/tools/HuToolTest.java (hutool IdcardUtil)';
const VALIDID = 'Edditoria/validid README.md';
const NEEHOW = 'neehow/is-valid-id-card README.md';
const COSMOS = 'Cosmos.Validation ChinaIdNumberValidatorTests (cosmos-loops)';
const SKIT = 'SKIT.Utility IDCardUtilUnitTests';
const NEXTENTITY = 'nextentity codec IdentityCardUtilsTest';
const CSAF = 'top.csaf IdCardUtilTest';
const VALIDATOR_ALL = 'validatorjs/validator.js test/validators.test.js (isMobilePhone zh-CN, isJWT)';
const ESDORA = '@esdora/kit isPhone documentation (rules from any86/any-rule)';
const ZAN = 'wulv/zan-utils src/validate/chinaMobile.ts';
const GITLEAKS = 'gitleaks/gitleaks src/constants.go default config (PKCS8, RSA, SSH, PGP private key headers)';
const RFC7617 = 'RFC 7617 §2 (HTTP Basic examples)';
const VALIDATOR_EMAIL = 'validatorjs/validator.js test/validators/isEmail.test.js @ 4a6d5f2b0a034a0b85a3ec3e99fc3f31712f1a5e';

const cards = (source: string, values: string[], claimed = true): Vector[] =>
  values.map((value) => ({ value, kind: 'pan' as const, source, ...(claimed ? {} : { claimed: false as const }) }));
const ids = (source: string, values: string[]): Vector[] => values.map((value) => ({ value, kind: 'id-card' as const, source }));
const mobiles = (source: string, values: string[]): Vector[] => values.map((value) => ({ value, kind: 'mobile' as const, source }));

const POSITIVE_LIST: Vector[] = [
  ...cards(VALIDATOR_CC, [
    '375556917985515', '36050234196908', '4716461583322103', '4716-2210-5188-5662', '4929 7226 5379 7141', '5398228707871527',
    '6283875070985593', '6263892624162870', '6234917882863855', '6234698580215388', '6226050967750613', '6246281879460688',
    '2222155765072228', '2225855203075256', '2720428011723762', '2718760626256570', '4716989580001715211', '8171999927660000',
    '8171999900000000021', '6011111111111117', '6011000990139424', '3530111333300000', '3566002020360505',
  ]),
  // validator.js calls 67… UnionPay; UnionPay issues from 62 and 81, and 67 is Maestro's, which the README leaves out.
  ...cards(VALIDATOR_CC, ['6765780016990268'], false),
  ...cards(RECURLY_PAYPAL, [
    '4000000000000002', '4000000000000010', '4000000000000028', '4000000000000036', '4000000000000044', '4000000000000051',
    '4000000000000077', '4000000000000085', '4000000000000093', '4000000000000101', '4000000000000119', '4000000000000200',
    '4000000000000226', '4000000000000309', '4000000000000317', '4000000000000325', '4000000000000341',
    '4222222222222', '4012888888881881', '4111111111111111', '5105105105105100', '5555555555554444', '6011601160116611',
    '38520000023237', '30569309025904', '378734493671000', '371449635398431', '378282246310005', '341111111111111',
    '5431111111111111', '5610591081018250', '5019717010103742',
  ]),
  // Dankort's 11-digit number and Switch/Solo (6331, a scheme closed in 2011) are outside the README's issuer list.
  ...cards(RECURLY_PAYPAL, ['76009244561', '6331101999990016'], false),
  // Not Luhn-valid (Recurly's number for a declined card): a card only under a card label, not by its shape.
  { value: '4222222222222222', kind: 'pan', source: RECURLY_PAYPAL, claimed: false, note: 'fails the Luhn check' },
  ...cards(HEARTLAND, [
    '4012000098765439', '4012881888818888', '5146315000000055', '5146312200000035', '5146312620000045', '2223000048400011',
    '371449635392376', '6011000993026909', '6282000123842342', '6221261111112650', '3055155515160018', '3530142019945859',
  ]),
  ...cards(PAYPAL_GB, [
    '376680816376961', '36259600000004', '6304000000000000', '5063516945005047', '4005519200000004', '4012000033330026',
    '4012000077777777', '4217651111111119', '4500600000000061', '4772129056533503', '4915805038587737',
  ]),
  ...ids(GB11643_GO, ['350303199002033073', '350303900203307', '331122197905116239', '513330199111066159', '33050219880702447x', '33050219880702447X', '330502880702447']),
  ...ids(ID_VALIDATOR_GO, ['440308199901101512', '610104620927690', '810000199408230021', '830000199201300022']),
  ...ids(AJ, ['310230199104010311', '31023019910401075X', '310230199104012413']),
  ...ids(HUTOOL, ['350424870506202', '350301199606030030']),
  // The test calls it valid, but its MOD 11-2 check character is 5, not X (GB 11643-1999 §8.2).
  { value: '14052219841209008X', kind: 'id-card', source: HUTOOL, claimed: false, note: 'wrong check character' },
  ...ids(VALIDID, ['120103198806018241']),
  ...ids(NEEHOW, ['11012119880808223x']),
  ...ids(COSMOS, ['370986890623212']),
  ...ids(SKIT, ['110101000101100']),
  ...ids(NEXTENTITY, ['11010519491231002X']),
  ...ids(CSAF, ['11010119491001159X']),
  ...mobiles(VALIDATOR_ALL, [
    '15323456787', '13523333233', '13898728332', '+8613238234822', '+8613487234567', '+8617823492338', '16637108167',
    '+8616637108167', '008618812341234', '+8619912341234', '+8619812341234',
  ]),
  ...mobiles(ESDORA, ['008618311006933', '+8617888829981', '19119255642', '19519255642']),
  ...mobiles(ZAN, ['13170273187']),
  // The spellings issue 13 names, applied to published numbers: `138 1234 5678`, `138-1234-5678`, `+86 138…`.
  ...mobiles(`${VALIDATOR_ALL}, spaced and dashed`, ['153 2345 6787', '135-2333-3233', '+86 138 9872 8332', '+86-178-2349-2338', '0086 166 3710 8167']),
  ...[
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJsb2dnZWRJbkFzIjoiYWRtaW4iLCJpYXQiOjE0MjI3Nzk2Mzh9.gzSraSYS8EXBxLN_oWnFSRgCzcmJmMjLiuyu5CSpyHI',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJsb3JlbSI6Imlwc3VtIn0.ymiJSsMJXR6tMSr8G9usjQ15_8hKPDv_CArLhxw28MI',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkb2xvciI6InNpdCIsImFtZXQiOlsibG9yZW0iLCJpcHN1bSJdfQ.rRpe04zbWbbJjwM43VnHzAboDzszJtGrNsUxaqQ-GQ8',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqb2huIjp7ImFnZSI6MjUsImhlaWdodCI6MTg1fSwiamFrZSI6eyJhZ2UiOjMwLCJoZWlnaHQiOjI3MH19.YRLPARDmhGMC3BBk_OhtwwK21PIkVCqQe8ncIRPKo-E',
  ].map((value): Vector => ({ value, kind: 'jwt', source: VALIDATOR_ALL })),
  ...['-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PGP PRIVATE KEY BLOCK-----'].map(
    (header): Vector => ({ value: `${header}\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END-----`, kind: 'private-key', source: GITLEAKS }),
  ),
  ...['QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'dGVzdDoxMjPCow=='].map((value): Vector => ({ value, kind: 'password', source: RFC7617 })),
  // The ASCII addresses; quoted local parts, IP literals and non-ASCII (IDN) addresses are not claimed.
  ...[
    'foo@bar.com', 'x@x.au', 'foo@bar.com.au', 'foo+bar@bar.com', 'test123+ext@gmail.com', 'some.name.midd.leNa.me.and.locality+extension@GoogleMail.com',
    'test@gmail.com', 'test.1@gmail.com', 'test@1337.com', 'foobar@gmail.com', 'foo.bar@googlemail.com', 'email@foo.gmail.com', 'emil@gmail.com',
    `${'a'.repeat(31)}@gmail.com`, `${'a'.repeat(64)}@${'a'.repeat(63)}.com`,
  ].map((value): Vector => ({ value, kind: 'email', source: VALIDATOR_EMAIL })),
  { value: 'Deleted-user-id-19430-Team-5051deleted-user-id-19430-team-5051XXXXXX@example.com', kind: 'email', source: VALIDATOR_EMAIL, claimed: false, note: 'local part over the 64 characters RFC 5321 allows' },
];

/** The same vector listed by two sources is planted once, under the first source. */
export const POSITIVES: Vector[] = POSITIVE_LIST.filter((v, i) => POSITIVE_LIST.findIndex((w) => w.value === v.value) === i);

const neg = (kind: Kind, source: string, values: string[]): Vector[] => values.map((value) => ({ value, kind, source }));

export const NEGATIVES: Vector[] = [
  ...neg('pan', VALIDATOR_CC, [
    '5398228707871528', '2718760626256571', '2721465526338453', '2220175103860763', '375556917985515999999993',
    '899999996234917882863855', 'prefix6234917882863855', '623491788middle2863855', '6234917882863855suffix', '4716989580001715213',
  ]),
  ...neg('pan', LUHN_CC, [
    '37828224631000', '37873449367100', '561059108101825', '3056930902590', '601111111111111', '353011133330000',
    '555555555555444', '411111111111111', '633110199999001',
  ]),
  ...neg('id-card', GB11643_GO, ['111111111111111111', '330502198807024471', '33050288070244', '3305028807024411']),
  ...neg('id-card', HUTOOL, ['35030119961303003089', '350301199613030030']),
  ...neg('id-card', NEXTENTITY, ['110105194912310021']),
  ...neg('id-card', SKIT, ['990101000101100', '119901001301100', '11990100130110A', '11010100010110', '1101010001011000']),
  ...neg('mobile', VALIDATOR_ALL, ['12345', '010-38238383', '12345678910', 'Vml2YW11cyBmZXJtZtesting123']),
  ...neg('email', VALIDATOR_EMAIL, ['invalidemail@', 'invalid.com', '@invalid.com', 'z@co.c', 'foo@_bar.com']),
  ...neg('jwt', VALIDATOR_ALL, ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '$Zs.ewu.su84', 'ks64$S/9.dy$§kz.3sd73b']),
];
