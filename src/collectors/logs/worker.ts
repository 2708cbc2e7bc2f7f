/**
 * Worker thread: scans one byte range of a log file. The range owns the lines that start inside it: it
 * skips to the first line start at or after `start` and reads past `end` to finish its last line.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_MAX_LINE, LineScanner, type ScanConfig } from './scan.js';

export interface RangeJob {
  file: string;
  start: number;
  end: number;
  chunkSize: number;
  config: ScanConfig;
}

/**
 * Pushes the complete lines of `data` (up to its last newline at `last`), the first one completed by the
 * bytes carried from the previous read. The carried line goes on its own, so the megabyte-sized rest
 * is decoded straight from the read buffer instead of being copied into a concatenation first.
 */
export function pushLines(scanner: LineSink, carry: Buffer | undefined, data: Buffer, last: number): void {
  let from = 0;
  if (carry && carry.length > 0) {
    const nl = data.indexOf(10);
    const first = Buffer.concat([carry, data.subarray(0, nl + 1)]);
    if (scanner.pushBytes) scanner.pushBytes(first);
    else scanner.push(first.toString('utf8'));
    from = nl + 1;
  }
  if (from > last) return;
  if (scanner.pushBytes) scanner.pushBytes(data.subarray(from, last + 1));
  else scanner.push(data.toString('utf8', from, last + 1));
}

/** Where complete lines go: a LineScanner, or the block batcher that hands them to scan workers. */
export interface LineSink {
  push(block: string): void;
  /** Complete lines as bytes, for a sink that decodes them elsewhere (the scan workers); copied before return. */
  pushBytes?(block: Buffer): void;
  skipLine(): void;
}

/**
 * Cuts a stream of buffers into blocks of complete lines for the scanner. A line still open past the cap is
 * dropped as it streams in (its bytes are never held) and counted as skipped once its newline arrives.
 */
export class LineFeeder {
  private carry: Buffer | undefined;
  private skipping = false;

  constructor(
    private readonly scanner: LineSink,
    private readonly maxLine: number = DEFAULT_MAX_LINE,
  ) {}

  feed(chunk: Buffer): void {
    let data = chunk;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) return;
      this.scanner.skipLine();
      this.skipping = false;
      if (nl + 1 >= data.length) return;
      data = data.subarray(nl + 1);
    }
    const last = data.lastIndexOf(10);
    if (last < 0) {
      if ((this.carry?.length ?? 0) + data.length > this.maxLine) {
        this.carry = undefined;
        this.skipping = true;
      } else this.carry = this.carry ? Buffer.concat([this.carry, data]) : Buffer.from(data);
      return;
    }
    pushLines(this.scanner, this.carry, data, last);
    const rest = data.length - last - 1;
    this.carry = undefined;
    if (rest > this.maxLine) this.skipping = true;
    else if (rest > 0) this.carry = Buffer.from(data.subarray(last + 1));
  }

  end(): void {
    if (this.skipping) this.scanner.skipLine();
    else if (this.carry && this.carry.length > 0) {
      if (this.scanner.pushBytes) this.scanner.pushBytes(this.carry);
      else this.scanner.push(this.carry.toString('utf8'));
    }
    this.carry = undefined;
    this.skipping = false;
  }
}

/** Position just after the first newline at or after `from` (the file size when there is none). */
function nextLineStart(fd: number, from: number, size: number): number {
  const probe = Buffer.allocUnsafe(64 * 1024);
  let pos = from;
  while (pos < size) {
    const n = readSync(fd, probe, 0, probe.length, pos);
    if (n === 0) break;
    const nl = probe.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return size;
}

/** Scans the lines that start in [start, end) (the last one read to its end); returns the scanner's result. */
export function scanRange(job: RangeJob & { size: number }): ReturnType<LineScanner['finish']> {
  const scanner = new LineScanner(job.config);
  const fd = openSync(job.file, 'r');
  try {
    const first = job.start === 0 ? 0 : nextLineStart(fd, job.start - 1, job.size);
    const stop = job.end >= job.size ? job.size : nextLineStart(fd, job.end - 1, job.size);
    const buf = Buffer.allocUnsafe(job.chunkSize);
    const feeder = new LineFeeder(scanner, job.config.maxLineChars);
    let pos = first;
    while (pos < stop) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, stop - pos), pos);
      if (n === 0) break;
      pos += n;
      feeder.feed(buf.subarray(0, n));
    }
    feeder.end();
  } finally {
    closeSync(fd);
  }
  return scanner.finish();
}

/** A block of complete lines for a scan worker, or one line skipped over the cap, in file order by `id`. */
export interface BlockJob {
  id: number;
  text?: string;
  /** UTF-8 bytes of complete lines, decoded by the worker (the reading thread only copies them). */
  bytes?: Uint8Array;
  /** Or: the shared block slot holding them, and their length (BlockPool). */
  slot?: number;
  length?: number;
  skip?: true;
}

/** Scans one block with a scanner of its own; its line numbers start at 1 and the caller shifts them. */
export function scanBlock(config: ScanConfig, job: BlockJob): ReturnType<LineScanner['finish']> {
  const scanner = new LineScanner(config);
  if (job.skip) scanner.skipLine();
  else if (job.bytes) scanner.pushBytes(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength));
  else if (job.text) scanner.push(job.text);
  return scanner.finish();
}

if (parentPort && workerData && (workerData as { jrt0185LogRange?: boolean }).jrt0185LogRange) {
  // One range per message; the worker stays for the next (runWorker keeps it idle between files).
  const port = parentPort;
  port.on('message', (job: RangeJob & { size: number }) => port.postMessage(scanRange(job)));
}

if (parentPort && workerData && (workerData as { jrt0185LogBlocks?: boolean }).jrt0185LogBlocks) {
  const { config, slots } = workerData as { config: ScanConfig; slots: SharedArrayBuffer[] };
  const port = parentPort;
  // Answering with the slot hands it back to the reading thread, to be filled again.
  port.on('message', (job: BlockJob) => {
    const result = scanBlock(config, job.slot !== undefined ? { ...job, bytes: new Uint8Array(slots[job.slot]!, 0, job.length) } : job);
    port.postMessage({ id: job.id, result, ...(job.slot !== undefined ? { slot: job.slot } : {}) });
  });
}
