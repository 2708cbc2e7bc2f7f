/**
 * Checks of the `probe` family: judgements over what the live probes observed (src/collectors/probe, whose
 * index.ts documents every fact read here). Pure: time-dependent judgements use the probe's `observedAt`.
 */
import type { EvidenceBundle, ProbeResultEvidence, SourceLocation } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import { defineCheck, type AnyCheck, NO_PARAMS } from './registry.js';

type Facts = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ofProbe(bundle: Readonly<EvidenceBundle>, probe: string): ProbeResultEvidence[] {
  return bundle.probe.filter((e) => e.probe === probe);
}

function where(e: ProbeResultEvidence): SourceLocation {
  const file = typeof e.facts.configFile === 'string' && e.facts.configFile ? e.facts.configFile : e.target;
  return { file, target: e.target };
}

function hostOf(target: string): string {
  try {
    const u = new URL(target);
    return u.host;
  } catch {
    return target;
  }
}

const PROTOCOL_ORDER = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Shared by every probe check: a probe that could not run, and one that was skipped for a stated reason. */
const PROBE_STATE_MESSAGES = {
  probeFailed: { zh: '探测未能完成：{{error}}', en: 'the probe could not complete: {{error}}' },
  probeSkipped: { zh: '未探测：{{reason}}', en: 'not probed: {{reason}}' },
};

/** An evidence item whose probe failed as a whole (tarpit, internal failure) is `error` for every check reading it. */
function probeState(e: ProbeResultEvidence, subject: string): Outcome | undefined {
  const f = e.facts as Facts;
  if (typeof f.error === 'string') return { status: 'error', messageId: 'probeFailed', data: { error: f.error }, location: where(e), subject };
  if (typeof f.skipped === 'string') return { status: 'warn', messageId: 'probeSkipped', data: { reason: f.skipped }, location: where(e), subject };
  return undefined;
}

/** HSTS max-age in seconds, or undefined when the header has none. */
function hstsMaxAge(header: string): number | undefined {
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(header);
  return m ? Number(m[1]) : undefined;
}

export const tlsRequired = defineCheck<Record<string, never>>({
  name: 'probe.tlsRequired',
  evidence: ['probe'],
  description: 'The API is reachable only over TLS: plain HTTP is refused or redirected to HTTPS on the same host (9.2.2).',
  params: NO_PARAMS,
  messages: {
    redirected: { zh: '明文 HTTP {{url}} 以 {{status}} 重定向到 HTTPS', en: 'plain HTTP {{url}} redirects to HTTPS ({{status}})' },
    refused: { zh: '明文 HTTP {{url}} 拒绝连接', en: 'plain HTTP {{url}} refuses connections' },
    plainServed: { zh: '明文 HTTP {{url}} 直接返回 {{status}}，接口可不经 TLS 访问', en: 'plain HTTP {{url}} answers {{status}} itself: the API is reachable without TLS' },
    redirectOtherHost: { zh: '明文 HTTP {{url}} 重定向到未授权探测的主机 {{location}}（未跟随）', en: 'plain HTTP {{url}} redirects to {{location}}, a host outside the probe config (not followed)' },
    plainError: { zh: '明文 HTTP {{url}} 探测失败，无法判断', en: 'plain HTTP {{url}} could not be probed' },
    notProbed: { zh: '未配置明文 HTTP 地址（targets[].plainHttpUrl），未检查', en: 'no plain-HTTP URL configured (targets[].plainHttpUrl); not checked' },
    noHsts: { zh: 'HTTPS 响应未携带 Strict-Transport-Security', en: 'HTTPS responses carry no Strict-Transport-Security header' },
    hstsDisabled: { zh: 'Strict-Transport-Security 的 max-age=0 关闭了 HSTS（{{hsts}}）', en: 'Strict-Transport-Security max-age=0 switches HSTS off ({{hsts}})' },
    hstsOk: { zh: 'HTTPS 响应携带 HSTS：{{hsts}}', en: 'HTTPS responses carry HSTS: {{hsts}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'tls')) {
      const f = e.facts as Facts;
      const subject = `TLS ${hostOf(e.target)}`;
      const location = where(e);
      const state = probeState(e, subject);
      if (state) {
        out.push(state);
        continue;
      }
      const p = f.plainHttp as { url: string; outcome: string; status?: number; location?: string } | undefined;
      if (!p) out.push({ status: 'n/a', messageId: 'notProbed', location, subject });
      else {
        const data = { url: p.url, status: p.status ?? '', location: p.location ?? '' };
        const loc = { ...location, target: p.url };
        const s = `${subject} plain HTTP`;
        if (p.outcome === 'redirect-https') out.push({ status: 'pass', messageId: 'redirected', data, location: loc, subject: s });
        else if (p.outcome === 'refused') out.push({ status: 'pass', messageId: 'refused', data, location: loc, subject: s });
        else if (p.outcome === 'served') out.push({ status: 'fail', messageId: 'plainServed', data, location: loc, subject: s });
        else if (p.outcome === 'redirect-other-host') out.push({ status: 'warn', messageId: 'redirectOtherHost', data, location: loc, subject: s });
        else out.push({ status: 'warn', messageId: 'plainError', data, location: loc, subject: s });
      }
      if (f.httpsStatus !== undefined && !f.hsts) out.push({ status: 'warn', messageId: 'noHsts', location, subject: `${subject} HSTS` });
      else if (typeof f.hsts === 'string') {
        // max-age=0 tells the browser to forget the host's HSTS: present, yet switched off (RFC 6797 6.1.1).
        const hsts = f.hsts as string;
        if (hstsMaxAge(hsts) === 0) out.push({ status: 'warn', messageId: 'hstsDisabled', data: { hsts }, location, subject: `${subject} HSTS`, evidence: `strict-transport-security: ${hsts}` });
        else out.push({ status: 'pass', messageId: 'hstsOk', data: { hsts }, location, subject: `${subject} HSTS` });
      }
    }
    return out;
  },
});

