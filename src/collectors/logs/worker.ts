/**
 * Worker thread: scans one byte range of a log file. The range owns the lines that start inside it: it
 * skips to the first line start at or after `start` and reads past `end` to finish its last line.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { LineScanner, type ScanConfig } from './scan.js';

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
export function pushLines(scanner: LineScanner, carry: Buffer | undefined, data: Buffer, last: number): void {
  let from = 0;
  if (carry && carry.length > 0) {
    const nl = data.indexOf(10);
    scanner.push(Buffer.concat([carry, data.subarray(0, nl + 1)]).toString('utf8'));
    from = nl + 1;
  }
  if (from <= last) scanner.push(data.toString('utf8', from, last + 1));
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
    let carry: Buffer | undefined;
    let pos = first;
    while (pos < stop) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, stop - pos), pos);
      if (n === 0) break;
      pos += n;
      const data = buf.subarray(0, n);
      const last = data.lastIndexOf(10);
      if (last < 0) {
        carry = carry ? Buffer.concat([carry, data]) : Buffer.from(data);
        continue;
      }
      pushLines(scanner, carry, data, last);
      carry = last + 1 < n ? Buffer.from(data.subarray(last + 1)) : undefined;
    }
    if (carry && carry.length > 0) scanner.push(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  return scanner.finish();
}

if (parentPort && workerData && (workerData as { jrt0185LogRange?: boolean }).jrt0185LogRange) {
  const job = (workerData as { job: RangeJob & { size: number } }).job;
  parentPort.postMessage(scanRange(job));
}
