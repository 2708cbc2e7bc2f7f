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
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

// The same calls in their synchronous form: the command has nothing else to do meanwhile, and each asynchronous
// call was a wait on the thread pool (five per report; issue 17, a run's fixed cost).
export async function writeAtomically(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const target = join(dir, name);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(dir, undefined, code === 'EEXIST' || code === 'ENOTDIR' ? 'the output folder is a file, not a folder' : `cannot create the output folder: ${code ?? (e as Error).message}`);
  }
  let tmp: string | undefined;
  try {
    let fd: number | undefined;
    for (let attempt = 0; fd === undefined; attempt++) {
      tmp = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
      try {
        fd = openSync(tmp, 'wx', 0o644);
      } catch (e) {
        // Someone else's file at a random name: try another name, a few times.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) {
          tmp = undefined;
          throw e;
        }
      }
    }
    try {
      writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp!, target);
    tmp = undefined;
  } catch (e) {
    if (tmp) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // The report's error below is what matters.
      }
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(target, undefined, code === 'EISDIR' ? 'cannot write report: a folder has the report\'s name' : `cannot write report: ${code ?? (e as Error).message}`);
  }
  return target;
}

/**
 * Writes every byte of `bytes` to `fd`. WHY not writeFileSync: on node 20 it took ~10 ms for a 1.5 MB report that
 * encoding plus write() take ~2 ms for.
 */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) {
    const wrote = writeSync(fd, bytes, at, bytes.length - at);
    // write() of a regular file makes progress or fails; never loop on a file that takes nothing.
    if (wrote <= 0) throw Object.assign(new Error('EIO: nothing written'), { code: 'EIO' });
    at += wrote;
  }
}
