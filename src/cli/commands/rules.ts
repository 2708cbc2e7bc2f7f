import { loadRulebook } from '../../rulebook/load.js';
import { checksText, coverageText, rulesJson, rulesMarkdown, rulesText } from '../../rulebook/document.js';
import { defaultRegistry } from '../../checks/index.js';
import { parseLang } from '../options.js';
import { UsageError } from '../../errors.js';

export async function rulesCommand(flags: { format: string; coverage?: boolean; checks?: boolean; rulebook?: string[]; lang?: string }): Promise<number> {
  const lang = parseLang(flags.lang);
  if (!['text', 'json', 'md', 'markdown'].includes(flags.format)) throw new UsageError(`--format must be text, json or md (got "${flags.format}")`);
  if (flags.checks) {
    process.stdout.write(flags.format === 'json' ? `${JSON.stringify(defaultRegistry.all().map((c) => ({ name: c.name, evidence: c.evidence, description: c.description, params: c.params })), null, 2)}\n` : checksText(defaultRegistry));
    return 0;
  }
  const rulebook = await loadRulebook({ overlays: flags.rulebook });
  if (flags.coverage) process.stdout.write(coverageText(rulebook.rules, lang));
  else if (flags.format === 'json') process.stdout.write(rulesJson(rulebook));
  else if (flags.format === 'md' || flags.format === 'markdown') process.stdout.write(rulesMarkdown(rulebook));
  else process.stdout.write(rulesText(rulebook.rules, lang));
  return 0;
}
