/**
 * Writes report files atomically: each goes to a temporary file in the same folder and is renamed into place,
 * so a crash or a full disk never leaves a half-written report where a CI step will read it.
 */
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export async function writeAtomically(dir: string, name: string, content: string): Promise<string> {
  const target = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new InputError(target, undefined, `cannot write report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return target;
}