export const tlsVersions = defineCheck<{ min?: string }>({
  name: 'probe.tlsVersions',
  evidence: ['probe'],
  description: 'No protocol version below `min` (default TLS 1.2) is accepted (9.2.2).',
  params: { type: 'object', additionalProperties: false, properties: { min: { enum: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] } } },
  messages: {
    oldProtocolAccepted: { zh: '服务器接受 {{protocol}}（低于 {{min}}）', en: 'the server accepts {{protocol}} (below {{min}})' },
    protocolUnknown: { zh: '{{protocol}} 探测超时，无法判断', en: '{{protocol}} could not be determined (timeout)' },
    protocolsOk: { zh: '仅接受 {{accepted}}', en: 'only {{accepted}} accepted' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle, params) {
    const min = params.min ?? 'TLSv1.2';
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'tls')) {
      const protocols = (e.facts as Facts).protocols as Record<string, boolean | null>;
      const subject = `TLS ${hostOf(e.target)}`;
      const location = where(e);
      const state = probeState(e, subject);
      if (state) {
        out.push(state);
        continue;
      }
      let bad = 0;
      for (const p of PROTOCOL_ORDER.slice(0, PROTOCOL_ORDER.indexOf(min))) {
        if (protocols[p] === true) {
          bad += 1;
          out.push({ status: 'fail', messageId: 'oldProtocolAccepted', data: { protocol: p, min }, location, subject: `${subject} ${p}` });
        } else if (protocols[p] === null) {
          bad += 1;
          // Unknown is not refused: a pass here would rest on a timeout.
          out.push({ status: 'error', messageId: 'protocolUnknown', data: { protocol: p }, location, subject: `${subject} ${p}` });
        }
      }
      if (!bad) {
        const accepted = PROTOCOL_ORDER.filter((p) => protocols[p] === true).join(', ') || 'none';
        out.push({ status: 'pass', messageId: 'protocolsOk', data: { accepted }, location, subject });
      }
    }
    return out;
  },
});

