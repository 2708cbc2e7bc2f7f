/**
 * Worker thread of the portfolio pool: assesses the OpenAPI descriptions it is sent, one at a time, and posts back
 * each one's part record and table row. A description's parse tree and evidence are garbage once its reply is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError, InputErrors } from '../errors.js';
import { assessDocument, type DocumentJob } from './part.js';

export type WorkerReply =
  | { order: number; ok: true; part: Awaited<ReturnType<typeof assessDocument>> }
  | { order: number; ok: false; input?: { file: string; line?: number; hint: string; column?: number }[]; message?: string };

/** An input error crosses the thread boundary as data and is rebuilt on the other side (message naming the file). */
export function replyOf(order: number, e: unknown): WorkerReply {
  if (e instanceof InputError) return { order, ok: false, input: [{ file: e.file, line: e.line, hint: e.hint, column: e.column }] };
  if (e instanceof InputErrors) return { order, ok: false, input: e.errors.map((x) => ({ file: x.file, line: x.line, hint: x.hint, column: x.column })) };
  return { order, ok: false, message: (e as Error)?.message ?? String(e) };
}

if (parentPort && workerData && (workerData as { jrt0185Portfolio?: boolean }).jrt0185Portfolio) {
  const port = parentPort;
  const shared = (workerData as { shared: Omit<DocumentJob, 'file' | 'order'> }).shared;
  port.on('message', (msg: { file: string; order: number } | { done: true }) => {
    if ('done' in msg) {
      port.close();
      return;
    }
    assessDocument({ ...shared, file: msg.file, order: msg.order }).then(
      (part) => port.postMessage({ order: msg.order, ok: true, part } satisfies WorkerReply),
      (e: unknown) => port.postMessage(replyOf(msg.order, e)),
    );
  });
}
