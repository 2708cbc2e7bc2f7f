/**
 * The one way input files are read: only regular files, and a byte cap on what is actually read.
 *
 * WHY: a path in a hostile input (`$ref: /dev/zero`, `include /run/x.fifo;`, a directory) must end as an input
 * error, never a hang or an exhausted runner. `stat` size cannot be trusted (/dev/zero and /proc files say 0, a file
 * can grow between stat and read), so the cap counts the bytes read: at most cap + 1 are read, and the +1 tells an
 * over-long file from one exactly at the cap. The file is opened O_NONBLOCK so opening a FIFO never waits for a
 * writer; fstat on the open descriptor (not stat on the name) decides, so the name cannot be swapped in between.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../errors.js';

export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface ReadInputOptions {
  /** Bytes read at most; more is an input error (default 16 MiB). */
  maxBytes?: number;
  /** What the file is, for messages: "waiver file", "OpenAPI description". */
  what?: string;
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Why a file is refused, or undefined for a regular file. */
export function notRegular(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a directory, not a file';
  if (info.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (info.isSocket()) return 'is a socket, not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/**
 * A refused or failed read. `code` is the errno code (ENOENT, EACCES, ENXIO for a socket …), `not-regular` or
 * `too-large`, so a caller can word the message its own way; the default message names the file.
 */
export class InputReadError extends InputError {
  constructor(
    file: string,
    hint: string,
    readonly code: string,
  ) {
    super(file, undefined, hint);
  }
}

function failed(file: string, what: string, e: unknown): InputReadError {
  if (e instanceof InputReadError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  // ENXIO: open() of a socket; a device without a driver.
  if (code === 'ENXIO') return new InputReadError(file, `${what} is a socket or device, not a regular file`, 'not-regular');
  if (code === 'EISDIR') return new InputReadError(file, `${what} is a directory, not a file`, 'not-regular');
  return new InputReadError(file, `cannot read ${what}: ${code}`, code);
}

function refuse(file: string, what: string, info: Stats): InputReadError | undefined {
  const why = notRegular(info);
  return why ? new InputReadError(file, `${what} ${why}`, 'not-regular') : undefined;
}

function tooLarge(file: string, max: number, what: string): InputReadError {
  return new InputReadError(file, `${what} is larger than ${formatBytes(max)}; refusing to read more`, 'too-large');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** Reads a whole regular file, at most `maxBytes`; anything else is an InputError naming the file. */
export function readInputFileSync(file: string, opts: ReadInputOptions = {}): Buffer {
  return readInputFileWithRoomSync(file, opts, () => 0).bytes;
}

/**
 * Reads like readInputFileSync into memory with `room(size)` more bytes after the content, and returns both views of
 * that memory: `bytes`, the content, and `whole`, the content and the room after it. For a reader that rewrites the
 * text in place (src/input/json-text.ts) instead of copying megabytes into fresh memory. The room is never read from
 * the file, so it caps nothing.
 */
export function readInputFileWithRoomSync(file: string, opts: ReadInputOptions, room: (size: number) => number): { bytes: Buffer; whole: Buffer } {
  const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const what = opts.what ?? 'file';
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw failed(file, what, e);
  }
  try {
    const info = fstatSync(fd);
    const refused = refuse(file, what, info);
    if (refused) throw refused;
    // A regular file's size is a lower bound of what a read returns: over the cap already, refuse before reading.
    if (info.size > max) throw tooLarge(file, max, what);
    // `capacity`: what the reads may fill (the room after it is not theirs).
    let capacity = Math.min(Math.max(info.size, 0), max) + 1;
    let buf = Buffer.allocUnsafe(capacity + room(capacity));
    let length = 0;
    for (;;) {
      if (length === capacity) {
        if (length > max) break;
        capacity = Math.min(capacity * 2, max + 1);
        const grown = Buffer.allocUnsafe(capacity + room(capacity));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = readSync(fd, buf, length, capacity - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > max) throw tooLarge(file, max, what);
    return { bytes: buf.subarray(0, length), whole: buf };
  } catch (e) {
    throw failed(file, what, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * The promise form of readInputFileSync, for async callers. It reads synchronously on purpose: one reader with one
 * set of rules (a regular file is read at disk speed; a FIFO never blocks, being opened O_NONBLOCK and refused).
 */
export async function readInputFile(file: string, opts: ReadInputOptions = {}): Promise<Buffer> {
  return readInputFileSync(file, opts);
}

/** UTF-8 text of an input file, without a byte-order mark. */
export function readInputTextSync(file: string, opts: ReadInputOptions = {}): string {
  return stripBom(readInputFileSync(file, opts).toString('utf8'));
}

export async function readInputText(file: string, opts: ReadInputOptions = {}): Promise<string> {
  return stripBom((await readInputFile(file, opts)).toString('utf8'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
