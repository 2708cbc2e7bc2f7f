/**
 * Keeping what goes wrong local, shared by `probe --config` (index.ts) and `probe URL…` (urls.ts): a probe family's
 * failure becomes its evidence, an unreachable target an input error naming it, problems carry hidesEvidence.
 */
import { connect } from 'node:net';
import type { InputProblem, ProbeResultEvidence } from '../../model/evidence.js';
import { InputError } from '../../errors.js';
import { BudgetExceeded } from './budget.js';

/** The first problem is the one that hides evidence, when the probe says one does (see probeTls). */
export function problems(messages: string[], file: string, target: string, hidesEvidence = false): InputProblem[] {
  return messages.map((message, i) => ({ message, location: { file: file || target, target }, ...(hidesEvidence && i === 0 ? { hidesEvidence: true } : {}) }));
}

/** Errors of the network, not of the tool: the user's input (host, port, VPN, firewall) is what to check. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

export function asInputError(e: unknown, where: string, target: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && NETWORK_ERRORS.has(code)) return new InputError(where, undefined, `${target}: the connection failed (${code}); check the URL, the port and the network path`);
  return e;
}

/** An unreachable target is reported before any probe starts, naming it, instead of failing midway. */
export async function assertReachable(url: string, timeoutMs: number, where: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new InputError(where, undefined, `cannot reach ${u.host}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new InputError(where, undefined, `cannot reach ${u.host} (${e.code ?? e.message}): check the URL, the port and the network path`));
    });
  });
}

/**
 * Runs one probe family so that whatever goes wrong inside it stays inside it: the family's evidence says it
 * failed (its checks then report `error`), the other probes still run, and the run never ends in an internal
 * error because of a server's behaviour. Input errors (a missing key) and an exhausted budget still stop the run.
 */
export async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InputError || e instanceof BudgetExceeded) throw e;
    return { failed: `${what} failed: ${(e as Error)?.message ?? String(e)}` };
  }
}

export function failedEvidence(probe: ProbeResultEvidence['probe'], target: string, file: string, message: string): ProbeResultEvidence {
  return { kind: 'probe', probe, target, facts: { configFile: file, error: message }, requests: 0, problems: [{ message, location: { file: file || target, target }, hidesEvidence: true }] };
}