export const weakCiphers = defineCheck<Record<string, never>>({
  name: 'probe.weakCiphers',
  evidence: ['probe'],
  description: 'No RC4, 3DES, DES, NULL, EXPORT or anonymous cipher suite is accepted (7.1); CBC suites with SHA-1 are reported as a warning.',
  params: NO_PARAMS,
  messages: {
    weakCipher: { zh: '服务器接受弱密码套件 {{cipher}}（{{reasons}}，{{protocol}}）', en: 'the server accepts the weak suite {{cipher}} ({{reasons}}, {{protocol}})' },
    cbcSha1: { zh: '服务器接受 {{count}} 个 CBC+SHA-1 套件：{{ciphers}}', en: 'the server accepts {{count}} CBC suites with SHA-1: {{ciphers}}' },
    noWeakCiphers: { zh: '未接受任何弱密码套件', en: 'no weak cipher suite accepted' },
    enumerationUnknown: { zh: '无法枚举服务器接受的密码套件：{{problem}}', en: 'the suites the server accepts could not be enumerated: {{problem}}' },
    weakDhe: { zh: 'DHE 密钥交换使用 {{bits}} 位素数（{{cipher}}），低于 2048 位', en: 'DHE key exchange uses a {{bits}}-bit prime ({{cipher}}), below 2048 bits' },
    dheOk: { zh: 'DHE 密钥交换使用 {{bits}} 位素数（{{cipher}}）', en: 'DHE key exchange uses a {{bits}}-bit prime ({{cipher}})' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'tls')) {
      const f = e.facts as Facts;
      const subject = `TLS ${hostOf(e.target)}`;
      const location = where(e);
      const state = probeState(e, subject);
      if (state) {
        out.push(state);
        continue;
      }
      const weak = (f.weakCiphers ?? []) as { name: string; openssl: string; protocol: string; reasons: string[] }[];
      for (const c of weak) {
        out.push({ status: 'fail', messageId: 'weakCipher', data: { cipher: c.name, reasons: c.reasons.join('+'), protocol: c.protocol }, location, subject: `${subject} ${c.name}`, evidence: c.openssl });
      }
      const dhe = f.dhe as { cipher: string; bits: number } | undefined;
      // 2048 bits: the floor of NIST SP 800-57 / BSI TR-02102 for finite-field DH (Logjam showed 1024 breakable).
      if (dhe && dhe.bits < 2048) out.push({ status: 'fail', messageId: 'weakDhe', data: { bits: dhe.bits, cipher: dhe.cipher }, location, subject: `${subject} DHE` });
      else if (dhe) out.push({ status: 'pass', messageId: 'dheOk', data: { bits: dhe.bits, cipher: dhe.cipher }, location, subject: `${subject} DHE` });
      if (!weak.length && f.enumeration === 'unknown') out.push({ status: 'error', messageId: 'enumerationUnknown', data: { problem: String(f.enumerationProblem ?? 'unknown') }, location, subject });
      else if (!weak.length) out.push({ status: 'pass', messageId: 'noWeakCiphers', location, subject });
      const cbc = (f.cbcSha1 ?? []) as { name: string }[];
      if (cbc.length) out.push({ status: 'warn', messageId: 'cbcSha1', data: { count: cbc.length, ciphers: cbc.map((c) => c.name).join(', ') }, location, subject: `${subject} CBC-SHA1` });
    }
    return out;
  },
});

export const certificate = defineCheck<Record<string, never>>({
  name: 'probe.certificate',
  evidence: ['probe'],
  description: 'The server certificate is within its validity dates, has an adequate key, is not signed with SHA-1/MD5, matches the host name and chains to a trusted root (7.1, 9.2.2).',
  params: NO_PARAMS,
  messages: {
    expired: { zh: '证书已于 {{date}} 过期', en: 'the certificate expired on {{date}}' },
    notYetValid: { zh: '证书 {{date}} 才生效', en: 'the certificate is not valid before {{date}}' },
    weakKey: { zh: '证书公钥过短：{{keyType}} {{keyBits}} 位', en: 'the certificate key is too short: {{keyType}} {{keyBits}} bits' },
    weakSignature: { zh: '证书签名算法 {{algorithm}} 不安全（SHA-1/MD5）', en: 'the certificate is signed with {{algorithm}} (SHA-1/MD5)' },
    hostnameMismatch: { zh: '证书不匹配主机名 {{host}}（主体 {{subject}}）', en: 'the certificate does not match {{host}} (subject {{subject}})' },
    untrustedChain: { zh: '证书链不能验证到受信任的根证书（{{error}}）', en: 'the certificate chain does not lead to a trusted root ({{error}})' },
    noCertificate: { zh: '未取得服务器证书', en: 'no server certificate was obtained' },
    certificateOk: { zh: '证书有效：{{keyType}} {{keyBits}} 位，{{algorithm}}，有效期至 {{date}}', en: 'certificate valid: {{keyType}} {{keyBits}} bits, {{algorithm}}, until {{date}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'tls')) {
      const f = e.facts as Facts;
      const subject = `TLS ${hostOf(e.target)} certificate`;
      const location = where(e);
      const state = probeState(e, subject);
      if (state) {
        out.push(state);
        continue;
      }
      const c = f.certificate as Facts | undefined;
      if (!c) {
        out.push({ status: 'warn', messageId: 'noCertificate', location, subject });
        continue;
      }
      const now = typeof f.observedAt === 'string' ? Date.parse(f.observedAt) : Date.now();
      const before = out.length;
      const fail = (messageId: string, data: Record<string, string | number>) => out.push({ status: 'fail', messageId, data, location, subject, evidence: c.subject });
      if (Date.parse(c.notAfter) < now) fail('expired', { date: c.notAfter });
      if (Date.parse(c.notBefore) > now) fail('notYetValid', { date: c.notBefore });
      const minBits = c.keyType === 'rsa' || c.keyType === 'rsa-pss' || c.keyType === 'dsa' ? 2048 : 256;
      if (typeof c.keyBits === 'number' && c.keyBits < minBits) fail('weakKey', { keyType: c.keyType, keyBits: c.keyBits });
      if (/sha1|md5|md2/i.test(String(c.signatureAlgorithm))) fail('weakSignature', { algorithm: c.signatureAlgorithm });
      if (c.hostnameMatches === false) fail('hostnameMismatch', { host: hostOf(e.target).replace(/:\d+$/, ''), subject: c.subject });
      if (c.chainTrusted === false) fail('untrustedChain', { error: c.chainError ?? 'unknown' });
      if (out.length === before) {
        out.push({ status: 'pass', messageId: 'certificateOk', data: { keyType: c.keyType, keyBits: c.keyBits ?? '?', algorithm: c.signatureAlgorithm, date: c.notAfter }, location, subject });
      }
    }
    return out;
  },
});

