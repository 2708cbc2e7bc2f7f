/**
 * Log collector: reads a log file (plain or .gz) with bounded memory into LogFileEvidence — counts and
 * the first locations of every detector's hits (excerpts already masked), and the share of structured
 * records carrying each 7.3.3 field. It never judges; the `logs.*` checks do.
 *
 * Large uncompressed files are split into one byte range per core, scanned in worker threads; every
 * range re-synchronises on the next newline and line numbers are shifted by the lines of the ranges
 * before it. The SHA-256 digest of the file is computed in the main thread meanwhile.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../errors.js';
import type { InputProblem, LogFileEvidence, LogFormat, Role } from '../../model/evidence.js';
import { sniffFormat } from './formats.js';
import { REQUIRED_FIELDS, type RequiredField } from './fields.js';
import { DEFAULT_MAX_LINE, emptyResult, LineScanner, type PartialResult, type ScanConfig } from './scan.js';
import { LineFeeder, scanBlock, scanRange, type BlockJob, type LineSink, type RangeJob } from './worker.js';

export { REQUIRED_FIELDS, DEFAULT_FIELD_NAMES, type RequiredField } from './fields.js';
export { sniffFormat, nginxFormatRegex } from './formats.js';

export interface CollectLogsOptions {
  format?: LogFormat;
  party?: Role;
  /** nginx `log_format` string of the gateway that wrote the file (from a gateway config). */
  nginxLogFormat?: string;
  /** Extra names per 7.3.3 field, tried before the built-in spellings. */
  fieldMap?: Partial<Record<RequiredField, string[]>>;
  /** First locations kept per detector and per missing field (default 5). */
  sampleCap?: number;
  /** Worker threads for large files (default: available cores, at most 4; 1 = in-thread). */
  workers?: number;
  /** Files smaller than this are scanned in-thread (default 32 MiB). */
  parallelMinBytes?: number;
  /** Progress: bytes of the file read so far, and its size (the CLI shows percent and throughput on a TTY). */
  onBytes?: (done: number, total: number) => void;
  /** Lines longer than this are skipped and counted (default 1 MiB). */
  maxLineBytes?: number;
  /**
   * A `.gz` file stops being read once it has inflated to this many times its own size (default 200; real logs
   * compress 5–20×, a gzip bomb 1000× and more); at least 64 MiB are always read.
   */
  maxGzipRatio?: number;
}

const DEFAULT_GZIP_RATIO = 200;
const GZIP_FLOOR = 64 * 1024 * 1024;

const CHUNK = 1024 * 1024;
/**
 * Reads and inflates in 256 KiB pieces: a stream allocates a fresh buffer for each, and at 1 MiB each was a fresh
 * mapping faulted in page by page (inflating cost half as much CPU again).
 */
const STREAM_CHUNK = 256 * 1024;
const HEAD = 64 * 1024;

async function readHead(file: string, gz: boolean): Promise<string> {
  const stream = createReadStream(file, gz ? { highWaterMark: HEAD } : { end: HEAD - 1, highWaterMark: HEAD });
  const source = gz ? stream.pipe(createGunzip()) : stream;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= HEAD) break;
    }
  } catch (e) {
    throw new InputError(file, undefined, `cannot read ${gz ? 'gzip ' : ''}log file: ${(e as Error).message}`);
  } finally {
    stream.destroy();
  }
  const buf = Buffer.concat(parts).subarray(0, HEAD);
  // Cut at the last newline so no multi-byte character or line is split.
  const nl = buf.lastIndexOf(10);
  return (nl >= 0 && buf.length >= HEAD ? buf.subarray(0, nl + 1) : buf).toString('utf8');
}

/**
 * Streams a file (inflating a `.gz`) through a line feeder into `sink`, hashing the raw bytes on the way. A `.gz`
 * stops at `inflateLimit` inflated bytes (a gzip bomb): what was read so far is scanned, the rest is not, and
 * `inflateCut` says so. `room` lets a sink that hands lines to workers hold the reader back.
 */
