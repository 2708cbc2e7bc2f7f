import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../input/json-text.js';
import { createLocator } from './locate.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fixture(name), 'utf8');

function at(locator: ReturnType<typeof createLocator>, pointer: string): string {
  const position = locator.locate([pointer]).get(pointer);
  return position ? `${position.line}:${position.column}` : 'none';
}

describe('YAML locator (block style, as OpenAPI YAML is written)', () => {
  const locator = createLocator('bank-3.0.yaml', read('bank-3.0.yaml'), 'yaml');

  it('puts a mapping entry on its key and a sequence item on its value', () => {
    expect(at(locator, '')).toBe('1:1');
    expect(at(locator, '/info/title')).toBe('3:3');
    expect(at(locator, '/servers/1')).toBe('8:5');
    expect(at(locator, '/servers/1/url')).toBe('8:5');
    expect(at(locator, '/paths/~1accounts~1{accountId}/get')).toBe('21:5');
    expect(at(locator, '/paths/~1accounts~1{accountId}/get/x-u-api-id')).toBe('24:7');
    expect(at(locator, '/paths/~1accounts~1{accountId}/post/security/0/requestSignature')).toBe('55:11');
    expect(at(locator, '/paths/~1health/get/security')).toBe('90:7');
    expect(at(locator, '/components/schemas/Account/properties/accountNo/x-masked')).toBe('115:11');
  });

  it('resolves pointers into flow collections or to nothing to the nearest existing ancestor', () => {
    expect(at(locator, '/paths/~1accounts~1{accountId}/post/security/1/oauth/0')).toBe('56:11');
    expect(at(locator, '/paths/~1accounts~1{accountId}/delete')).toBe('12:3');
    expect(at(locator, '/x-not-there/deeper')).toBe('1:1');
  });

  it('answers a batch and keeps answering later batches', () => {
    const batch = locator.locate(['/info/version', '/security/0/appSecret', '/paths/~1health']);
    expect([...batch.values()].map((p) => `${p.line}:${p.column}`)).toEqual(['4:3', '10:5', '88:3']);
    expect(at(locator, '/info/x-security-level')).toBe('5:3');
  });

  it('copes with comments, document markers, quoted keys, block scalars and both sequence styles', () => {
    const text = [
      '# leading comment', // 1
      '---', // 2
      'openapi: "3.1.0"', // 3
      "'info':", // 4
      '  title: >', // 5
      '    folded text', // 6
      '    title: not a key', // 7
      '  "version": \'1\'', // 8
      'tags:', // 9
      '- name: a', // 10
      '  description: |', // 11
      '    - not an item', // 12
      '- name: b', // 13
      'paths:', // 14
      '  /x:', // 15
      '    get:', // 16
      '      parameters:', // 17
      '        -', // 18
      '          name: q', // 19
      '          in: query', // 20
      '        - name: r   # trailing comment', // 21
      '          in: header', // 22
      '      x-list: [1, 2]', // 23
      '      "x-quoted: key": yes', // 24
    ].join('\r\n');
    const yaml = createLocator('edge.yaml', text, 'yaml');
    expect(at(yaml, '/openapi')).toBe('3:1');
    expect(at(yaml, '/info')).toBe('4:1');
    expect(at(yaml, '/info/title')).toBe('5:3');
    expect(at(yaml, '/info/version')).toBe('8:3');
    expect(at(yaml, '/tags/0/name')).toBe('10:3');
    expect(at(yaml, '/tags/0/description')).toBe('11:3');
    expect(at(yaml, '/tags/1')).toBe('13:3');
    expect(at(yaml, '/tags/2')).toBe('9:1');
    expect(at(yaml, '/paths/~1x/get/parameters/0')).toBe('18:9');
    expect(at(yaml, '/paths/~1x/get/parameters/0/in')).toBe('20:11');
    expect(at(yaml, '/paths/~1x/get/parameters/1/name')).toBe('21:11');
    expect(at(yaml, '/paths/~1x/get/parameters/1/in')).toBe('22:11');
    expect(at(yaml, '/paths/~1x/get/x-list/1')).toBe('23:7');
    expect(at(yaml, '/paths/~1x/get/x-quoted: key')).toBe('24:7');
  });
});

