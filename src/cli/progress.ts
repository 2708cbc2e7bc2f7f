/**
 * Progress on stderr for a person watching: which input is being read and, for long ones (logs, large specs),
 * how far and how fast. Only on a TTY and outside CI (a CI log or a file would fill with redraws); one line, redrawn
 * in place, at most ten times a second, erased before the report prints.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { inert } from '../report/inert.js';
import { codePointWidth } from '../report/wrap.js';

export interface Progress {
  /** A step starts: `logs     access.log`. */
  line(text: string): void;
  /** Bytes of `file` read so far, and its size. */
  bytes(file: string, done: number, total: number): void;
  /** Erases the line. */
  done(): void;
}

const REDRAW_MS = 100;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

/** `logs  access.log  42% · 120.0 MB of 286.1 MB · 35.2 MB/s`. */
export function progressText(file: string, done: number, total: number, elapsedMs: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  return `${basename(file)}  ${pct}% · ${formatBytes(done)} of ${formatBytes(total)} · ${formatBytes(rate)}/s`;
}

/** A reporter writing to `stream`, or one that does nothing when nobody is watching. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): Progress | undefined {
  if (!stream.isTTY || env.CI) return undefined;
  let started = new Map<string, number>();
  let last = 0;
  let shown = false;
  const draw = (text: string) => {
    // The width keeps a redraw on one row, so \r returns to its start.
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    // File names and probe targets come from inputs: inert, like every input text on a terminal.
    let clipped = '';
    let used = 0;
    for (const ch of inert(text)) {
      used += codePointWidth(ch.codePointAt(0)!);
      if (used > width) break;
      clipped += ch;
    }
    stream.write(`\u001b[2K\r${clipped}`);
    shown = true;
  };
  return {
    line(text) {
      // A large input gets its size at once, so a slow read is visibly a large file.
      const file = text.replace(/^\S+\s+/, '');
      let size = '';
      try {
        const st = statSync(file);
        if (st.isFile() && st.size >= 16 * 1024 * 1024) size = `  (${formatBytes(st.size)})`;
      } catch {
        // not a file (a URL, a folder): no size
      }
      draw(`… ${text}${size}`);
      last = now();
    },
    bytes(file, done, total) {
      const t = now();
      if (!started.has(file)) started.set(file, t);
      if (t - last < REDRAW_MS && done < total) return;
      last = t;
      draw(`… ${progressText(file, done, total, t - started.get(file)!)}`);
    },
    done() {
      if (shown) stream.write('\u001b[2K\r');
      shown = false;
      started = new Map();
    },
  };
}