async function streamLines(
  file: string,
  gz: boolean,
  sink: LineSink,
  config: ScanConfig,
  inflateLimit: number,
  onBytes?: (done: number) => void,
  room?: () => Promise<void>,
): Promise<{ digest: string; bytes: number; inflateCut: boolean }> {
  const hash = createHash('sha256');
  const feeder = new LineFeeder(sink, config.maxLineChars);
  const raw = createReadStream(file, { highWaterMark: STREAM_CHUNK });
  let bytes = 0;
  raw.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
  });
  const source = gz ? raw.pipe(createGunzip({ chunkSize: STREAM_CHUNK })) : raw;
  let inflated = 0;
  let inflateCut = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (gz) {
        inflated += chunk.length;
        if (inflated > inflateLimit) {
          inflateCut = true;
          break;
        }
      }
      feeder.feed(chunk);
      if (room) await room();
    }
  } catch (e) {
    throw new InputError(file, undefined, `cannot read ${gz ? 'gzip ' : ''}log file: ${(e as Error).message}`);
  } finally {
    raw.destroy();
  }
  feeder.end();
  if (inflateCut) return { digest: await digestFile(file), bytes: statSync(file).size, inflateCut };
  return { digest: hash.digest('hex'), bytes, inflateCut };
}

/** Scans the whole file in this thread (small files, and pretty-printed JSON whose records span lines). */
async function scanStream(
  file: string,
  gz: boolean,
  config: ScanConfig,
  inflateLimit: number,
  onBytes?: (done: number) => void,
): Promise<{ result: PartialResult; digest: string; bytes: number; inflateCut: boolean }> {
  const scanner = new LineScanner(config);
  const read = await streamLines(file, gz, scanner, config, inflateLimit, onBytes);
  return { ...read, result: scanner.finish() };
}

/** Bytes of complete lines handed to a scan worker at a time. */
const BLOCK_BYTES = 1024 * 1024;

/**
 * Scan workers fed with blocks of complete lines in file order: the thread that reads (and inflates) a `.gz`
 * keeps reading while the workers scan. At most two blocks per worker are in flight, so memory stays bounded
 * whatever the file's size. Without a worker script (tests on sources) the blocks are scanned in-thread.
 */