describe('JSON locator', () => {
  it('locates members of pretty-printed JSON on their key', () => {
    const locator = createLocator('bank-3.1.json', read('bank-3.1.json'), 'json');
    expect(at(locator, '')).toBe('1:1');
    expect(at(locator, '/info/x-security-level')).toBe('6:5');
    expect(at(locator, '/servers/0')).toBe('9:5');
    expect(at(locator, '/servers/0/url')).toBe('9:7');
    expect(at(locator, '/paths/~1payments/post/security/0/mtls')).toBe('16:24');
    expect(at(locator, '/paths/~1payments/post/requestBody/content/application~1json/schema/required/0')).toBe('22:30');
    expect(at(locator, '/components/schemas/Payment/properties/payerCardNo/x-masked')).toBe('55:46');
    expect(at(locator, '/components/schemas/Payment/properties/payerCardNo/nope')).toBe('55:11');
  });

  it('gives exact columns in minified one-line JSON', () => {
    const text = read('bank-minified.json');
    const locator = createLocator('bank-minified.json', text, 'json');
    const payment = text.indexOf('"Payment":{');
    const masked = text.indexOf('"x-masked"', payment);
    const getPayment = text.indexOf('"get":{"operationId":"getPayment"');
    const pointers = {
      '/components/schemas/Payment': payment,
      '/components/schemas/Payment/properties/payerCardNo/x-masked': masked,
      '/paths/~1payments~1{id}/get': getPayment,
      '/paths/~1payments~1{id}/get/parameters/0': text.indexOf('{"name":"id"', getPayment),
    };
    const located = locator.locate(Object.keys(pointers));
    for (const [pointer, offset] of Object.entries(pointers)) {
      expect(offset, pointer).toBeGreaterThan(0);
      expect(located.get(pointer), pointer).toEqual({ line: 1, column: offset + 1 });
    }
  });

  it('answers one pointer at a time exactly as it answers a batch', () => {
    const text = read('bank-3.1.json');
    const pointers = [
      '/paths/~1payments/post/requestBody/content/application~1json/schema/properties/amount/type/1',
      '/paths/~1payments/post/responses/201/content/application~1json/schema/$ref',
      '/paths/~1payments/post/x-missing/deeper',
      '#/components/schemas/Payment/properties/id',
      '/paths/~1payments/post',
      '/webhooks/paymentSettled/post/responses/200/description',
      '/paths/~1payments/post/requestBody/content/application~1json/schema/properties/payerCardNo/maxLength',
    ];
    const batch = createLocator('bank-3.1.json', text, 'json').locate(pointers);
    const single = createLocator('bank-3.1.json', text, 'json');
    for (const pointer of pointers) expect(single.locate([pointer]).get(pointer), pointer).toEqual(batch.get(pointer));
    expect(batch.get('/paths/~1payments/post/x-missing/deeper')).toEqual(batch.get('/paths/~1payments/post'));
    expect(batch.get('#/components/schemas/Payment/properties/id')).toEqual({ line: 54, column: 11 });
  });

  it('reads keys with escapes and skips strings holding brackets and quotes', () => {
    const text = '{"a":{"x":"}]\\"{[","k\\u0065y":[10,{"deep":true}]},"b~/c":1}';
    const locator = createLocator('escapes.json', text, 'json');
    expect(at(locator, '/a/key/1/deep')).toBe(`1:${text.indexOf('"deep"') + 1}`);
    expect(at(locator, '/b~0~1c')).toBe(`1:${text.indexOf('"b~/c"') + 1}`);
    expect(at(locator, '/a/key/0')).toBe(`1:${text.indexOf('10') + 1}`);
  });

  it('puts every member and element where a writer that records its offsets put it (random texts, fixed seed)', () => {
    // Oracle independent of the locator: a serialiser notes where it writes each key and element. Pretty, minified,
    // CRLF and tab layouts; keys and strings with escapes, brackets, quotes and characters past ASCII; read both as
    // written and through the one-byte JSON text (escapes plus offset map, src/input/json-text.ts).
    let seed = 0x10ca7e;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const words = ['a', 'id', '{', ']', '\\"', '\\\\', '\\u0041', 'é', '😀', '値', '~', '/', ' '];
    const word = () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(words)).join('');
    let located = 0;
    let throughEscapes = 0;
    for (let round = 0; round < 150; round++) {
      const nl = pick(['\n', '\r\n', '']);
      const indent = nl === '' ? '' : pick(['  ', '\t']);
      const expected = new Map<string, number>();
      let text = '';
      const write = (depth: number, pointer: string): void => {
        const pad = (d: number) => (nl === '' ? '' : nl + indent.repeat(d));
        const r = next();
        if (depth > 4 || r < 0.35) {
          text += pick(['1', 'true', 'null', `"${word()}"`, '[]', '{}']);
          return;
        }
        const array = r < 0.55;
        text += array ? '[' : '{';
        const count = 1 + Math.floor(next() * 4);
        const keys = new Set<string>();
        for (let k = 0; k < count; k++) {
          if (k > 0) text += ',';
          text += pad(depth + 1);
          let child: string;
          if (array) {
            child = `${pointer}/${k}`;
            expected.set(child, text.length);
          } else {
            let key = word();
            while (keys.has(key)) key += 'x';
            keys.add(key);
            const decoded = JSON.parse(`"${key}"`) as string;
            child = `${pointer}/${decoded.replace(/~/g, '~0').replace(/\//g, '~1')}`;
            expected.set(child, text.length);
            text += `"${key}":${nl === '' ? '' : ' '}`;
          }
          write(depth + 1, child);
        }
        text += pad(depth) + (array ? ']' : '}');
      };
      write(0, '');
      JSON.parse(text);
      const want = new Map<string, { line: number; column: number }>();
      for (const [pointer, offset] of expected) {
        const before = text.slice(0, offset);
        const lineStart = before.lastIndexOf('\n') + 1;
        want.set(pointer, { line: before.split('\n').length, column: offset - lineStart + 1 });
      }
      const pointers = [...expected.keys()];
      expect(createLocator('r.json', text, 'json').locate(pointers), text).toEqual(want);
      const padded = Buffer.from(`${text}${' '.repeat(8000)}`, 'utf8'); // sparse enough for the one-byte text
      const one = jsonText(padded);
      if (one) expect(createLocator('r.json', one.text, 'json', one.offsets).locate(pointers), text).toEqual(want);
      located += pointers.length;
      if (one?.offsets) throughEscapes++;
    }
    expect(located).toBeGreaterThan(300);
    expect(throughEscapes).toBeGreaterThan(30);
  });
});
