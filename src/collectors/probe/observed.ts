/**
 * What the probes saw, as plain lines for the `probe` command's text output: protocols, suites, certificate facts
 * and each request's status. A passing probe must still show what it is based on, so a reader can check it (and a
 * refusal can be compared with `openssl s_client` by hand). Everything here is already masked by the collectors.
 */
import type { ProbeResultEvidence } from '../../model/evidence.js';

type Facts = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROTOCOLS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function status(x: { status?: number; error?: string; closed?: boolean; refusal?: string }): string {
  if (x.status !== undefined) return String(x.status);
  if (x.refusal === 'handshake') return 'refused at the TLS handshake';
  return x.closed || x.refusal === 'closed' ? `closed unanswered${x.error ? ` (${x.error})` : ''}` : `no answer (${x.error ?? 'unknown'})`;
}

export function observedLines(e: ProbeResultEvidence): string[] {
  const f = e.facts as Facts;
  const out: string[] = [];
  if (typeof f.error === 'string') out.push(`probe failed: ${f.error}`);
  if (typeof f.skipped === 'string') out.push(`skipped: ${f.skipped}`);
  switch (e.probe) {
    case 'tls': {
      if (!f.protocols) break;
      const p = f.protocols as Record<string, boolean | null>;
      const list = (v: boolean | null) => PROTOCOLS.filter((n) => p[n] === v).join(', ') || 'none';
      out.push(`protocols accepted: ${list(true)}; refused: ${list(false)}${PROTOCOLS.some((n) => p[n] === null) ? `; unknown (timeout): ${list(null)}` : ''}`);
      if (f.negotiated) out.push(`negotiated: ${f.negotiated.protocol} ${f.negotiated.cipher}`);
      const weak = (f.weakCiphers ?? []) as { openssl: string; protocol: string }[];
      const cbc = (f.cbcSha1 ?? []) as { openssl: string }[];
      out.push(
        f.enumeration === 'unknown'
          ? `suites: enumeration unknown (${f.enumerationProblem})`
          : `weak suites: ${weak.map((w) => `${w.openssl} (${w.protocol})`).join(', ') || 'none'}; CBC-SHA1 suites: ${cbc.map((c) => c.openssl).join(', ') || 'none'}`,
      );
      if (f.dhe) out.push(`DHE: ${f.dhe.cipher}, ${f.dhe.bits}-bit prime`);
      const c = f.certificate as Facts | undefined;
      if (c) {
        out.push(`certificate: ${c.subject}; issuer ${c.issuer}; ${c.keyType} ${c.keyBits ?? '?'} bits; ${c.signatureAlgorithm}; valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}`);
        out.push(`  host name ${c.hostnameMatches ? 'matches' : 'does NOT match'}; chain ${c.chainTrusted ? 'trusted' : `NOT trusted (${c.chainError ?? 'unknown'})`}`);
      }
      out.push(`client certificate: ${f.clientCertificate} (${f.clientCertificateSignal ?? ''})`);
      if (f.httpsStatus !== undefined) out.push(`GET without client certificate: ${f.httpsStatus}; HSTS: ${f.hsts ?? 'none'}`);
      if (f.plainHttp) out.push(`plain HTTP ${f.plainHttp.url}: ${f.plainHttp.outcome}${f.plainHttp.status ? ` ${f.plainHttp.status}` : ''}${f.plainHttp.location ? ` → ${f.plainHttp.location}` : ''}`);
      out.push(`TLS connections opened (and closed): ${f.connections}`);
      break;
    }
    case 'http':
      for (const u of (f.unauthenticated ?? []) as Facts[]) out.push(`${u.operation} without credentials → ${status(u)}`);
      for (const r of (f.errorResponses ?? []) as Facts[]) out.push(`${r.operation} malformed (${r.variant}) → ${status(r)}${r.leaks?.length ? `; discloses ${r.leaks.map((l: Facts) => l.kind).join(', ')}` : ''}`);
      if (f.burst) {
        const b = f.burst as Facts;
        out.push(`${b.operation} burst of ${b.count}: ${Object.entries(b.statuses as Record<string, number>).map(([s, n]) => `${s}×${n}`).join(', ') || 'no answer'}${b.error ? `; ${b.error}` : ''}`);
      }
      break;
    case 'signature':
      for (const v of (f.variants ?? []) as Facts[]) out.push(`${f.operation} ${f.scheme} ${v.variant} → ${status(v)}`);
      if (f.responseSignature) out.push(`${f.operation} response signature: ${f.responseSignature}`);
      break;
    case 'masking':
      if (!f.error && !f.skipped) out.push(`${f.operation} → ${status(f)}; unmasked ${(f.unmasked ?? []).length}, masked ${f.maskedValues ?? 0}`);
      break;
    case 'authorization':
      for (const c of (f.cases ?? []) as Facts[]) out.push(`${c.operation} (${c.kind}) with a valid credential → ${status(c)}`);
      break;
  }
  return out;
}
