/**
 * What the checks of the `gateway` family share: the evidence kind, how a route or listener is named in outcomes,
 * and how a location is copied and printed.
 */
import type { GatewayConfigEvidence, ListenerEvidence, RouteEvidence, SourceLocation } from '../../model/evidence.js';

export const EVIDENCE: ['gateway'] = ['gateway'];

export function routeSubject(g: GatewayConfigEvidence, r: RouteEvidence): string {
  const what = r.name ?? `${r.methods.join(',') || 'ANY'} ${r.paths.join(',') || '/'}`;
  return `${g.format} route ${what}`;
}

export function listenerSubject(g: GatewayConfigEvidence, l: ListenerEvidence): string {
  return `${g.format} listener ${l.address}`;
}

export function loc(l: SourceLocation): SourceLocation {
  return { ...l };
}

export function where(l: SourceLocation): string {
  return `${l.file}${l.line !== undefined ? `:${l.line}` : ''}${l.pointer !== undefined && l.line === undefined ? `#${l.pointer}` : ''}`;
}

export const PLAINTEXT_PROTOCOLS = new Set(['http', 'ws', 'grpc', 'tcp', 'udp']);
