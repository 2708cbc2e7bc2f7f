/**
 * Checks of the `gateway` family: what a gateway's own configuration (Kong, APISIX, nginx, Spring Cloud
 * Gateway) enforces for transport (9.2.2), ciphers (7.1), app-party authentication (9.2.1), flow control and
 * blacklists (10.1.2), access logs (7.3.3, 12.3), inline secrets (7.3.4), version disclosure (7.1), and
 * whether routes and the interface description agree (12.1). Pure over GatewayConfigEvidence; every outcome
 * points at the collector's file and line.
 */
import type { AnyCheck } from './registry.js';
import { defineCheck, NO_PARAMS } from './registry.js';
import type {
  EvidenceBundle,
  GatewayConfigEvidence,
  ListenerEvidence,
  OpenApiDocumentEvidence,
  OperationEvidence,
  RouteEvidence,
  SecurityLevel,
  SourceLocation,
} from '../model/evidence.js';
import type { CheckContext, Outcome } from '../model/outcome.js';

const EVIDENCE: ['gateway'] = ['gateway'];

function routeSubject(g: GatewayConfigEvidence, r: RouteEvidence): string {
  const what = r.name ?? `${r.methods.join(',') || 'ANY'} ${r.paths.join(',') || '/'}`;
  return `${g.format} route ${what}`;
}

function listenerSubject(g: GatewayConfigEvidence, l: ListenerEvidence): string {
  return `${g.format} listener ${l.address}`;
}

function loc(l: SourceLocation): SourceLocation {
  return { ...l };
}

function where(l: SourceLocation): string {
  return `${l.file}${l.line !== undefined ? `:${l.line}` : ''}${l.pointer !== undefined && l.line === undefined ? `#${l.pointer}` : ''}`;
}

const PLAINTEXT_PROTOCOLS = new Set(['http', 'ws', 'grpc', 'tcp', 'udp']);

// ---------------------------------------------------------------------------------------------
// 9.2.2 transport
// ---------------------------------------------------------------------------------------------

