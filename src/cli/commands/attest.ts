import { existsSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { loadRulebook } from '../../rulebook/load.js';
import { attestationTemplate } from '../../collectors/attestation/template.js';
import { writeAtomically } from '../../report/write.js';
import { parseLang, parseLevel, parseRole } from '../options.js';
import { UsageError } from '../../errors.js';

export async function attestInitCommand(flags: { level: string; role?: string; out?: string; rulebook?: string[]; lang?: string; force?: boolean }): Promise<number> {
  const rulebook = await loadRulebook({ overlays: flags.rulebook });
  const text = attestationTemplate(rulebook.rules, { level: parseLevel(flags.level)!, role: parseRole(flags.role) }, parseLang(flags.lang));
  if (!flags.out) {
    process.stdout.write(text);
    return 0;
  }
  // An answer sheet holds an assessor's work: never overwrite one by accident.
  if (existsSync(flags.out) && !flags.force) throw new UsageError(`${flags.out} exists; use --force to overwrite it`);
  await writeAtomically(dirname(flags.out), basename(flags.out), text);
  process.stderr.write(`wrote ${flags.out}\n`);
  return 0;
}
