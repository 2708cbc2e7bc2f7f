/**
 * Authorization probe (9.3.2 "对于未授权的资源禁止访问"): calls made with the application party's VALID
 * credential (App_ID, client certificate, request signature) that it holds no grant for:
 *   - `ungranted`: interfaces the credential is not granted (function-level authorization);
 *   - `foreignResources`: another party's resource id on an interface it is granted (object-level, BOLA);
 *   - `ownResource` (optional control): the credential's own resource, which must be served, so that a 403 on the
 *     others shows authorization at work rather than a credential the server refuses anyway.
 * Only the status is recorded; bodies are not kept (they may hold another party's data).
 */
import type { ProbeOperation } from './config.js';
import { isFailure, operationName, operationUrl, type PrepareCall, type ProbeHttpClient } from './http.js';

export type AuthorizationCaseKind = 'own-resource' | 'ungranted' | 'foreign-resource';

export interface AuthorizationProbeFacts {
  cases: { kind: AuthorizationCaseKind; operation: string; status?: number; closed?: boolean; error?: string }[];
}

export interface AuthorizationProbePlan {
  baseUrl: string;
  ownResource?: ProbeOperation;
  ungranted: ProbeOperation[];
  foreignResources: ProbeOperation[];
  /** The credential's call (App_ID, tokens, a fresh signature). */
  prepare: PrepareCall;
}

export function authorizationRequestCount(plan: { ownResource?: unknown; ungranted?: unknown[]; foreignResources?: unknown[] }): number {
  return (plan.ownResource ? 1 : 0) + (plan.ungranted?.length ?? 0) + (plan.foreignResources?.length ?? 0);
}

export async function probeAuthorization(client: ProbeHttpClient, plan: AuthorizationProbePlan): Promise<AuthorizationProbeFacts | undefined> {
  const calls: [AuthorizationCaseKind, ProbeOperation][] = [
    ...(plan.ownResource ? [['own-resource', plan.ownResource] as [AuthorizationCaseKind, ProbeOperation]] : []),
    ...plan.ungranted.map((op): [AuthorizationCaseKind, ProbeOperation] => ['ungranted', op]),
    ...plan.foreignResources.map((op): [AuthorizationCaseKind, ProbeOperation] => ['foreign-resource', op]),
  ];
  const facts: AuthorizationProbeFacts = { cases: [] };
  for (const [kind, op] of calls) {
    const call = plan.prepare(op, operationUrl(plan.baseUrl, op));
    const ex = await client.trySend(call.url, {
      method: op.method,
      headers: call.headers,
      body: call.body,
      label: `authorization: ${kind} with a valid credential`,
    });
    if (!ex) continue;
    if (isFailure(ex)) facts.cases.push({ kind, operation: operationName(op), ...(ex.kind === 'closed' ? { closed: true } : {}), error: ex.error });
    else facts.cases.push({ kind, operation: operationName(op), status: ex.status });
  }
  return facts.cases.length ? facts : undefined;
}