export const clientCertificateRequired = defineCheck<Record<string, never>>({
  name: 'probe.clientCertificateRequired',
  evidence: ['probe'],
  description: 'A2 endpoints demand a client certificate (7.2.1 a2, 9.2.1 b2): TLS alert, aborted handshake, or an HTTP 400/403 naming the certificate.',
  params: NO_PARAMS,
  messages: {
    required: { zh: 'A2 接口要求客户端证书（{{signal}}）', en: 'the A2 endpoint demands a client certificate ({{signal}})' },
    notRequired: { zh: 'A2 接口未要求客户端证书：{{verdict}}（{{signal}}）', en: 'the A2 endpoint does not demand a client certificate: {{verdict}} ({{signal}})' },
    unknown: { zh: '无法判断是否要求客户端证书（{{signal}}）', en: 'could not tell whether a client certificate is demanded ({{signal}})' },
    notA2: { zh: '目标为 A1 级，不要求客户端证书', en: 'the target is level A1; no client certificate demanded by the standard' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle, _params, ctx) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'tls')) {
      const f = e.facts as Facts;
      const subject = `TLS ${hostOf(e.target)} client certificate`;
      const location = where(e);
      const state = probeState(e, subject);
      if (state) {
        out.push(state);
        continue;
      }
      const level = (f.level as string | undefined) ?? ctx.level;
      const data = { verdict: String(f.clientCertificate), signal: String(f.clientCertificateSignal ?? '') };
      if (level !== 'A2') out.push({ status: 'n/a', messageId: 'notA2', location, subject });
      else if (f.clientCertificate === 'required') out.push({ status: 'pass', messageId: 'required', data, location, subject });
      else if (f.clientCertificate === 'unknown' || f.clientCertificate === undefined) out.push({ status: 'warn', messageId: 'unknown', data, location, subject });
      else out.push({ status: 'fail', messageId: 'notRequired', data, location, subject });
    }
    return out;
  },
});

