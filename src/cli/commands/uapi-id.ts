import { parseUApiId } from '../../uapi/parse.js';
import { parseLang } from '../options.js';
import { UsageError } from '../../errors.js';

/** Explains each field of each U_API_ID (Annex B); exit 1 when any is invalid. */
export async function uapiIdCommand(ids: string[], flags: { format: string; lang?: string }): Promise<number> {
  const lang = parseLang(flags.lang);
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
  const parsed = ids.map(parseUApiId);
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
  } else {
    const zh = lang === 'zh';
    for (const p of parsed) {
      const f = p.fields;
      const lines = [
        `${p.id}  ${p.valid ? (zh ? '有效' : 'valid') : zh ? '无效' : 'INVALID'}`,
        `  ${zh ? '固定位' : 'fixed'}        ${f.fixed}            (B.3.2 ${zh ? '固定为 OP' : 'always OP'})`,
        `  ${zh ? '机构代码' : 'institution'}  ${f.institution}        (B.3.3 ${zh ? 'JR/T 0124 金融机构编码前6位' : 'first 6 characters of the JR/T 0124 institution code'})`,
        `  ${zh ? '接口类型' : 'type'}         ${f.type}            (B.3.4 ${f.level ? `${f.level}` : zh ? '00 保留/无效' : '00 reserved / invalid'})`,
        `  ${zh ? '服务类别' : 'category'}     ${f.category.primary} ${f.category.secondary}       (B.3.5 ${f.category.primaryName ? f.category.primaryName[lang] : zh ? '未定义的一级标识' : 'unassigned first level'})`,
        `  ${zh ? '顺序码' : 'sequence'}     ${f.sequence}        (B.3.6)`,
        `  ${zh ? '保留位' : 'reserved'}     ${f.reserved}            (B.3.7 ${zh ? '默认 00' : 'default 00'})`,
        ...p.errors.map((e) => `  ✗ ${e.part}: ${e[lang]}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  return parsed.every((p) => p.valid) ? 0 : 1;
}