class BlockPool implements LineSink {
  private readonly workers: Worker[];
  private readonly results = new Map<number, PartialResult>();
  /**
   * Blocks are filled in shared memory, a few slots per worker made once: a job names its slot, and the slot is
   * filled again once its worker has answered. Transferring a fresh 1 MiB buffer per block made each worker collect
   * garbage for a fifth of its time (every buffer is external memory V8 answers with a full collection).
   */
  private readonly slots: SharedArrayBuffer[];
  private readonly freeSlots: number[];
  private slot = -1;
  private block!: Buffer;
  private used = 0;
  private nextId = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly config: ScanConfig,
    script: URL | undefined,
    count: number,
  ) {
    // Two blocks per worker in flight (room()), one being filled, and a few to spare.
    this.slots = script ? Array.from({ length: 2 * count + 3 }, () => new SharedArrayBuffer(BLOCK_BYTES)) : [];
    this.freeSlots = this.slots.map((_, i) => i);
    this.takeBlock();
    this.workers = script
      ? Array.from({ length: count }, () => {
          const w = new Worker(script, { workerData: { jrt0185LogBlocks: true, config, slots: this.slots }, resourceLimits: { maxYoungGenerationSizeMb: 6 } });
          w.on('message', (m: { id: number; result: PartialResult; slot?: number }) => {
            this.results.set(m.id, m.result);
            if (m.slot !== undefined) this.freeSlots.push(m.slot);
            this.inFlight -= 1;
            this.wake?.();
          });
          w.on('error', (e) => {
            this.failure = e as Error;
            this.wake?.();
          });
          return w;
        })
      : [];
  }

  private takeBlock(): void {
    const slot = this.freeSlots.pop();
    this.slot = slot ?? -1;
    this.block = slot !== undefined ? Buffer.from(this.slots[slot]!) : Buffer.allocUnsafeSlow(BLOCK_BYTES);
  }

  push(block: string): void {
    this.pushBytes(Buffer.from(block, 'utf8'));
  }

  /** Copies lines into the current block; a full block goes to a worker. */
  pushBytes(data: Buffer): void {
    if (this.used > 0 && this.used + data.length > BLOCK_BYTES) this.flush();
    if (data.length > BLOCK_BYTES) {
      this.send({ id: this.nextId++, bytes: new Uint8Array(data) });
      return;
    }
    data.copy(this.block, this.used);
    this.used += data.length;
  }

  skipLine(): void {
    this.flush();
    this.send({ id: this.nextId++, skip: true });
  }

  private flush(): void {
    if (this.used === 0) return;
    const job: BlockJob =
      this.slot >= 0
        ? { id: this.nextId++, slot: this.slot, length: this.used }
        : { id: this.nextId++, bytes: new Uint8Array(this.block.buffer, this.block.byteOffset, this.used) };
    this.used = 0;
    this.takeBlock();
    this.send(job);
  }

  private send(job: BlockJob): void {
    if (this.workers.length === 0) {
      this.results.set(job.id, scanBlock(this.config, job));
      return;
    }
    this.inFlight += 1;
    this.workers[job.id % this.workers.length]!.postMessage(job, job.bytes ? [job.bytes.buffer as ArrayBuffer] : []);
  }

  /** Resolves once fewer than two blocks per worker are in flight (the reader's back-pressure). */
  async room(): Promise<void> {
    while (this.inFlight >= 2 * this.workers.length && this.workers.length > 0 && !this.failure) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure;
  }

  /** All blocks scanned, merged in file order; the workers end. */
  async finish(sampleCap: number): Promise<PartialResult> {
    this.flush();
    try {
      while (this.inFlight > 0 && !this.failure) await new Promise<void>((r) => (this.wake = r));
      if (this.failure) throw this.failure;
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
    return mergeResults(Array.from({ length: this.nextId }, (_, id) => this.results.get(id)!), sampleCap);
  }
}

/** A `.gz` file: this thread reads and inflates, the workers scan the blocks of lines. */
async function scanGzipInWorkers(
  file: string,
  config: ScanConfig,
  script: URL | undefined,
  workers: number,
  inflateLimit: number,
  onBytes?: (done: number) => void,
): Promise<{ result: PartialResult; digest: string; bytes: number; inflateCut: boolean }> {
  const pool = new BlockPool(config, script, workers);
  let read: Awaited<ReturnType<typeof streamLines>>;
  try {
    read = await streamLines(file, true, pool, config, inflateLimit, onBytes, () => pool.room());
  } catch (e) {
    await pool.finish(config.sampleCap).catch(() => undefined);
    throw e;
  }
  return { ...read, result: await pool.finish(config.sampleCap) };
}

function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Range workers stay for the next file of the run (a portfolio, the benchmark's three logs): starting one costs
 * ~0.1 s of CPU (node's own bootstrap and compiling the scanner). Idle ones are unref'd, so they never keep the
 * process alive; one that fails is dropped.
 */
const idleRangeWorkers: Worker[] = [];

function newRangeWorker(script: URL): Worker {
  const worker = new Worker(script, { workerData: { jrt0185LogRange: true }, resourceLimits: { maxYoungGenerationSizeMb: 6 } });
  // Each job listens for its own failure; a worker that fails or ends while idle only leaves the pool.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    const i = idleRangeWorkers.indexOf(worker);
    if (i >= 0) idleRangeWorkers.splice(i, 1);
  });
  return worker;
}