export const unauthenticatedRejected = defineCheck<Record<string, never>>({
  name: 'probe.unauthenticatedRejected',
  evidence: ['probe'],
  description: 'Calls without application-party credentials are refused with 401 or 403 (9.2.1 b1).',
  params: NO_PARAMS,
  messages: {
    rejected: { zh: '{{operation}} 未认证调用被拒绝（{{status}}）', en: '{{operation}} refuses the unauthenticated call ({{status}})' },
    accepted: { zh: '{{operation}} 未认证调用被受理（{{status}}）', en: '{{operation}} accepts the unauthenticated call ({{status}})' },
    unclear: { zh: '{{operation}} 未认证调用返回 {{status}}，不是 401/403', en: '{{operation}} answers the unauthenticated call with {{status}}, not 401/403' },
    refusedAtHandshake: { zh: '{{operation}} 未认证调用在 TLS 握手时即被拒绝（要求客户端证书）', en: '{{operation}} refuses the unauthenticated call at the TLS handshake (client certificate demanded)' },
    refusedClosed: { zh: '{{operation}} 未认证调用未获应答，连接被关闭（{{error}}）', en: '{{operation}}: the server closed the connection on the unauthenticated call without answering ({{error}})' },
    noAnswer: { zh: '{{operation}} 未认证调用未得到可判断的应答：{{error}}', en: '{{operation}}: the unauthenticated call got no answer that decides anything: {{error}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'http')) {
      const state = probeState(e, `${hostOf(e.target)} unauthenticated`);
      if (state?.status === 'error') {
        out.push(state);
        continue;
      }
      for (const r of ((e.facts as Facts).unauthenticated ?? []) as { operation: string; status?: number; rejected: boolean; refusal?: string; error?: string }[]) {
        const base = { location: where(e), subject: `${r.operation} unauthenticated` };
        if (r.status === undefined) {
          const data = { operation: r.operation, error: r.error ?? '' };
          if (r.refusal === 'handshake') out.push({ status: 'pass', messageId: 'refusedAtHandshake', data, ...base });
          else if (r.refusal === 'closed') out.push({ status: 'pass', messageId: 'refusedClosed', data, ...base });
          else out.push({ status: 'error', messageId: 'noAnswer', data, ...base });
          continue;
        }
        const data = { operation: r.operation, status: r.status };
        if (r.status === 401 || r.status === 403) out.push({ status: 'pass', messageId: 'rejected', data, ...base });
        else if (r.status >= 200 && r.status < 400) out.push({ status: 'fail', messageId: 'accepted', data, ...base });
        else out.push({ status: 'warn', messageId: 'unclear', data, ...base });
      }
    }
    return out;
  },
});

export const errorDisclosure = defineCheck<Record<string, never>>({
  name: 'probe.errorDisclosure',
  evidence: ['probe'],
  description: 'Error responses to malformed requests disclose no stack traces, server/framework versions, SQL or internal addresses (7.1).',
  params: NO_PARAMS,
  messages: {
    leak: { zh: '{{operation}} 对畸形请求（{{variant}}）的响应 {{status}} 泄露{{kind}}（{{where}}）', en: '{{operation}}: the {{status}} response to a malformed request ({{variant}}) discloses {{kind}} ({{where}})' },
    clean: { zh: '{{operation}} 对畸形请求（{{variant}}）的响应 {{status}} 未泄露内部信息', en: '{{operation}}: the {{status}} response to a malformed request ({{variant}}) discloses nothing internal' },
    closed: { zh: '{{operation}} 对畸形请求（{{variant}}）不作应答并关闭连接，未泄露内部信息', en: '{{operation}}: the server closed the connection on a malformed request ({{variant}}) without answering; nothing disclosed' },
    noAnswer: { zh: '{{operation}} 畸形请求（{{variant}}）未得到应答：{{error}}', en: '{{operation}}: the malformed request ({{variant}}) got no answer: {{error}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'http')) {
      const state = probeState(e, `${hostOf(e.target)} malformed requests`);
      if (state) out.push(state);
      if (state?.status === 'error') continue;
      for (const r of ((e.facts as Facts).errorResponses ?? []) as { operation: string; variant: string; status?: number; closed?: boolean; error?: string; leaks: { kind: string; where: string; excerpt: string }[] }[]) {
        const subject = `${r.operation} ${r.variant}`;
        if (r.status === undefined) {
          const data = { operation: r.operation, variant: r.variant, error: r.error ?? '' };
          out.push(r.closed ? { status: 'pass', messageId: 'closed', data, location: where(e), subject } : { status: 'error', messageId: 'noAnswer', data, location: where(e), subject });
          continue;
        }
        if (!r.leaks.length) {
          out.push({ status: 'pass', messageId: 'clean', data: { operation: r.operation, variant: r.variant, status: r.status }, location: where(e), subject });
          continue;
        }
        for (const l of r.leaks) {
          out.push({ status: 'fail', messageId: 'leak', data: { operation: r.operation, variant: r.variant, status: r.status, kind: l.kind, where: l.where }, location: where(e), subject: `${subject} ${l.kind}`, evidence: l.excerpt });
        }
      }
    }
    return out;
  },
});

