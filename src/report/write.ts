/**
 * Writes report files safely: each goes to a temporary file in the same folder and is renamed into place, so a crash
 * or a full disk never leaves a half-written report where a CI step will read it.
 *
 * WHY the details: the output folder can be in the tree under assessment, so its author may have planted a symlink
 * at `jrt0185-report.json` (pointing at ~/.bashrc) or at a predictable temporary name. The temporary file gets a
 * random name and is created exclusively (`wx` = O_CREAT|O_EXCL: an existing file or symlink there makes it fail,
 * never followed); rename() then replaces whatever is at the report's name — a symlink included — with the new file
 * itself, never writing through the link.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export async function writeAtomically(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const target = join(dir, name);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(dir, undefined, code === 'EEXIST' || code === 'ENOTDIR' ? 'the output folder is a file, not a folder' : `cannot create the output folder: ${code ?? (e as Error).message}`);
  }
  let tmp: string | undefined;
  try {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    for (let attempt = 0; !handle; attempt++) {
      tmp = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
      try {
        handle = await open(tmp, 'wx', 0o644);
      } catch (e) {
        // Someone else's file at a random name: try another name, a few times.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) {
          tmp = undefined;
          throw e;
        }
      }
    }
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(tmp!, target);
    tmp = undefined;
  } catch (e) {
    if (tmp) await rm(tmp, { force: true }).catch(() => {});
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(target, undefined, code === 'EISDIR' ? 'cannot write report: a folder has the report\'s name' : `cannot write report: ${code ?? (e as Error).message}`);
  }
  return target;
}
