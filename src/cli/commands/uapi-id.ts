import { parseUApiId } from '../../uapi/parse.js';
import { describeUApiId } from '../../uapi/describe.js';
import { parseLang } from '../options.js';
import { UsageError } from '../../errors.js';

/** Explains each field of each U_API_ID (Annex B); exit 1 when any is invalid. */
export async function uapiIdCommand(ids: string[], flags: { format: string; lang?: string }): Promise<number> {
  const lang = parseLang(flags.lang);
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
  const parsed = ids.map(parseUApiId);
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(parsed, null, 2)}\n` : `${parsed.flatMap((p) => describeUApiId(p, lang)).join('\n')}\n`);
  return parsed.every((p) => p.valid) ? 0 : 1;
}