export const rateLimited = defineCheck<Record<string, never>>({
  name: 'probe.rateLimited',
  evidence: ['probe'],
  description: 'A bounded burst of requests meets flow control: 429 (or 503) before the burst ends (10.1.2).',
  params: NO_PARAMS,
  messages: {
    limited: { zh: '{{operation}} 在第 {{at}} 个请求时触发流量控制（突发 {{count}} 个）', en: '{{operation}} applied flow control at request {{at}} of a {{count}}-request burst' },
    notLimited: { zh: '{{operation}} 连续 {{sent}} 个请求均未触发流量控制（状态 {{statuses}}）', en: '{{operation}} applied no flow control to {{sent}} back-to-back requests (statuses {{statuses}})' },
    notRun: { zh: '未配置突发请求（probes.http.burst），未检查', en: 'no burst configured (probes.http.burst); not checked' },
    burstBroken: { zh: '{{operation}} 突发请求在 {{sent}} 个应答后中断：{{error}}', en: '{{operation}}: the burst broke off after {{sent}} answers: {{error}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'http')) {
      const state = probeState(e, `${hostOf(e.target)} burst`);
      if (state) {
        out.push(state);
        continue;
      }
      const b = (e.facts as Facts).burst as { operation: string; count: number; sent: number; statuses: Record<string, number>; limited: boolean; firstLimitedAt?: number; error?: string } | undefined;
      if (!b) {
        out.push({ status: 'n/a', messageId: 'notRun', location: where(e), subject: `${hostOf(e.target)} burst` });
        continue;
      }
      const statuses = Object.entries(b.statuses).map(([s, n]) => `${s}×${n}`).join(', ');
      const subject = `${b.operation} burst`;
      if (b.limited) out.push({ status: 'pass', messageId: 'limited', data: { operation: b.operation, at: b.firstLimitedAt ?? '?', count: b.count }, location: where(e), subject });
      else if (b.error) out.push({ status: 'error', messageId: 'burstBroken', data: { operation: b.operation, sent: b.sent, error: b.error }, location: where(e), subject });
      else out.push({ status: 'fail', messageId: 'notLimited', data: { operation: b.operation, sent: b.sent, statuses }, location: where(e), subject });
    }
    return out;
  },
});

export const signatureEnforced = defineCheck<Record<string, never>>({
  name: 'probe.signatureEnforced',
  evidence: ['probe'],
  description: 'A correctly signed request is accepted; unsigned, tampered-body, wrong-key, replayed and stale-timestamp variants are rejected; the bank’s response signature verifies (7.2.2, 9.2.2, 9.3.3).',
  params: NO_PARAMS,
  messages: {
    validAccepted: { zh: '{{operation}}（{{scheme}}）正确签名的请求被受理（{{status}}）', en: '{{operation}} ({{scheme}}): the correctly signed request is accepted ({{status}})' },
    validRejected: { zh: '{{operation}}（{{scheme}}）正确签名的请求被拒绝（{{status}}），无法证明验签生效', en: '{{operation}} ({{scheme}}): the correctly signed request is refused ({{status}}), so enforcement cannot be shown' },
    variantRejected: { zh: '{{operation}}（{{scheme}}）{{variant}} 请求被拒绝（{{status}}）', en: '{{operation}} ({{scheme}}): the {{variant}} request is refused ({{status}})' },
    variantAccepted: { zh: '{{operation}}（{{scheme}}）{{variant}} 请求被受理（{{status}}）', en: '{{operation}} ({{scheme}}): the {{variant}} request is accepted ({{status}})' },
    variantUnclear: { zh: '{{operation}}（{{scheme}}）{{variant}} 请求返回 {{status}}（限流或服务器错误），不能证明拒绝原因', en: '{{operation}} ({{scheme}}): the {{variant}} request got {{status}} (rate limit or server error), which does not show why' },
    responseSignatureValid: { zh: '{{operation}} 银行响应签名验证通过', en: '{{operation}}: the bank’s response signature verifies' },
    responseSignatureInvalid: { zh: '{{operation}} 银行响应签名验证失败', en: '{{operation}}: the bank’s response signature does not verify' },
    responseSignatureMissing: { zh: '{{operation}} 银行响应未签名', en: '{{operation}}: the bank’s response is not signed' },
    variantClosed: { zh: '{{operation}}（{{scheme}}）{{variant}} 请求被拒绝：连接被关闭', en: '{{operation}} ({{scheme}}): the {{variant}} request is refused: the connection was closed unanswered' },
    variantNoAnswer: { zh: '{{operation}}（{{scheme}}）{{variant}} 请求未得到应答：{{error}}', en: '{{operation}} ({{scheme}}): the {{variant}} request got no answer: {{error}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'signature')) {
      const f = e.facts as Facts;
      const location = where(e);
      const state = probeState(e, `${f.operation ?? e.target} signature`);
      if (state) {
        out.push(state);
        continue;
      }
      for (const v of (f.variants ?? []) as { variant: string; status?: number; accepted: boolean; closed?: boolean; error?: string }[]) {
        const subject = `${f.operation} ${f.scheme} ${v.variant}`;
        if (v.status === undefined) {
          const data = { operation: String(f.operation), scheme: String(f.scheme), variant: v.variant, error: v.error ?? '' };
          if (v.closed && v.variant !== 'valid') out.push({ status: 'pass', messageId: 'variantClosed', data, location, subject });
          else out.push({ status: 'error', messageId: 'variantNoAnswer', data, location, subject });
          continue;
        }
        const data = { operation: String(f.operation), scheme: String(f.scheme), variant: v.variant, status: v.status };
        if (v.variant === 'valid') out.push({ status: v.accepted ? 'pass' : 'fail', messageId: v.accepted ? 'validAccepted' : 'validRejected', data, location, subject });
        else if (v.accepted) out.push({ status: 'fail', messageId: 'variantAccepted', data, location, subject });
        else if (v.status === 429 || v.status >= 500) out.push({ status: 'warn', messageId: 'variantUnclear', data, location, subject });
        else out.push({ status: 'pass', messageId: 'variantRejected', data, location, subject });
      }
      if (f.responseSignature) {
        const id = f.responseSignature === 'valid' ? 'responseSignatureValid' : f.responseSignature === 'invalid' ? 'responseSignatureInvalid' : 'responseSignatureMissing';
        out.push({ status: f.responseSignature === 'valid' ? 'pass' : 'fail', messageId: id, data: { operation: String(f.operation) }, location, subject: `${f.operation} response signature` });
      }
    }
    return out;
  },
});

