import { describe, expect, it } from 'vitest';
import { parseUApiId } from './parse.js';

// C10102 is the first 6 characters of a JR/T 0124 code of the kind PBOC assigns to a national bank head office.
const VALID = 'OPC10102020100010000010' + '0';

describe('parseUApiId', () => {
  it('splits a valid A2 id into its Annex B fields', () => {
    const parsed = parseUApiId(VALID);
    expect(parsed.valid).toBe(true);
    expect(parsed.errors).toEqual([]);
    expect(parsed.fields).toEqual({
      fixed: 'OP',
      institution: 'C10102',
      type: '02',
      level: 'A2',
      category: { primary: '01', primaryName: { zh: '账户服务', en: 'account services' }, secondary: '0001' },
      sequence: '000001',
      reserved: '00',
    });
  });

  it.each([
    ['OP10500001020001999999' + '00', 'A1', '02', '支付结算'],
    ['OPB0001H02080001000002' + '00', 'A2', '08', '科技服务'],
    ['OPC10102010600010000010' + '0', 'A1', '06', '行业服务'],
  ])('accepts %s (type level %s, category %s)', (id, level, primary, name) => {
    const parsed = parseUApiId(id);
    expect(parsed.errors).toEqual([]);
    expect(parsed.fields.level).toBe(level);
    expect(parsed.fields.category.primary).toBe(primary);
    expect(parsed.fields.category.primaryName?.zh).toBe(name);
  });

  it('accepts bank-numbered categories 09–99, which have no standard name', () => {
    const parsed = parseUApiId('OPC10102029900010000010' + '0');
    expect(parsed.valid).toBe(true);
    expect(parsed.fields.category.primaryName).toBeUndefined();
  });

  it.each([
    // [id, part, messageId, english fragment]
    ['OPC1010202010001000001', 'length', 'wrongLength', 'has 22'],
    ['OPC10102020100010000010' + '00', 'length', 'wrongLength', 'has 25'],
    ['OPC10102020100010000０1' + '00', 'length', 'notAscii', 'non-ASCII'],
    ['opC10102020100010000010' + '0', 'fixed', 'fixedNotOP', 'found "op"'],
    ['AP' + 'C10102020100010000010' + '0', 'fixed', 'fixedNotOP', 'found "AP"'],
    ['OPc10102020100010000010' + '0', 'institution', 'institutionInvalid', 'found "c10102"'],
    ['OPC10-02020100010000010' + '0', 'institution', 'institutionInvalid', 'found "C10-02"'],
    ['OPC10102000100010000010' + '0', 'type', 'typeReserved', 'reserved'],
    ['OPC10102030100010000010' + '0', 'type', 'typeInvalid', 'found "03"'],
    ['OPC10102A20100010000010' + '0', 'type', 'typeInvalid', 'found "A2"'],
    ['OPC1010202000001000001' + '00', 'category', 'primaryReserved', '00 is reserved'],
    ['OPC1010202010000000001' + '00', 'category', 'secondaryReserved', '0000 is reserved'],
    ['OPC101020201A001000001' + '00', 'category', 'categoryNotDigits', 'found "01A001"'],
    ['OPC1010202010001000001' + '01', 'reserved', 'reservedNotDefault', 'found "01"'],
  ])('rejects %s: %s %s', (id, part, messageId, fragment) => {
    const parsed = parseUApiId(id);
    expect(parsed.valid).toBe(false);
    expect(parsed.errors.map((e) => [e.part, e.messageId])).toEqual([[part, messageId]]);
    expect(parsed.errors[0]!.en).toContain(fragment);
    expect(parsed.errors[0]!.zh.length).toBeGreaterThan(0);
  });

  it.each([
    ['OPC1010202010001000000' + '00', 'sequenceZero', '000000'],
    ['OPC101020201000100001X' + '00', 'sequenceNotDigits', 'found "00001X"'],
  ])('keeps %s valid, noting a departure from the B.3.6 numbering preference (should): %s', (id, messageId, fragment) => {
    const parsed = parseUApiId(id);
    expect(parsed.valid).toBe(true);
    expect(parsed.errors.map((e) => [e.part, e.messageId, e.obligation])).toEqual([['sequence', messageId, 'should']]);
    expect(parsed.errors[0]!.en).toContain(fragment);
  });

  it('marks every format error shall', () => {
    expect(parseUApiId('XXc101020000000000000099').errors.filter((e) => e.obligation === 'shall').map((e) => e.messageId)).toEqual([
      'fixedNotOP',
      'institutionInvalid',
      'typeReserved',
      'primaryReserved',
      'secondaryReserved',
      'reservedNotDefault',
    ]);
  });

  it('reports every broken part of a well-sized id, in Annex B order', () => {
    const parsed = parseUApiId('XXc101020000000000000099');
    expect(parsed.errors.map((e) => e.messageId)).toEqual([
      'fixedNotOP',
      'institutionInvalid',
      'typeReserved',
      'primaryReserved',
      'secondaryReserved',
      'sequenceZero',
      'reservedNotDefault',
    ]);
  });

  it('reports only the length when the id is mis-sized, since every later field is shifted', () => {
    const parsed = parseUApiId('OP-C10102-02-010001-000001-00');
    expect(parsed.errors.map((e) => e.messageId)).toEqual(['wrongLength']);
  });

  it('treats the empty string as a length problem', () => {
    expect(parseUApiId('').errors.map((e) => e.messageId)).toEqual(['wrongLength']);
  });
});

describe('describeUApiId', () => {
  it('explains each field of a valid id', async () => {
    const { describeUApiId } = await import('./describe.js');
    expect(describeUApiId(parseUApiId(VALID), 'en')).toEqual([
      'OPC101020201000100000100  valid',
      '  fixed       OP',
      '  institution C10102',
      '  type        02  security level A2',
      '  category    01 0001  account services',
      '  sequence    000001',
      '  reserved    00',
    ]);
  });

  it('lists the problems of an invalid id in Chinese', async () => {
    const { describeUApiId } = await import('./describe.js');
    const lines = describeUApiId(parseUApiId('OPC1010200010001000001' + '01'), 'zh');
    expect(lines[0]).toBe('OPC101020001000100000101  无效');
    expect(lines.filter((l) => l.startsWith('  ✗'))).toEqual(['  ✗ 接口类型编码 00 为保留值（B.3.4），应为 01（A1）或 02（A2）', '  ✗ 保留位应为默认值 00（B.3.7），实际为“01”']);
  });

  it('shows a departure from the numbering preference with !, and the id stays valid', async () => {
    const { describeUApiId } = await import('./describe.js');
    const lines = describeUApiId(parseUApiId('OPC101020201000100001X' + '00'), 'en');
    expect(lines[0]).toBe('OPC101020201000100001X00  valid');
    expect(lines.at(-1)).toBe('  ! the sequence number should preferably be numbered 000001 to 999999 in order (B.3.6); found "00001X"');
  });
});
