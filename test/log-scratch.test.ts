import { it } from 'vitest';
import { detectInText, detectInValue } from '../src/detectors/index.js';
import { candidateOffsets } from '../src/detectors/prefilter.js';
const N0 = 5 * 1024 * 1024;
{
  const N = Number(process.env.PN ?? 5 * 1024 * 1024);
  const rep = (s: string) => s.repeat(Math.ceil(N / s.length)).slice(0, N);
  const cases: Record<string, string> = {
    jwt: rep('eyJaaaa.'), pw: rep('password: '), digits: rep('1'), grouped: rep('4111 '), at: rep('a@'), dom: 'a@' + rep('b.'),
    stars: rep('*'), pem: rep('-----BEGIN RSA PRIVATE KEY-----'), bearer: rep('Bearer '), name: rep('姓名:'), userinfo: rep('https://a:b'),
    nested: rep('x=cardNo='), quote: rep('"a":"'), spaces: 'password' + ' '.repeat(N), basic: rep('authorization: Basic '), mask: rep('6222 ** '),
    kv: rep('orderInfo=cardNo='), idword: '身份证 ' + rep('110105491231002 '), dash: rep('1-'), ipstar: rep('10.0.0.1:5070 ** '),
  };
  for (const [name, text] of Object.entries(cases)) it(name, () => {
    const t0 = performance.now();
    const c = candidateOffsets(text).length;
    const t1 = performance.now();
    const d = detectInText(text).length;
    const t2 = performance.now();
    const v = detectInValue({ password: text, msg: text }).length;
    const t3 = performance.now();
    console.log(name.padEnd(10), `prefilter ${(t1 - t0).toFixed(0)}ms (${c})`, `text ${(t2 - t1).toFixed(0)}ms (${d})`, `value ${(t3 - t2).toFixed(0)}ms (${v})`);
  }, 20000);
}