export const responseMasked = defineCheck<Record<string, never>>({
  name: 'probe.responseMasked',
  evidence: ['probe'],
  description: 'Responses read as the application party carry no unmasked card number, ID number, name or mobile number (7.2.2).',
  params: NO_PARAMS,
  messages: {
    unmasked: { zh: '{{operation}} 响应 {{path}} 含未屏蔽的{{detector}}', en: '{{operation}}: the response carries an unmasked {{detector}} at {{path}}' },
    masked: { zh: '{{operation}} 响应未发现未屏蔽的敏感信息（{{masked}} 个已屏蔽值）', en: '{{operation}}: no unmasked personal data in the response ({{masked}} masked values)' },
    readFailed: { zh: '{{operation}} 调用返回 {{status}}，无法检查响应', en: '{{operation}} answered {{status}}; the response could not be examined' },
    noAnswer: { zh: '{{operation}} 调用未得到应答：{{error}}', en: '{{operation}} got no answer: {{error}}' },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'masking')) {
      const f = e.facts as Facts;
      const location = where(e);
      const op = String(f.operation);
      const state = probeState(e, op);
      if (state) {
        out.push(state);
        continue;
      }
      if (f.status === undefined) {
        out.push({ status: 'error', messageId: 'noAnswer', data: { operation: op, error: String(f.error ?? '') }, location, subject: op });
        continue;
      }
      if (!(f.status >= 200 && f.status < 300)) {
        out.push({ status: 'warn', messageId: 'readFailed', data: { operation: op, status: f.status }, location, subject: op });
        continue;
      }
      const unmasked = (f.unmasked ?? []) as { detector: string; path: string; excerpt: string }[];
      for (const u of unmasked) {
        out.push({ status: 'fail', messageId: 'unmasked', data: { operation: op, path: u.path, detector: u.detector }, location, subject: `${op} ${u.path}`, evidence: u.excerpt });
      }
      if (!unmasked.length) out.push({ status: 'pass', messageId: 'masked', data: { operation: op, masked: f.maskedValues ?? 0 }, location, subject: op });
    }
    return out;
  },
});

