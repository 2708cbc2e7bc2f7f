/**
 * The portfolio pool: OpenAPI descriptions read and checked in worker threads, one thread per core, each
 * description on its own (part.ts). Worker threads run the built JavaScript (dist/portfolio/worker.js); run from
 * the TypeScript sources (tests) or with one worker, the same work happens in this thread, one description at a
 * time. Parts come back in input order whatever order they finish in.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, InputErrors } from '../errors.js';
import { assessDocument, type DocumentJob, type DocumentPart } from './part.js';
import { replyOf, type WorkerReply } from './worker.js';

export interface PoolOptions {
  /** Threads; default: the cores available (at most 8). 1 assesses in this thread. */
  workers?: number;
  progress?: (line: string) => void;
  /** How far through the portfolio: input bytes of the descriptions done so far, of all of them (percent and rate). */
  progressBytes?: (label: string, done: number, total: number) => void;
}

/**
 * Default size: one thread per core, at most 8 (each holds one description's parse tree at a time);
 * JRT0185_WORKERS=N sets it (the benchmark compares sizes; a CI runner may share its cores).
 */
export function poolSize(requested: number | undefined, jobs: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.JRT0185_WORKERS !== undefined && /^\d{1,2}$/.test(env.JRT0185_WORKERS) ? Number(env.JRT0185_WORKERS) : undefined;
  const wanted = requested ?? fromEnv ?? Math.min(8, availableParallelism());
  return Math.max(1, Math.min(wanted, jobs, 64));
}

function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

export async function assessDocuments(files: readonly string[], shared: Omit<DocumentJob, 'file' | 'order'>, opts: PoolOptions = {}): Promise<DocumentPart[]> {
  const size = poolSize(opts.workers, files.length);
  const script = workerScript();
  const replies: WorkerReply[] = new Array(files.length);
  const sizes = files.map(sizeOf);
  const total = sizes.reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  let doneCount = 0;
  const finished = (order: number): void => {
    doneBytes += sizes[order]!;
    doneCount += 1;
    opts.progressBytes?.(`openapi  ${doneCount} of ${files.length} descriptions`, doneBytes, total);
  };
  if (size <= 1 || !script) {
    for (const [order, file] of files.entries()) {
      opts.progress?.(`openapi  ${file}`);
      try {
        replies[order] = { order, ok: true, part: await assessDocument({ ...shared, file, order }) };
      } catch (e) {
        replies[order] = replyOf(order, e);
      }
      finished(order);
    }
  } else {
    await runPool(script, size, files, sizes, shared, replies, opts.progress, finished);
  }
  const inputErrors = replies.flatMap((r) => (!r.ok && r.input ? r.input.map((x) => new InputError(x.file, x.line, x.hint, x.column)) : []));
  const broken = replies.find((r) => !r.ok && !r.input);
  if (broken && !broken.ok) throw new Error(`${files[broken.order]}: ${broken.message}`);
  if (inputErrors.length > 0) throw inputErrors.length === 1 ? inputErrors[0]! : new InputErrors(inputErrors);
  return replies.map((r) => (r as Extract<WorkerReply, { ok: true }>).part);
}

/**
 * Input bytes being read at once across the threads. A description's parse tree and evidence take some 60–80 times
 * its size (Stripe's 4 MB: ~300 MB), so two large ones side by side would double the peak (6 MiB: two of the 4 MB ones never run together): a thread takes the
 * largest waiting description that fits beside those in flight, a small one (≤ 512 KiB) always, and any one when it
 * would otherwise be alone. Largest first also keeps the last thread from finishing long after the others.
 */
export const IN_FLIGHT_BYTES = 6 * 1024 * 1024;
const SMALL_BYTES = 512 * 1024;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function runPool(
  script: URL,
  size: number,
  files: readonly string[],
  sizes: readonly number[],
  shared: Omit<DocumentJob, 'file' | 'order'>,
  replies: WorkerReply[],
  progress: ((line: string) => void) | undefined,
  finished: (order: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiting = files.map((file, order) => ({ file, order, bytes: sizes[order]! })).sort((a, b) => b.bytes - a.bytes || a.order - b.order);
    const inFlight = new Map<Worker, number>();
    const idle: Worker[] = [];
    let pending = files.length;
    const workers: Worker[] = [];
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const busyBytes = () => [...inFlight.values()].reduce((a, b) => a + b, 0);
    const dispatch = () => {
      while (idle.length > 0 && waiting.length > 0) {
        const busy = busyBytes();
        const i = waiting.findIndex((j) => inFlight.size === 0 || j.bytes <= SMALL_BYTES || busy + j.bytes <= IN_FLIGHT_BYTES);
        if (i < 0) return;
        const job = waiting.splice(i, 1)[0]!;
        const w = idle.pop()!;
        inFlight.set(w, job.bytes);
        progress?.(`openapi  ${job.file}`);
        w.postMessage({ file: job.file, order: job.order });
      }
    };
    for (let i = 0; i < size; i++) {
      // No young-generation cap here (the log scan workers have one): parsing a description allocates heavily, and
      // an 8 MB young generation made the pool twice as slow for no gain in peak memory.
      const w = new Worker(script, { workerData: { jrt0185Portfolio: true, shared } });
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        replies[reply.order] = reply;
        inFlight.delete(w);
        pending -= 1;
        finished(reply.order);
        if (pending === 0) {
          for (const x of workers) x.postMessage({ done: true });
          resolve();
          return;
        }
        idle.push(w);
        dispatch();
      });
      w.once('error', fail);
      w.once('exit', (code) => {
        if (code !== 0 && pending > 0) fail(new Error(`portfolio worker exited with code ${code}`));
      });
      idle.push(w);
    }
    dispatch();
  });
}
