/**
 * 9.2.2 transport and 7.1 ciphers of a gateway's listeners and routes: no plaintext API traffic, no protocol below
 * the minimum, no weak cipher suite.
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { Outcome } from '../../model/outcome.js';
import { weakCipherFamilies } from './ciphers.js';
import { EVIDENCE, listenerSubject, loc, PLAINTEXT_PROTOCOLS, routeSubject } from './common.js';

export const tlsOnly = defineCheck<Record<string, never>>({
  name: 'gateway.tlsOnly',
  evidence: EVIDENCE,
  description: 'No plaintext listener or route accepting http for API traffic (9.2.2); a listener that only redirects to https is fine.',
  params: NO_PARAMS,
  messages: {
    plaintextListener: {
      zh: '监听 {{address}} 未启用 TLS，接口流量可明文传输',
      en: 'listener {{address}} accepts plaintext (no TLS) for API traffic',
    },
    redirectOnly: { zh: '监听 {{address}} 为明文，但仅重定向到 https', en: 'listener {{address}} is plaintext but only redirects to https' },
    tlsListener: { zh: '监听 {{address}} 启用 TLS', en: 'listener {{address}} uses TLS' },
    plaintextRoute: {
      zh: '路由 {{route}} 接受明文协议 {{protocols}}',
      en: 'route {{route}} accepts plaintext protocols {{protocols}}',
    },
    tlsRoute: { zh: '路由 {{route}} 仅接受加密协议 {{protocols}}', en: 'route {{route}} accepts only {{protocols}}' },
    protocolsUnknown: { zh: '路由 {{route}} 所在的监听不在所读配置中，无法判断是否加密', en: 'route {{route}}: the listeners it is served on are not in the configuration read, so whether it is encrypted is unknown' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const l of g.listeners) {
        const data = { address: l.address };
        if (l.tls.enabled) out.push({ status: 'pass', messageId: 'tlsListener', data, location: loc(l.location), subject: listenerSubject(g, l) });
        else if (l.redirectsToHttps) out.push({ status: 'pass', messageId: 'redirectOnly', data, location: loc(l.location), subject: listenerSubject(g, l) });
        else out.push({ status: 'fail', messageId: 'plaintextListener', data, location: loc(l.location), subject: listenerSubject(g, l) });
      }
      for (const r of g.routes) {
        if (!r.protocols.length) {
          // e.g. a Kubernetes route whose Gateway is not among the manifests: what it is served on is unknown
          out.push({ status: 'warn', messageId: 'protocolsUnknown', data: { route: r.name ?? r.paths.join(',') }, location: loc(r.location), subject: routeSubject(g, r) });
          continue;
        }
        const plain = r.protocols.filter((p) => PLAINTEXT_PROTOCOLS.has(p.toLowerCase()));
        const data = { route: r.name ?? r.paths.join(','), protocols: (plain.length ? plain : r.protocols).join(', ') };
        out.push({ status: plain.length ? 'fail' : 'pass', messageId: plain.length ? 'plaintextRoute' : 'tlsRoute', data, location: loc(r.location), subject: routeSubject(g, r) });
      }
    }
    return out;
  },
});

const PROTOCOL_ORDER = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function protocolRank(p: string): number {
  const n = p.replace(/^TLSv1\.0$/i, 'TLSv1').replace(/^tlsv/i, 'TLSv').replace(/^sslv/i, 'SSLv');
  return PROTOCOL_ORDER.indexOf(n);
}

export const tlsMinVersion = defineCheck<{ min?: 'TLSv1.2' | 'TLSv1.3' }>({
  name: 'gateway.tlsMinVersion',
  evidence: EVIDENCE,
  description: 'No TLS listener enables a protocol below the minimum (default TLSv1.2) (9.2.2, should).',
  params: { type: 'object', additionalProperties: false, properties: { min: { enum: ['TLSv1.2', 'TLSv1.3'] } } },
  messages: {
    belowMin: {
      zh: '监听 {{address}} 启用了低于 {{min}} 的协议：{{protocols}}{{defaulted}}',
      en: 'listener {{address}} enables protocols below {{min}}: {{protocols}}{{defaulted}}',
    },
    atLeastMin: { zh: '监听 {{address}} 仅启用 {{protocols}}', en: 'listener {{address}} enables only {{protocols}}' },
    unknownProtocols: {
      zh: '监听 {{address}} 的 TLS 协议版本在配置中不可见',
      en: 'listener {{address}}: the TLS protocol versions are not visible in the configuration',
    },
    noTlsListener: { zh: '{{file}} 中没有 TLS 监听', en: 'no TLS listener in {{file}}' },
  },
  run(bundle, params) {
    const min = params.min ?? 'TLSv1.2';
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      const tls = g.listeners.filter((l) => l.tls.enabled);
      if (!tls.length) {
        out.push({ status: 'n/a', messageId: 'noTlsListener', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
        continue;
      }
      for (const l of tls) {
        const protocols = l.tls.protocols;
        const base = { address: l.address, min };
        if (!protocols) {
          out.push({ status: 'warn', messageId: 'unknownProtocols', data: base, location: loc(l.tls.location), subject: listenerSubject(g, l) });
          continue;
        }
        const below = protocols.filter((p) => protocolRank(p) >= 0 && protocolRank(p) < protocolRank(min));
        const defaulted = l.tls.defaults?.includes('ssl_protocols') || l.tls.defaults?.includes('enabled-protocols') ? ' (not set: the gateway default)' : '';
        if (below.length) out.push({ status: 'fail', messageId: 'belowMin', data: { ...base, protocols: below.join(' '), defaulted }, location: loc(l.tls.location), subject: listenerSubject(g, l) });
        else out.push({ status: 'pass', messageId: 'atLeastMin', data: { ...base, protocols: protocols.join(' ') }, location: loc(l.tls.location), subject: listenerSubject(g, l) });
      }
    }
    return out;
  },
});


export const weakCiphers = defineCheck<Record<string, never>>({
  name: 'gateway.weakCiphers',
  evidence: EVIDENCE,
  description: 'No TLS listener enables RC4, 3DES, DES, NULL, EXPORT, anonymous (aNULL/ADH/AECDH) or MD5 suites (7.1).',
  params: NO_PARAMS,
  messages: {
    weak: { zh: '监听 {{address}} 的密码套件 {{ciphers}} 启用了弱算法：{{families}}', en: 'listener {{address}}: cipher list {{ciphers}} enables weak suites: {{families}}' },
    strong: { zh: '监听 {{address}} 的密码套件 {{ciphers}} 未启用弱算法', en: 'listener {{address}}: cipher list {{ciphers}} enables no weak suite' },
    unknownCiphers: { zh: '监听 {{address}} 的密码套件在配置中不可见', en: 'listener {{address}}: the cipher list is not visible in the configuration' },
    noTlsListener: { zh: '{{file}} 中没有 TLS 监听', en: 'no TLS listener in {{file}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      const tls = g.listeners.filter((l) => l.tls.enabled);
      if (!tls.length) out.push({ status: 'n/a', messageId: 'noTlsListener', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
      for (const l of tls) {
        const subject = listenerSubject(g, l);
        if (!l.tls.ciphers) {
          out.push({ status: 'n/a', messageId: 'unknownCiphers', data: { address: l.address }, location: loc(l.tls.location), subject });
          continue;
        }
        const families = weakCipherFamilies(l.tls.ciphers);
        const ciphers = l.tls.ciphers.length > 80 ? `${l.tls.ciphers.slice(0, 79)}…` : l.tls.ciphers;
        const data = { address: l.address, ciphers, families: families.join(', ') };
        // the finding points at the cipher list (nginx `ssl_ciphers`), not at the protocol line
        out.push({ status: families.length ? 'fail' : 'pass', messageId: families.length ? 'weak' : 'strong', data, location: loc(l.tls.ciphersLocation ?? l.tls.location), subject });
      }
    }
    return out;
  },
});