export const unauthorizedResourceDenied = defineCheck<Record<string, never>>({
  name: 'probe.unauthorizedResourceDenied',
  evidence: ['probe'],
  description:
    'Calls with a valid application-party credential to an interface it is not granted, or to another party’s resource id, get 403 (9.3.2); the credential’s own resource, when configured as a control, is served.',
  params: NO_PARAMS,
  messages: {
    denied: { zh: '{{operation}}（{{kind}}）以有效凭证调用被拒绝（403）', en: '{{operation}} ({{kind}}) is refused to the valid credential (403)' },
    served: { zh: '{{operation}}（{{kind}}）以有效凭证调用被受理（{{status}}）：未授权的资源可被访问', en: '{{operation}} ({{kind}}) is served to the valid credential ({{status}}): an unauthorized resource can be reached' },
    hidden: { zh: '{{operation}}（{{kind}}）返回 404：可能是隐藏存在性的拒绝，也可能是资源不存在，无法判断', en: '{{operation}} ({{kind}}) answers 404: a denial that hides existence, or a resource that does not exist; the probe cannot tell' },
    credentialRefused: { zh: '{{operation}}（{{kind}}）返回 {{status}}：凭证本身未被接受，不能证明授权控制', en: '{{operation}} ({{kind}}) answers {{status}}: the credential itself is not accepted, which shows nothing about authorization' },
    unclear: { zh: '{{operation}}（{{kind}}）返回 {{status}}，不是 403', en: '{{operation}} ({{kind}}) answers {{status}}, not 403' },
    noAnswer: { zh: '{{operation}}（{{kind}}）未得到应答：{{error}}', en: '{{operation}} ({{kind}}) got no answer: {{error}}' },
    controlServed: { zh: '对照：{{operation}} 自有资源以同一凭证被受理（{{status}}）', en: 'control: the credential’s own resource {{operation}} is served ({{status}})' },
    controlRefused: {
      zh: '对照：{{operation}} 自有资源以同一凭证返回 {{status}}，凭证无效，其余拒绝不能说明授权控制',
      en: 'control: the credential’s own resource {{operation}} answers {{status}}: the credential does not work, so the other refusals show nothing',
    },
    ...PROBE_STATE_MESSAGES,
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const e of ofProbe(bundle, 'authorization')) {
      const location = where(e);
      const state = probeState(e, `${hostOf(e.target)} authorization`);
      if (state) {
        out.push(state);
        continue;
      }
      const cases = ((e.facts as Facts).cases ?? []) as { kind: string; operation: string; status?: number; closed?: boolean; error?: string }[];
      const control = cases.find((c) => c.kind === 'own-resource');
      const controlWorks = control?.status !== undefined && control.status >= 200 && control.status < 300;
      if (control) {
        const data = { operation: control.operation, status: control.status ?? control.error ?? '' };
        out.push({ status: controlWorks ? 'pass' : 'error', messageId: controlWorks ? 'controlServed' : 'controlRefused', data, location, subject: `${control.operation} own-resource` });
      }
      for (const c of cases) {
        if (c.kind === 'own-resource') continue;
        const subject = `${c.operation} ${c.kind}`;
        if (c.status === undefined) {
          out.push({ status: 'error', messageId: 'noAnswer', data: { operation: c.operation, kind: c.kind, error: c.error ?? '' }, location, subject });
          continue;
        }
        const data = { operation: c.operation, kind: c.kind, status: c.status };
        // Served: the one answer that is wrong whatever the control says.
        if (c.status >= 200 && c.status < 300) out.push({ status: 'fail', messageId: 'served', data, location, subject });
        // A 403 shows authorization only when the credential is known to work (the control) — without a control,
        // the probe trusts the configured credential, as the other authenticated probes do.
        else if (c.status === 403) out.push(control && !controlWorks ? { status: 'error', messageId: 'credentialRefused', data, location, subject } : { status: 'pass', messageId: 'denied', data, location, subject });
        else if (c.status === 401) out.push({ status: 'error', messageId: 'credentialRefused', data, location, subject });
        else if (c.status === 404) out.push({ status: 'warn', messageId: 'hidden', data, location, subject });
        else out.push({ status: 'warn', messageId: 'unclear', data, location, subject });
      }
    }
    return out;
  },
});

/** Checks of the `probe` family (see DESIGN.md "Checks and messages"). */
export const probeChecks: AnyCheck[] = [
  tlsRequired,
  tlsVersions,
  weakCiphers,
  certificate,
  clientCertificateRequired,
  unauthenticatedRejected,
  errorDisclosure,
  rateLimited,
  signatureEnforced,
  responseMasked,
  unauthorizedResourceDenied,
];