const tlsOnly = defineCheck<Record<string, never>>({
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

const tlsMinVersion = defineCheck<{ min?: 'TLSv1.2' | 'TLSv1.3' }>({
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

// ---------------------------------------------------------------------------------------------
// 7.1 weak ciphers — an OpenSSL cipher-string evaluator over a catalogue of suites
// ---------------------------------------------------------------------------------------------

interface Suite {
  name: string;
  kx: 'RSA' | 'DHE' | 'ECDHE' | 'PSK';
  au: 'RSA' | 'ECDSA' | 'DSS' | 'NULL' | 'PSK';
  enc: 'AESGCM' | 'AES' | 'CHACHA20' | 'CAMELLIA' | '3DES' | 'DES' | 'RC4' | 'NULL' | 'IDEA' | 'SEED' | 'ARIA';
  mac: 'AEAD' | 'SHA1' | 'SHA256' | 'SHA384' | 'MD5';
  export?: boolean;
}

const S = (name: string, kx: Suite['kx'], au: Suite['au'], enc: Suite['enc'], mac: Suite['mac'], exp = false): Suite => ({ name, kx, au, enc, mac, export: exp });

/** OpenSSL suite names with their attributes; weak ones included so a string that enables them is caught. */
const SUITES: Suite[] = [
  S('ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE', 'ECDSA', 'AESGCM', 'AEAD'),
  S('ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE', 'RSA', 'AESGCM', 'AEAD'),
  S('DHE-RSA-AES256-GCM-SHA384', 'DHE', 'RSA', 'AESGCM', 'AEAD'),
  S('ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE', 'ECDSA', 'CHACHA20', 'AEAD'),
  S('ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE', 'RSA', 'CHACHA20', 'AEAD'),
  S('DHE-RSA-CHACHA20-POLY1305', 'DHE', 'RSA', 'CHACHA20', 'AEAD'),
  S('ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE', 'ECDSA', 'AESGCM', 'AEAD'),
  S('ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE', 'RSA', 'AESGCM', 'AEAD'),
  S('DHE-RSA-AES128-GCM-SHA256', 'DHE', 'RSA', 'AESGCM', 'AEAD'),
  S('ECDHE-ECDSA-AES256-SHA384', 'ECDHE', 'ECDSA', 'AES', 'SHA384'),
  S('ECDHE-RSA-AES256-SHA384', 'ECDHE', 'RSA', 'AES', 'SHA384'),
  S('DHE-RSA-AES256-SHA256', 'DHE', 'RSA', 'AES', 'SHA256'),
  S('ECDHE-ECDSA-AES128-SHA256', 'ECDHE', 'ECDSA', 'AES', 'SHA256'),
  S('ECDHE-RSA-AES128-SHA256', 'ECDHE', 'RSA', 'AES', 'SHA256'),
  S('DHE-RSA-AES128-SHA256', 'DHE', 'RSA', 'AES', 'SHA256'),
  S('ECDHE-ECDSA-AES256-SHA', 'ECDHE', 'ECDSA', 'AES', 'SHA1'),
  S('ECDHE-RSA-AES256-SHA', 'ECDHE', 'RSA', 'AES', 'SHA1'),
  S('DHE-RSA-AES256-SHA', 'DHE', 'RSA', 'AES', 'SHA1'),
  S('ECDHE-ECDSA-AES128-SHA', 'ECDHE', 'ECDSA', 'AES', 'SHA1'),
  S('ECDHE-RSA-AES128-SHA', 'ECDHE', 'RSA', 'AES', 'SHA1'),
  S('DHE-RSA-AES128-SHA', 'DHE', 'RSA', 'AES', 'SHA1'),
  S('DHE-DSS-AES128-SHA', 'DHE', 'DSS', 'AES', 'SHA1'),
  S('AES256-GCM-SHA384', 'RSA', 'RSA', 'AESGCM', 'AEAD'),
  S('AES128-GCM-SHA256', 'RSA', 'RSA', 'AESGCM', 'AEAD'),
  S('AES256-SHA256', 'RSA', 'RSA', 'AES', 'SHA256'),
  S('AES128-SHA256', 'RSA', 'RSA', 'AES', 'SHA256'),
  S('AES256-SHA', 'RSA', 'RSA', 'AES', 'SHA1'),
  S('AES128-SHA', 'RSA', 'RSA', 'AES', 'SHA1'),
  S('CAMELLIA256-SHA', 'RSA', 'RSA', 'CAMELLIA', 'SHA1'),
  S('CAMELLIA128-SHA', 'RSA', 'RSA', 'CAMELLIA', 'SHA1'),
  S('DHE-RSA-CAMELLIA256-SHA', 'DHE', 'RSA', 'CAMELLIA', 'SHA1'),
  S('ECDHE-ARIA256-GCM-SHA384', 'ECDHE', 'RSA', 'ARIA', 'AEAD'),
  S('PSK-AES128-CBC-SHA', 'PSK', 'PSK', 'AES', 'SHA1'),
  S('SEED-SHA', 'RSA', 'RSA', 'SEED', 'SHA1'),
  S('IDEA-CBC-SHA', 'RSA', 'RSA', 'IDEA', 'SHA1'),
  // weak: 3DES, RC4, DES, NULL, EXPORT, anonymous, MD5
  S('ECDHE-ECDSA-DES-CBC3-SHA', 'ECDHE', 'ECDSA', '3DES', 'SHA1'),
  S('ECDHE-RSA-DES-CBC3-SHA', 'ECDHE', 'RSA', '3DES', 'SHA1'),
  S('EDH-RSA-DES-CBC3-SHA', 'DHE', 'RSA', '3DES', 'SHA1'),
  S('DES-CBC3-SHA', 'RSA', 'RSA', '3DES', 'SHA1'),
  S('ECDHE-ECDSA-RC4-SHA', 'ECDHE', 'ECDSA', 'RC4', 'SHA1'),
  S('ECDHE-RSA-RC4-SHA', 'ECDHE', 'RSA', 'RC4', 'SHA1'),
  S('RC4-SHA', 'RSA', 'RSA', 'RC4', 'SHA1'),
  S('RC4-MD5', 'RSA', 'RSA', 'RC4', 'MD5'),
  S('EDH-RSA-DES-CBC-SHA', 'DHE', 'RSA', 'DES', 'SHA1'),
  S('DES-CBC-SHA', 'RSA', 'RSA', 'DES', 'SHA1'),
  S('EXP-RC4-MD5', 'RSA', 'RSA', 'RC4', 'MD5', true),
  S('EXP-DES-CBC-SHA', 'RSA', 'RSA', 'DES', 'SHA1', true),
  S('EXP-EDH-RSA-DES-CBC-SHA', 'DHE', 'RSA', 'DES', 'SHA1', true),
  S('ADH-AES256-GCM-SHA384', 'DHE', 'NULL', 'AESGCM', 'AEAD'),
  S('ADH-AES128-SHA', 'DHE', 'NULL', 'AES', 'SHA1'),
  S('ADH-DES-CBC3-SHA', 'DHE', 'NULL', '3DES', 'SHA1'),
  S('ADH-RC4-MD5', 'DHE', 'NULL', 'RC4', 'MD5'),
  S('EXP-ADH-RC4-MD5', 'DHE', 'NULL', 'RC4', 'MD5', true),
  S('AECDH-AES128-SHA', 'ECDHE', 'NULL', 'AES', 'SHA1'),
  S('AECDH-DES-CBC3-SHA', 'ECDHE', 'NULL', '3DES', 'SHA1'),
  S('AECDH-RC4-SHA', 'ECDHE', 'NULL', 'RC4', 'SHA1'),
  S('AECDH-NULL-SHA', 'ECDHE', 'NULL', 'NULL', 'SHA1'),
  S('NULL-SHA256', 'RSA', 'RSA', 'NULL', 'SHA256'),
  S('NULL-SHA', 'RSA', 'RSA', 'NULL', 'SHA1'),
  S('NULL-MD5', 'RSA', 'RSA', 'NULL', 'MD5'),
  S('ECDHE-RSA-NULL-SHA', 'ECDHE', 'RSA', 'NULL', 'SHA1'),
  S('ECDHE-ECDSA-NULL-SHA', 'ECDHE', 'ECDSA', 'NULL', 'SHA1'),
];

/** OpenSSL ≥ 1.1.0 strength classes: 3DES is MEDIUM (it was HIGH in 1.0.x), DES LOW. */
function strength(s: Suite): 'HIGH' | 'MEDIUM' | 'LOW' | 'EXPORT' | 'NONE' {
  if (s.enc === 'NULL') return 'NONE';
  if (s.export) return 'EXPORT';
  if (s.enc === 'DES') return 'LOW';
  if (s.enc === '3DES' || s.enc === 'RC4' || s.enc === 'SEED' || s.enc === 'IDEA') return 'MEDIUM';
  return 'HIGH';
}

const ALIAS: Record<string, (s: Suite) => boolean> = {
  ALL: (s) => s.enc !== 'NULL',
  COMPLEMENTOFALL: (s) => s.enc === 'NULL',
  // DEFAULT (1.1+): ALL minus anonymous and NULL; RC4/DES/EXPORT are not built by default
  DEFAULT: (s) => s.enc !== 'NULL' && s.au !== 'NULL' && !s.export && s.enc !== 'DES' && s.enc !== 'RC4',
  COMPLEMENTOFDEFAULT: (s) => s.au === 'NULL' && s.enc !== 'NULL',
  HIGH: (s) => strength(s) === 'HIGH',
  MEDIUM: (s) => strength(s) === 'MEDIUM',
  LOW: (s) => strength(s) === 'LOW',
  EXPORT: (s) => !!s.export,
  EXP: (s) => !!s.export,
  EXPORT40: (s) => !!s.export,
  EXPORT56: (s) => !!s.export,
  ENULL: (s) => s.enc === 'NULL',
  NULL: (s) => s.enc === 'NULL',
  ANULL: (s) => s.au === 'NULL',
  RC4: (s) => s.enc === 'RC4',
  '3DES': (s) => s.enc === '3DES',
  DES: (s) => s.enc === 'DES',
  MD5: (s) => s.mac === 'MD5',
  SHA1: (s) => s.mac === 'SHA1',
  SHA: (s) => s.mac === 'SHA1',
  SHA256: (s) => s.mac === 'SHA256' || (s.mac === 'AEAD' && /SHA256|CHACHA/.test(s.name)),
  SHA384: (s) => s.mac === 'SHA384' || (s.mac === 'AEAD' && /SHA384/.test(s.name)),
  AEAD: (s) => s.mac === 'AEAD',
  AES: (s) => s.enc === 'AES' || s.enc === 'AESGCM',
  AESGCM: (s) => s.enc === 'AESGCM',
  AES128: (s) => (s.enc === 'AES' || s.enc === 'AESGCM') && /128/.test(s.name),
  AES256: (s) => (s.enc === 'AES' || s.enc === 'AESGCM') && /256/.test(s.name),
  CHACHA20: (s) => s.enc === 'CHACHA20',
  CAMELLIA: (s) => s.enc === 'CAMELLIA',
  ARIA: (s) => s.enc === 'ARIA',
  SEED: (s) => s.enc === 'SEED',
  IDEA: (s) => s.enc === 'IDEA',
  KRSA: (s) => s.kx === 'RSA',
  RSA: (s) => s.kx === 'RSA' || s.au === 'RSA',
  ARSA: (s) => s.au === 'RSA',
  KEDH: (s) => s.kx === 'DHE',
  KDHE: (s) => s.kx === 'DHE',
  EDH: (s) => s.kx === 'DHE' && s.au !== 'NULL',
  DHE: (s) => s.kx === 'DHE' && s.au !== 'NULL',
  DH: (s) => s.kx === 'DHE',
  ADH: (s) => s.kx === 'DHE' && s.au === 'NULL',
  KEECDH: (s) => s.kx === 'ECDHE',
  KECDHE: (s) => s.kx === 'ECDHE',
  EECDH: (s) => s.kx === 'ECDHE' && s.au !== 'NULL',
  ECDHE: (s) => s.kx === 'ECDHE' && s.au !== 'NULL',
  ECDH: (s) => s.kx === 'ECDHE',
  AECDH: (s) => s.kx === 'ECDHE' && s.au === 'NULL',
  AECDSA: (s) => s.au === 'ECDSA',
  ECDSA: (s) => s.au === 'ECDSA',
  ADSS: (s) => s.au === 'DSS',
  DSS: (s) => s.au === 'DSS',
  PSK: (s) => s.kx === 'PSK',
  KPSK: (s) => s.kx === 'PSK',
  APSK: (s) => s.au === 'PSK',
  SSLV3: (s) => s.mac === 'SHA1' || s.mac === 'MD5',
  TLSV1: (s) => s.mac === 'SHA1' || s.mac === 'MD5',
  'TLSV1.2': () => true,
  FIPS: (s) => strength(s) === 'HIGH' && s.enc !== 'CHACHA20' && s.enc !== 'CAMELLIA' && s.au !== 'NULL',
};

function itemPredicate(item: string): ((s: Suite) => boolean) | undefined {
  const byName = SUITES.find((s) => s.name.toUpperCase() === item.toUpperCase());
  if (byName) return (s) => s === byName;
  const parts = item.split('+');
  const preds = parts.map((p) => ALIAS[p.toUpperCase()] ?? (SUITES.some((s) => s.name.toUpperCase() === p.toUpperCase()) ? (s: Suite) => s.name.toUpperCase() === p.toUpperCase() : undefined));
  if (preds.some((p) => !p)) return undefined;
  return (s) => preds.every((p) => p!(s));
}

/** Suites an OpenSSL cipher string enables (`!` kills, `-` removes, `+` reorders, `A+B` intersects). */
export function enabledSuites(cipherString: string): Suite[] {
  const active: Suite[] = [];
  const killed = new Set<Suite>();
  for (const raw of cipherString.split(/[:, ]+/).filter(Boolean)) {
    if (raw.startsWith('@')) continue; // @STRENGTH, @SECLEVEL=n
    const op = /^[!+-]/.test(raw) ? raw[0]! : '';
    const pred = itemPredicate(op ? raw.slice(1) : raw);
    if (!pred) continue; // unknown names select nothing, as in OpenSSL
    const matching = SUITES.filter(pred);
    if (op === '!') {
      for (const s of matching) killed.add(s);
      for (let i = active.length - 1; i >= 0; i--) if (killed.has(active[i]!)) active.splice(i, 1);
    } else if (op === '-') {
      for (let i = active.length - 1; i >= 0; i--) if (matching.includes(active[i]!)) active.splice(i, 1);
    } else if (op === '+') {
      const moved = active.filter((s) => matching.includes(s));
      for (const s of moved) active.splice(active.indexOf(s), 1);
      active.push(...moved);
    } else {
      for (const s of matching) if (!killed.has(s) && !active.includes(s)) active.push(s);
    }
  }
  return active;
}

const WEAK_FAMILIES: [string, (s: Suite) => boolean][] = [
  ['RC4', (s) => s.enc === 'RC4'],
  ['3DES', (s) => s.enc === '3DES'],
  ['DES', (s) => s.enc === 'DES'],
  ['NULL', (s) => s.enc === 'NULL'],
  ['EXPORT', (s) => !!s.export],
  ['anonymous', (s) => s.au === 'NULL'],
  ['MD5', (s) => s.mac === 'MD5'],
];

/** Weak families an OpenSSL cipher string leaves enabled. */
export function weakCipherFamilies(cipherString: string): string[] {
  const suites = enabledSuites(cipherString);
  return WEAK_FAMILIES.filter(([, p]) => suites.some(p)).map(([n]) => n);
}

const weakCiphers = defineCheck<Record<string, never>>({
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
        out.push({ status: families.length ? 'fail' : 'pass', messageId: families.length ? 'weak' : 'strong', data, location: loc(l.tls.location), subject });
      }
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 9.2.1 authentication
// ---------------------------------------------------------------------------------------------

const routeAuthentication = defineCheck<Record<string, never>>({
  name: 'gateway.routeAuthentication',
  evidence: EVIDENCE,
  description: 'Every route authenticates the application party (9.2.1 b1).',
  params: NO_PARAMS,
  messages: {
    noAuthentication: { zh: '路由 {{route}} 未配置应用方身份认证', en: 'route {{route}} has no application-party authentication' },
    authenticated: { zh: '路由 {{route}} 由 {{plugins}} 认证应用方', en: 'route {{route}} authenticates the application party with {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        if (r.auth.length) out.push({ status: 'pass', messageId: 'authenticated', data: { route, plugins: [...new Set(r.auth.map((a) => a.plugin))].join(', ') }, location: loc(r.location), subject: routeSubject(g, r) });
        else out.push({ status: 'fail', messageId: 'noAuthentication', data: { route }, location: loc(r.location), subject: routeSubject(g, r) });
      }
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// Route ↔ operation matching (levels for 9.2.1 b2, inventory for 12.1)
// ---------------------------------------------------------------------------------------------

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A route path as the gateway matches it → a test on concrete request paths. */
function routeMatcher(format: GatewayConfigEvidence['format'], path: string): (p: string) => boolean {
  try {
    if (format === 'nginx') {
      const m = /^(=|~\*|~|\^~)\s+(.*)$/.exec(path);
      if (m) {
        if (m[1] === '=') return (p) => p === m[2];
        if (m[1] === '~') return (p) => new RegExp(m[2]!).test(p);
        if (m[1] === '~*') return (p) => new RegExp(m[2]!, 'i').test(p);
        return (p) => p.startsWith(m[2]!);
      }
      return (p) => p.startsWith(path);
    }
    if (format === 'kong') {
      if (path.startsWith('~')) {
        const re = new RegExp(`^${path.slice(1).replace(/^\^/, '')}`);
        return (p) => re.test(p);
      }
      return (p) => p.startsWith(path);
    }
    if (format === 'apisix') {
      if (path.endsWith('*')) {
        const prefix = path.slice(0, -1);
        return (p) => p.startsWith(prefix) || `${p}/` === prefix;
      }
      const re = new RegExp(`^${path.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : escapeRe(seg))).join('/')}$`);
      return (p) => re.test(p);
    }
    // spring: Ant-style patterns (`/**`, `/*`, `{var}`)
    const re = new RegExp(
      `^${path
        .split('/')
        .map((seg) => (seg === '**' ? '\u0000' : escapeRe(seg).replace(/\\\*/g, '[^/]*').replace(/\\\{[^}]*\\\}/g, '[^/]+')))
        .join('/')
        .replace(/\/\u0000/g, '(?:/.*)?')
        .replace(/\u0000/g, '.*')}$`,
    );
    return (p) => re.test(p);
  } catch {
    return () => false;
  }
}

function serverBasePaths(doc: OpenApiDocumentEvidence): string[] {
  const bases = new Set<string>(['']);
  for (const s of doc.servers) {
    const path = s.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/\{[^}]*\}/g, 'x').replace(/\/$/, '');
    if (path.startsWith('/')) bases.add(path);
  }
  return [...bases];
}

/** Concrete request paths an operation answers (templates filled), with and without the server base path. */
function samplePaths(doc: OpenApiDocumentEvidence, op: OperationEvidence): string[] {
  const filled = op.path.replace(/\{[^}]+\}/g, 'x1');
  return serverBasePaths(doc).map((b) => `${b}${filled}`);
}

interface OpRef {
  doc: OpenApiDocumentEvidence;
  op: OperationEvidence;
}

function routeExposes(g: GatewayConfigEvidence, r: RouteEvidence, ref: OpRef): boolean {
  if (r.methods.length && !r.methods.includes(ref.op.method.toUpperCase())) return false;
  const paths = r.paths.length ? r.paths : ['/'];
  const samples = samplePaths(ref.doc, ref.op);
  return paths.some((p) => {
    const m = routeMatcher(g.format, p);
    return samples.some((s) => m(s));
  });
}

function allOperations(bundle: Readonly<EvidenceBundle>): OpRef[] {
  return bundle.openapi.flatMap((doc) => doc.operations.map((op) => ({ doc, op })));
}

/** The route's level: its tags/labels, else the level the matching operation declares, else the profile's. */
function routeLevel(g: GatewayConfigEvidence, r: RouteEvidence, ops: OpRef[], ctx: CheckContext): { level: SecurityLevel; source: string } {
  if (r.declaredLevel) return { level: r.declaredLevel, source: 'route tags' };
  const declared = ops.filter((o) => o.op.declaredLevel && routeExposes(g, r, o)).map((o) => o.op.declaredLevel!);
  if (declared.includes('A2')) return { level: 'A2', source: 'OpenAPI x-security-level' };
  if (declared.includes('A1')) return { level: 'A1', source: 'OpenAPI x-security-level' };
  return { level: ctx.level, source: '--level' };
}

const STRONG_AUTH = new Set(['mtls', 'signature']);

const mutualAuthentication = defineCheck<Record<string, never>>({
  name: 'gateway.mutualAuthentication',
  evidence: EVIDENCE,
  description: 'A2 routes require a client certificate or an asymmetric request signature, not a shared secret alone (9.2.1 b2).',
  params: NO_PARAMS,
  messages: {
    sharedSecretOnly: {
      zh: 'A2 路由 {{route}}（级别来自{{source}}）未要求数字证书或签名，认证方式：{{plugins}}',
      en: 'A2 route {{route}} (level from {{source}}) requires no client certificate or signature; authentication: {{plugins}}',
    },
    mutual: { zh: 'A2 路由 {{route}} 要求 {{plugins}}', en: 'A2 route {{route}} requires {{plugins}}' },
    notA2: { zh: '路由 {{route}} 为 A1 级（级别来自{{source}}）', en: 'route {{route}} is A1 (level from {{source}})' },
  },
  run(bundle, _params, ctx) {
    const out: Outcome[] = [];
    const ops = allOperations(bundle);
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const { level, source } = routeLevel(g, r, ops, ctx);
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        if (level !== 'A2') {
          out.push({ status: 'n/a', messageId: 'notA2', data: { route, source }, ...base });
          continue;
        }
        const strong = r.auth.filter((a) => STRONG_AUTH.has(a.kind));
        if (strong.length) out.push({ status: 'pass', messageId: 'mutual', data: { route, plugins: strong.map((a) => a.plugin).join(', ') }, ...base });
        else out.push({ status: 'fail', messageId: 'sharedSecretOnly', data: { route, source, plugins: r.auth.map((a) => `${a.plugin} (${a.kind})`).join(', ') || 'none' }, ...base });
      }
    }
    return out;
  },
});

const LIFETIME_KINDS = new Set(['jwt', 'oauth2', 'oidc']);

const credentialLifetime = defineCheck<{ maxSeconds?: number }>({
  name: 'gateway.credentialLifetime',
  evidence: EVIDENCE,
  description: 'Token and session lifetimes are bounded (JWT maximum_expiration / exp, OAuth2 token expiry) and, when maxSeconds is given, no longer (9.2.1 b3).',
  params: { type: 'object', additionalProperties: false, properties: { maxSeconds: { type: 'integer', minimum: 1 } } },
  messages: {
    unbounded: { zh: '路由 {{route}} 的 {{plugin}} 未限定令牌有效期', en: 'route {{route}}: {{plugin}} does not bound the token lifetime' },
    tooLong: { zh: '路由 {{route}} 的 {{plugin}} 令牌有效期 {{seconds}} 秒，超过 {{max}} 秒', en: 'route {{route}}: {{plugin}} token lifetime {{seconds}} s exceeds {{max}} s' },
    bounded: { zh: '路由 {{route}} 的 {{plugin}} 令牌有效期 {{seconds}} 秒', en: 'route {{route}}: {{plugin}} token lifetime {{seconds}} s' },
  },
  run(bundle, params) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        for (const a of r.auth.filter((x) => LIFETIME_KINDS.has(x.kind))) {
          const base = { location: loc(a.location), subject: `${routeSubject(g, r)} ${a.plugin}` };
          if (a.maxLifetimeSeconds === undefined) out.push({ status: 'fail', messageId: 'unbounded', data: { route, plugin: a.plugin }, ...base });
          else if (params.maxSeconds !== undefined && a.maxLifetimeSeconds > params.maxSeconds) {
            out.push({ status: 'fail', messageId: 'tooLong', data: { route, plugin: a.plugin, seconds: a.maxLifetimeSeconds, max: params.maxSeconds }, ...base });
          } else out.push({ status: 'pass', messageId: 'bounded', data: { route, plugin: a.plugin, seconds: a.maxLifetimeSeconds }, ...base });
        }
      }
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 10.1.2 flow control and blacklists
// ---------------------------------------------------------------------------------------------

/** Sentinel gw-flow rules from any Spring evidence of the bundle, by route id (resource). */
function sentinelResources(bundle: Readonly<EvidenceBundle>): Map<string, SourceLocation> {
  const m = new Map<string, SourceLocation>();
  for (const g of bundle.gateway) {
    for (const p of g.globalPlugins) if (p.name === 'sentinel-gw-flow' && typeof p.config.resource === 'string') m.set(p.config.resource, p.location);
  }
  return m;
}

const rateLimit = defineCheck<Record<string, never>>({
  name: 'gateway.rateLimit',
  evidence: EVIDENCE,
  description: 'Every route has flow control: a rate or concurrency limit (10.1.2).',
  params: NO_PARAMS,
  messages: {
    noRateLimit: { zh: '路由 {{route}} 未配置流量控制（限速或并发限制）', en: 'route {{route}} has no flow control (rate or concurrency limit)' },
    rateLimited: { zh: '路由 {{route}} 由 {{plugins}} 限流', en: 'route {{route}} is flow-controlled by {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    const sentinel = sentinelResources(bundle);
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        const plugins = r.rateLimits.map((x) => x.plugin);
        const s = g.format === 'spring' && r.name ? sentinel.get(r.name) : undefined;
        if (s) plugins.push(`sentinel gw-flow (${where(s)})`);
        if (plugins.length) out.push({ status: 'pass', messageId: 'rateLimited', data: { route, plugins: [...new Set(plugins)].join(', ') }, ...base });
        else out.push({ status: 'fail', messageId: 'noRateLimit', data: { route }, ...base });
      }
    }
    return out;
  },
});

const blacklist = defineCheck<Record<string, never>>({
  name: 'gateway.blacklist',
  evidence: EVIDENCE,
  description: 'Every route can refuse listed application parties: a deny list, or a consumer restriction/ACL (10.1.2).',
  params: NO_PARAMS,
  messages: {
    noBlacklist: { zh: '路由 {{route}} 不具备应用方黑名单能力（无拒绝列表或消费者限制）', en: 'route {{route}} has no blacklist capability (no deny list or consumer restriction)' },
    blacklist: { zh: '路由 {{route}} 由 {{plugins}} 提供黑名单能力', en: 'route {{route}} can refuse application parties via {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        const lists = r.accessLists.filter((a) => a.mode === 'deny' || a.plugin === 'acl' || a.plugin === 'consumer-restriction').map((a) => a.plugin);
        const consumerPlugins = r.plugins.filter((p) => p.name === 'acl' || p.name === 'consumer-restriction').map((p) => p.name);
        const all = [...new Set([...lists, ...consumerPlugins])];
        if (all.length) out.push({ status: 'pass', messageId: 'blacklist', data: { route, plugins: all.join(', ') }, ...base });
        else out.push({ status: 'fail', messageId: 'noBlacklist', data: { route }, ...base });
      }
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.3.3 / 12.3 logging
// ---------------------------------------------------------------------------------------------

const accessLog = defineCheck<Record<string, never>>({
  name: 'gateway.accessLog',
  evidence: EVIDENCE,
  description: 'Every route writes an access log (7.3.3, 12.3).',
  params: NO_PARAMS,
  messages: {
    logged: { zh: '路由 {{route}} 记录访问日志（{{plugins}}）', en: 'route {{route}} writes an access log ({{plugins}})' },
    accessLogOff: { zh: '路由 {{route}} 关闭了访问日志（{{plugins}}）', en: 'route {{route}} turns access logging off ({{plugins}})' },
    noAccessLog: { zh: '路由 {{route}} 未配置访问日志', en: 'route {{route}} has no access logging configured' },
    nodeLogOnly: {
      zh: '路由 {{route}} 未配置日志插件；仅有 {{format}} 节点默认访问日志（不在此文件中）',
      en: 'route {{route}} has no logging plugin; only the {{format}} node default access log (outside this file) would record it',
    },
    jvmAccessLog: {
      zh: '路由 {{route}} 的访问日志不在此文件中：Spring Cloud Gateway 的访问日志由 JVM 参数 -Dreactor.netty.http.server.accessLogEnabled=true 开启，请核实',
      en: 'route {{route}}: Spring Cloud Gateway access logging is switched on outside this file (JVM property -Dreactor.netty.http.server.accessLogEnabled=true); verify it',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { subject: routeSubject(g, r) };
        const on = r.logging.filter((l) => l.enabled);
        const off = r.logging.filter((l) => !l.enabled);
        if (on.length) out.push({ status: 'pass', messageId: 'logged', data: { route, plugins: on.map((l) => l.plugin).join(', ') }, location: loc(r.location), ...base });
        else if (off.length) out.push({ status: 'fail', messageId: 'accessLogOff', data: { route, plugins: off.map((l) => l.plugin).join(', ') }, location: loc(off[0]!.location), ...base });
        else if (g.format === 'kong' || g.format === 'apisix') out.push({ status: 'warn', messageId: 'nodeLogOnly', data: { route, format: g.format }, location: loc(r.location), ...base });
        // Reactor Netty's access log is a JVM property, never in application.yml: absence here proves nothing.
        else if (g.format === 'spring') out.push({ status: 'warn', messageId: 'jvmAccessLog', data: { route }, location: loc(r.location), ...base });
        else out.push({ status: 'fail', messageId: 'noAccessLog', data: { route }, location: loc(r.location), ...base });
      }
    }
    return out;
  },
});

/** The six 7.3.3 fields and the variable / key names that record them. */
const LOG_FIELDS: Record<string, RegExp> = {
  'serial-number': /^(request_id|http_x_request_id|http_x_trace_id|http_traceparent|trace_?id|transaction_?id|serial_?no|request-id|txn_?id|x_request_id|opentelemetry_trace_id|otel_trace_id|upstream_http_x_request_id)$/i,
  'app-id': /^(http_x_app_id|app_?id|consumer(_name|_id|_username)?|http_x_consumer_(id|username)|jwt_claim_(sub|client_id|azp)|remote_user|client_id|ssl_client_s_dn|ssl_client_serial|http_x_client_id)$/i,
  'u-api-id': /^(http_x_u_api_id|u_?api_?id|x_u_api_id|route_?id|route_?name|api_?id|service_?name|route)$/i,
  duration: /^(request_time|upstream_response_time|latency|latencies|duration|elapsed|response_time|upstream_connect_time|request_latency)$/i,
  timestamp: /^(time_iso8601|time_local|msec|timestamp|@timestamp|time|started_at|created_at|datetime)$/i,
  result: /^(status|response_status|result|upstream_status|status_code|code)$/i,
};
const ALL_FIELDS = Object.keys(LOG_FIELDS);

const logFields = defineCheck<{ fields?: string[] }>({
  name: 'gateway.logFields',
  evidence: EVIDENCE,
  description: 'Where the access-log format is visible, it records serial number, App_ID, U_API_ID, duration, timestamp and result (7.3.3).',
  params: { type: 'object', additionalProperties: false, properties: { fields: { type: 'array', items: { enum: ALL_FIELDS } } } },
  messages: {
    missingFields: { zh: '日志格式 {{log}} 缺少 7.3.3 要求的字段：{{missing}}', en: 'log format {{log}} lacks the 7.3.3 fields: {{missing}}' },
    allFields: { zh: '日志格式 {{log}} 记录了 7.3.3 要求的全部字段', en: 'log format {{log}} records all 7.3.3 fields' },
    formatNotVisible: { zh: '{{file}} 中的日志格式不可见', en: 'no log format is visible in {{file}}' },
  },
  run(bundle, params) {
    const required = params.fields?.length ? params.fields : ALL_FIELDS;
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      const seen = new Set<string>();
      for (const r of g.routes) {
        for (const l of r.logging) {
          if (!l.enabled || !l.fields) continue;
          const key = `${l.location.file}:${l.location.line}:${l.plugin}`;
          if (seen.has(key)) continue; // one outcome per log definition, not per route inheriting it
          seen.add(key);
          const names = l.fields.map((f) => f.replace(/^\$/, ''));
          const missing = required.filter((f) => !names.some((n) => LOG_FIELDS[f]!.test(n)));
          const base = { location: loc(l.location), subject: `${g.format} log ${l.plugin}` };
          if (missing.length) out.push({ status: 'fail', messageId: 'missingFields', data: { log: l.plugin, missing: missing.join(', ') }, ...base });
          else out.push({ status: 'pass', messageId: 'allFields', data: { log: l.plugin }, ...base });
        }
      }
      if (!seen.size) out.push({ status: 'n/a', messageId: 'formatNotVisible', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.3.4 inline secrets, 7.1 disclosure
// ---------------------------------------------------------------------------------------------

const noInlineSecrets = defineCheck<Record<string, never>>({
  name: 'gateway.noInlineSecrets',
  evidence: EVIDENCE,
  description: 'No App_Secret, private key, password or token is written in the gateway configuration (7.3.4).',
  params: NO_PARAMS,
  messages: {
    inlineSecret: { zh: '配置中明文写入了 {{kind}}：{{key}} = {{excerpt}}', en: '{{kind}} written in the configuration: {{key}} = {{excerpt}}' },
    noSecrets: { zh: '{{file}} 中未发现明文凭据', en: 'no credential written in {{file}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const c of g.credentials) {
        out.push({ status: 'fail', messageId: 'inlineSecret', data: { kind: c.kind, key: c.key, excerpt: c.excerpt }, location: loc(c.location), evidence: c.excerpt, subject: `${g.file} ${c.key}` });
      }
      if (!g.credentials.length) out.push({ status: 'pass', messageId: 'noSecrets', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

const noVersionDisclosure = defineCheck<Record<string, never>>({
  name: 'gateway.noVersionDisclosure',
  evidence: EVIDENCE,
  description: 'The gateway discloses no server or version information (server_tokens, Server / X-Powered-By passthrough, error details) (7.1).',
  params: NO_PARAMS,
  messages: {
    disclosure: { zh: '{{setting}} = {{value}}：泄露服务器或版本信息', en: '{{setting}} = {{value}} discloses server or version details' },
    noDisclosure: { zh: '{{file}} 未泄露服务器或版本信息', en: 'no server or version disclosure in {{file}}' },
    notVisible: { zh: '{{file}} 不含节点级响应头设置（应在节点配置中检查）', en: '{{file}} holds no node-level header settings (check the node configuration)' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const d of g.disclosures) {
        out.push({ status: 'fail', messageId: 'disclosure', data: { setting: d.setting, value: d.value }, location: loc(d.location), subject: `${g.format} ${d.setting} ${where(d.location)}` });
      }
      if (g.disclosures.length) continue;
      // Kong/APISIX route files say nothing about the node's Server header: only their node configs do
      const nodeLevel = g.format === 'nginx' || g.format === 'spring' || g.listeners.length > 0;
      out.push({ status: nodeLevel ? 'pass' : 'n/a', messageId: nodeLevel ? 'noDisclosure' : 'notVisible', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 12.1 inventory: routes vs operations (shadow and undocumented APIs)
// ---------------------------------------------------------------------------------------------

function opName(ref: OpRef): string {
  return `${ref.op.method.toUpperCase()} ${ref.op.path}`;
}

function opWhere(ref: OpRef): string {
  const l = ref.op.location;
  return `${l.file}${l.pointer !== undefined ? `#${l.pointer}` : l.line !== undefined ? `:${l.line}` : ''}`;
}

const routeInventory = defineCheck<Record<string, never>>({
  name: 'gateway.routeInventory',
  evidence: ['gateway', 'openapi'],
  description: 'Gateway routes and the interface description agree: no route exposes undescribed paths, no described operation is left without a route (12.1).',
  params: NO_PARAMS,
  messages: {
    undocumentedRoute: {
      zh: '路由 {{route}}（{{paths}}）暴露的路径未在接口描述中定义（影子接口）',
      en: 'route {{route}} ({{paths}}) exposes paths the interface description does not describe (shadow API)',
    },
    documentedRoute: { zh: '路由 {{route}} 对应接口 {{operations}}', en: 'route {{route}} serves {{operations}}' },
    unexposedOperation: {
      zh: '接口 {{operation}}（{{operationLocation}}）没有任何网关路由暴露',
      en: 'operation {{operation}} ({{operationLocation}}) is exposed by no gateway route',
    },
    exposedOperation: { zh: '接口 {{operation}} 由路由 {{route}}（{{routeLocation}}）暴露', en: 'operation {{operation}} is exposed by route {{route}} ({{routeLocation}})' },
    noOpenApi: { zh: '未提供接口描述，无法比对路由清单', en: 'no interface description given: the route inventory cannot be compared' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    const ops = allOperations(bundle);
    if (!ops.length) {
      for (const g of bundle.gateway) out.push({ status: 'n/a', messageId: 'noOpenApi', location: { file: g.file }, subject: `${g.format} ${g.file}` });
      return out;
    }
    const exposedBy = new Map<OpRef, { g: GatewayConfigEvidence; r: RouteEvidence }>();
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const matched = ops.filter((o) => routeExposes(g, r, o));
        for (const m of matched) if (!exposedBy.has(m)) exposedBy.set(m, { g, r });
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        if (matched.length) {
          const names = matched.slice(0, 5).map(opName).join(', ') + (matched.length > 5 ? ` (+${matched.length - 5})` : '');
          out.push({ status: 'pass', messageId: 'documentedRoute', data: { route, operations: names, operationLocation: opWhere(matched[0]!) }, ...base });
        } else out.push({ status: 'fail', messageId: 'undocumentedRoute', data: { route, paths: r.paths.join(', ') || '/' }, ...base });
      }
    }
    for (const ref of ops) {
      const by = exposedBy.get(ref);
      const subject = `operation ${opName(ref)}`;
      if (by) {
        out.push({ status: 'pass', messageId: 'exposedOperation', data: { operation: opName(ref), operationLocation: opWhere(ref), route: by.r.name ?? by.r.paths.join(','), routeLocation: where(by.r.location) }, location: loc(by.r.location), subject });
      } else {
        out.push({ status: 'fail', messageId: 'unexposedOperation', data: { operation: opName(ref), operationLocation: opWhere(ref) }, location: loc(ref.op.location), subject });
      }
    }
    return out;
  },
});

/** Checks of the `gateway` family (see DESIGN.md "Checks and messages"). */
export const gatewayChecks: AnyCheck[] = [
  tlsOnly,
  tlsMinVersion,
  weakCiphers,
  routeAuthentication,
  mutualAuthentication,
  credentialLifetime,
  rateLimit,
  blacklist,
  accessLog,
  logFields,
  noInlineSecrets,
  noVersionDisclosure,
  routeInventory,
];