function runWorker(script: URL, job: RangeJob & { size: number }): Promise<PartialResult> {
  return new Promise((resolve, reject) => {
    // A small young generation keeps each worker's garbage (decoded blocks, line slices) from piling up:
    // peak RSS stays under 200 MB with two workers at no measurable cost in throughput.
    const worker = idleRangeWorkers.pop() ?? newRangeWorker(script);
    worker.ref();
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (r: PartialResult): void => {
      done();
      worker.unref();
      if (idleRangeWorkers.length < 4) idleRangeWorkers.push(worker);
      else void worker.terminate();
      resolve(r);
    };
    const onError = (e: Error): void => {
      done();
      void worker.terminate();
      reject(e);
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`log scan worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job);
  });
}

/**
 * SHA-256 of a file, read into one buffer used over and over: a read stream allocates a fresh megabyte per read,
 * which the kernel faults in page by page (measured four times the CPU of the hashing itself).
 */
async function digestFile(file: string, onBytes?: (done: number) => void): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  const buf = Buffer.allocUnsafeSlow(CHUNK);
  let done = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, done);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      done += bytesRead;
      // Beside the workers, the digest reads the file once at about their pace: its position is the progress shown.
      onBytes?.(done);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Merges range results in file order, shifting line numbers by the lines before each range. */
export function mergeResults(parts: PartialResult[], sampleCap: number): PartialResult {
  const out = emptyResult();
  let offset = 0;
  for (const p of parts) {
    out.records += p.records;
    out.structuredRecords += p.structuredRecords;
    out.malformedLines += p.malformedLines;
    out.skippedLines += p.skippedLines;
    for (const l of p.skipped) if (out.skipped.length < 20) out.skipped.push(l + offset);
    for (const [name, d] of Object.entries(p.detections)) {
      const entry = (out.detections[name] ??= { count: 0, samples: [] });
      entry.count += d.count;
      for (const s of d.samples) if (entry.samples.length < sampleCap) entry.samples.push({ ...s, line: s.line + offset });
    }
    p.fields.forEach((f, i) => {
      const o = out.fields[i]!;
      o.present += f.present;
      o.examined += f.examined;
      for (const n of f.names) if (!o.names.includes(n) && o.names.length < 10) o.names.push(n);
      for (const l of f.missing) if (o.missing.length < sampleCap) o.missing.push(l + offset);
    });
    for (const pr of p.problems) if (out.problems.length < 20) out.problems.push({ ...pr, line: pr.line + offset });
    offset += p.lines;
  }
  out.lines = offset;
  return out;
}

/** `3, 7, 12` */
function lineList(lines: number[], total: number): string {
  return `${lines.join(', ')}${total > lines.length ? ', …' : ''}`;
}

/**
 * What the reader could not use, as problems on the evidence (each becomes a report warning). Malformed lines
 * were still examined by the text detectors; skipped lines and the unread rest of a gzip bomb were not, so they
 * hide evidence: no rule judged on this file can pass.
 */
function inputProblems(file: string, result: PartialResult, inflateCutAt: number | undefined): InputProblem[] {
  const problems: InputProblem[] = [];
  if (result.malformedLines > 0) {
    const kinds = [...new Set(result.problems.map((p) => p.message))].join('; ');
    problems.push({
      message: `${result.malformedLines} malformed line(s) (${kinds}), examined as plain text; first at lines ${lineList(result.problems.map((p) => p.line), result.malformedLines)}`,
      location: { file, ...(result.problems[0] ? { line: result.problems[0].line } : {}) },
    });
  }
  if (result.skippedLines > 0) {
    problems.push({
      message: `${result.skippedLines} line(s) longer than the line cap were skipped unread; first at lines ${lineList(result.skipped, result.skippedLines)}`,
      location: { file, ...(result.skipped[0] !== undefined ? { line: result.skipped[0] } : {}) },
      hidesEvidence: true,
    });
  }
  if (inflateCutAt !== undefined) {
    problems.push({
      message: `gzip data inflates beyond ${Math.round(inflateCutAt / 1048576)} MiB (the decompression ratio cap): only the first ${result.lines} lines were examined`,
      location: { file },
      hidesEvidence: true,
    });
  }
  return problems;
}

export async function collectLogs(file: string, opts: CollectLogsOptions = {}): Promise<LogFileEvidence> {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError(file, undefined, 'is not a file; give a log file to --logs');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, undefined, 'log file not found or not readable; check the --logs path');
  }
  const sampleCap = opts.sampleCap ?? 5;
  let gz = file.endsWith('.gz');
  if (!gz && size >= 2) {
    const fd = openSync(file, 'r');
    const magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    closeSync(fd);
    gz = magic[0] === 0x1f && magic[1] === 0x8b;
  }
  const head = await readHead(file, gz);
  const info = sniffFormat(head, { format: opts.format, nginxLogFormat: opts.nginxLogFormat });
  const { nginx: _regex, ...portableInfo } = info;
  const config: ScanConfig = {
    info: portableInfo,
    sampleCap,
    maxLineChars: opts.maxLineBytes ?? DEFAULT_MAX_LINE,
    ...(opts.fieldMap ? { fieldMap: opts.fieldMap } : {}),
    ...(opts.nginxLogFormat ? { nginxLogFormat: opts.nginxLogFormat } : {}),
  };

  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(4, availableParallelism()), 16));
  const script = workerScript();
  const parallel = !gz && info.format !== 'json' && workers > 1 && size >= (opts.parallelMinBytes ?? 32 * 1024 * 1024) && script !== undefined;

  let result: PartialResult;
  let digest: string;
  let bytes = size;
  let inflateCut = false;
  const inflateLimit = Math.max(GZIP_FLOOR, (opts.maxGzipRatio ?? DEFAULT_GZIP_RATIO) * size);
  if (parallel) {
    const step = Math.ceil(size / workers);
    const jobs = Array.from({ length: workers }, (_, i) => ({
      file,
      start: i * step,
      end: Math.min(size, (i + 1) * step),
      size,
      chunkSize: CHUNK,
      config,
    }));
    const [parts, d] = await Promise.all([Promise.all(jobs.map((j) => runWorker(script!, j))), digestFile(file, opts.onBytes && ((done) => opts.onBytes!(done, size)))]);
    result = mergeResults(parts, sampleCap);
    digest = d;
  } else if (!gz && info.format !== 'json' && opts.workers !== undefined && opts.workers > 1 && size > 0) {
    // Same range logic in-thread (tests exercise the re-synchronisation and line fix-up without workers).
    const step = Math.ceil(size / opts.workers);
    const parts = Array.from({ length: opts.workers }, (_, i) =>
      scanRange({ file, start: i * step, end: Math.min(size, (i + 1) * step), size, chunkSize: 64 * 1024, config }),
    );
    result = mergeResults(parts, sampleCap);
    digest = await digestFile(file);
  } else {
    const progress = opts.onBytes && ((done: number) => opts.onBytes!(done, size));
    const r =
      gz && info.format !== 'json' && workers > 1 && (script !== undefined || opts.workers !== undefined)
        ? await scanGzipInWorkers(file, config, script, workers, inflateLimit, progress)
        : await scanStream(file, gz, config, inflateLimit, progress);
    result = r.result;
    digest = r.digest;
    bytes = r.bytes;
    inflateCut = r.inflateCut;
  }

  return {
    kind: 'logs',
    file,
    format: info.format,
    ...(opts.party ? { party: opts.party } : {}),
    lines: result.lines,
    records: result.records,
    structuredRecords: result.structuredRecords,
    malformedLines: result.malformedLines,
    bytes,
    detections: Object.entries(result.detections)
      .map(([detector, d]) => ({
        detector,
        count: d.count,
        samples: d.samples.map((s) => ({
          excerpt: s.excerpt,
          ...(s.field !== undefined ? { field: s.field } : {}),
          location: { file, line: s.line },
        })),
      }))
      .sort((a, b) => a.detector.localeCompare(b.detector)),
    fields: result.structuredRecords === 0
      ? []
      : REQUIRED_FIELDS.map((field, i) => ({
          field,
          present: result.fields[i]!.present,
          examined: result.fields[i]!.examined,
          matchedNames: result.fields[i]!.names,
          missingSamples: result.fields[i]!.missing.map((line) => ({ file, line })),
        })),
    problems: inputProblems(file, result, inflateCut ? inflateLimit : undefined),
    digests: { [file]: digest },
  };
}
