/**
 * Writes report files atomically: each goes to a temporary file in the same folder and is renamed into place,
 * so a crash or a full disk never leaves a half-written report where a CI step will read it.
 */
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export async function writeAtomically(dir: string, name: string, content: string): Promise<string> {
  const target = join(dir, name);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(dir, undefined, code === 'EEXIST' || code === 'ENOTDIR' ? 'the output folder is a file, not a folder' : `cannot create the output folder: ${code ?? (e as Error).message}`);
  }
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new InputError(target, undefined, `cannot write report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return target;
}
