/**
 * Plain-text explanation of a parsed U_API_ID, for the `jrt0185 uapi-id ID...` command: one line per Annex B
 * field with its value and meaning, then one line per problem. Pure; the command only prints it.
 */
import type { ParsedUApiId, UApiPart } from './parse.js';

type Lang = 'zh' | 'en';

const FIELD_LABEL: Record<Exclude<UApiPart, 'length'>, { zh: string; en: string }> = {
  fixed: { zh: '固定位', en: 'fixed' },
  institution: { zh: '机构代码', en: 'institution' },
  type: { zh: '接口类型', en: 'type' },
  category: { zh: '服务类别', en: 'category' },
  sequence: { zh: '顺序码', en: 'sequence' },
  reserved: { zh: '保留位', en: 'reserved' },
};

export function describeUApiId(parsed: ParsedUApiId, lang: Lang = 'en'): string[] {
  const { fields } = parsed;
  const verdict = parsed.valid ? (lang === 'zh' ? '有效' : 'valid') : lang === 'zh' ? '无效' : 'invalid';
  const lines = [`${parsed.id}  ${verdict}`];
  const label = (part: keyof typeof FIELD_LABEL): string => FIELD_LABEL[part][lang].padEnd(lang === 'zh' ? 6 : 12);
  const levelText = fields.level ? (lang === 'zh' ? `${fields.level} 安全级别` : `security level ${fields.level}`) : '';
  const categoryName = fields.category.primaryName?.[lang] ?? '';
  lines.push(`  ${label('fixed')}${fields.fixed}`);
  lines.push(`  ${label('institution')}${fields.institution}`);
  lines.push(`  ${label('type')}${fields.type}${levelText ? `  ${levelText}` : ''}`);
  lines.push(`  ${label('category')}${fields.category.primary} ${fields.category.secondary}${categoryName ? `  ${categoryName}` : ''}`);
  lines.push(`  ${label('sequence')}${fields.sequence}`);
  lines.push(`  ${label('reserved')}${fields.reserved}`);
  // ✗ a format error (shall); ! a departure from a preference (should), which leaves the id valid.
  for (const e of parsed.errors) lines.push(`  ${e.obligation === 'should' ? '!' : '✗'} ${lang === 'zh' ? e.zh : e.en}`);
  return lines;
}
