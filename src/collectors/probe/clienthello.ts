/**
 * A hand-written TLS ClientHello over a raw socket, for what node:tls cannot offer: OpenSSL 3 as built for
 * Node and Debian no longer contains SSLv3, RC4, 3DES, single DES, EXPORT or NULL suites, so the only way to
 * learn whether a server still accepts them is to offer them by code point and read the ServerHello. Only the
 * first flight is read (ServerHello … ServerHelloDone, or an alert); no key exchange is ever completed, so a
 * suite counts as accepted exactly when the server answers with a ServerHello that names it.
 */
import net from 'node:net';

export type ProtocolName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export const PROTOCOL_VERSIONS: Record<ProtocolName, number> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

export function protocolName(version: number): ProtocolName | undefined {
  return (Object.keys(PROTOCOL_VERSIONS) as ProtocolName[]).find((p) => PROTOCOL_VERSIONS[p] === version);
}

export type WeakReason = 'RC4' | '3DES' | 'DES' | 'EXPORT' | 'NULL' | 'anonymous';

export interface CipherSuiteInfo {
  code: number;
  /** IANA name. */
  name: string;
  /** OpenSSL name, as sslscan and openssl print it. */
  openssl: string;
  weak?: WeakReason[];
  /** CBC mode with a SHA-1 MAC: not broken, reported separately. */
  cbcSha1?: boolean;
}

// [code, IANA name, OpenSSL name, weak reasons]
const WEAK: [number, string, string, WeakReason[]][] = [
  [0x0001, 'TLS_RSA_WITH_NULL_MD5', 'NULL-MD5', ['NULL']],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA', 'NULL-SHA', ['NULL']],
  [0x003b, 'TLS_RSA_WITH_NULL_SHA256', 'NULL-SHA256', ['NULL']],
  [0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA', 'ECDHE-ECDSA-NULL-SHA', ['NULL']],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA', 'ECDHE-RSA-NULL-SHA', ['NULL']],
  [0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA', 'AECDH-NULL-SHA', ['NULL', 'anonymous']],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXP-RC4-MD5', ['EXPORT', 'RC4']],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 'EXP-RC2-CBC-MD5', ['EXPORT']],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXP-DES-CBC-SHA', ['EXPORT', 'DES']],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 'EXP-DHE-DSS-DES-CBC-SHA', ['EXPORT', 'DES']],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXP-DHE-RSA-DES-CBC-SHA', ['EXPORT', 'DES']],
  [0x0017, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5', 'EXP-ADH-RC4-MD5', ['EXPORT', 'RC4', 'anonymous']],
  [0x0019, 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA', 'EXP-ADH-DES-CBC-SHA', ['EXPORT', 'DES', 'anonymous']],
  [0x0062, 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA', 'EXP1024-DES-CBC-SHA', ['EXPORT', 'DES']],
  [0x0064, 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA', 'EXP1024-RC4-SHA', ['EXPORT', 'RC4']],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5', 'RC4-MD5', ['RC4']],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA', ['RC4']],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA', ['RC4']],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA', ['RC4']],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5', 'ADH-RC4-MD5', ['RC4', 'anonymous']],
  [0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA', 'AECDH-RC4-SHA', ['RC4', 'anonymous']],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA', 'DES-CBC-SHA', ['DES']],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA', 'EDH-DSS-DES-CBC-SHA', ['DES']],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA', 'EDH-RSA-DES-CBC-SHA', ['DES']],
  [0x001a, 'TLS_DH_anon_WITH_DES_CBC_SHA', 'ADH-DES-CBC-SHA', ['DES', 'anonymous']],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA', ['3DES']],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', 'DHE-DSS-DES-CBC3-SHA', ['3DES']],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 'DHE-RSA-DES-CBC3-SHA', ['3DES']],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-ECDSA-DES-CBC3-SHA', ['3DES']],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA', ['3DES']],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA', 'ADH-DES-CBC3-SHA', ['3DES', 'anonymous']],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA', 'AECDH-DES-CBC3-SHA', ['3DES', 'anonymous']],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'ADH-AES128-SHA', ['anonymous']],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA', 'ADH-AES256-SHA', ['anonymous']],
  [0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256', 'ADH-AES128-SHA256', ['anonymous']],
  [0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256', 'ADH-AES256-SHA256', ['anonymous']],
  [0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', 'ADH-AES128-GCM-SHA256', ['anonymous']],
  [0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384', 'ADH-AES256-GCM-SHA384', ['anonymous']],
  [0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA', 'ADH-CAMELLIA128-SHA', ['anonymous']],
  [0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA', 'ADH-CAMELLIA256-SHA', ['anonymous']],
  [0x00bf, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256', 'ADH-CAMELLIA128-SHA256', ['anonymous']],
  [0x00c5, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256', 'ADH-CAMELLIA256-SHA256', ['anonymous']],
  [0x009b, 'TLS_DH_anon_WITH_SEED_CBC_SHA', 'ADH-SEED-SHA', ['anonymous']],
  [0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 'AECDH-AES128-SHA', ['anonymous']],
  [0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA', 'AECDH-AES256-SHA', ['anonymous']],
];

const CBC_SHA1: [number, string, string][] = [
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', 'DHE-DSS-AES128-SHA'],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA', 'DHE-DSS-AES256-SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'DHE-RSA-AES128-SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 'DHE-RSA-AES256-SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 'CAMELLIA128-SHA'],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 'CAMELLIA256-SHA'],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', 'DHE-DSS-CAMELLIA128-SHA'],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', 'DHE-DSS-CAMELLIA256-SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', 'DHE-RSA-CAMELLIA128-SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', 'DHE-RSA-CAMELLIA256-SHA'],
  [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA', 'SEED-SHA'],
  [0x0099, 'TLS_DHE_DSS_WITH_SEED_CBC_SHA', 'DHE-DSS-SEED-SHA'],
  [0x009a, 'TLS_DHE_RSA_WITH_SEED_CBC_SHA', 'DHE-RSA-SEED-SHA'],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA', 'IDEA-CBC-SHA'],
];

/** Suites any current client offers: used for the certificate-request and SSLv3 hellos. */
const MODERN: [number, string, string][] = [
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'DHE-RSA-AES256-GCM-SHA384'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256'],
];

export const CIPHER_SUITES = new Map<number, CipherSuiteInfo>();
for (const [code, name, openssl, weak] of WEAK) CIPHER_SUITES.set(code, { code, name, openssl, weak });
for (const [code, name, openssl] of CBC_SHA1) CIPHER_SUITES.set(code, { code, name, openssl, cbcSha1: true });
for (const [code, name, openssl] of MODERN) CIPHER_SUITES.set(code, { code, name, openssl });

export const WEAK_SUITES = WEAK.map(([c]) => c);
export const CBC_SHA1_SUITES = CBC_SHA1.map(([c]) => c);
export const MODERN_SUITES = MODERN.map(([c]) => c);

export function suiteName(code: number): string {
  return CIPHER_SUITES.get(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
/** A list of 16-bit code points, big-endian, in one buffer (one allocation, not one per code point). */
function u16s(list: readonly number[]): Buffer {
  const b = Buffer.alloc(list.length * 2);
  for (let i = 0; i < list.length; i++) b.writeUInt16BE(list[i]!, i * 2);
  return b;
}
function vec8(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from([b.length]), b]);
}
function vec16(b: Buffer): Buffer {
  return Buffer.concat([u16(b.length), b]);
}
function vec24(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(b.length >> 16) & 0xff, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
}
function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}

/**
 * supported_groups: x25519, secp256r1, secp384r1, secp521r1, x448, curveSM2 (RFC 8998), ffdhe2048. A server whose
 * only certificate or key exchange needs a group we do not offer refuses the hello, which would read as "no suite".
 */
export const SUPPORTED_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0029, 0x0100];

/**
 * signature_algorithms: everything a real server certificate may need, or the server refuses a hello it would
 * otherwise answer (an Ed25519 server then hides its weak suites). ECDSA P-256/384/521, Ed25519 (0x0807), Ed448
 * (0x0808), RSA-PSS with rsaEncryption keys (0x0804–0x0806) and PSS keys (0x0809–0x080b), SM2-SM3 (0x0708,
 * RFC 8998), RSA PKCS#1, and SHA-1 last so that old servers can still answer.
 */
export const SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0708, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203, 0x0202,
];

/** Suites whose key exchange is finite-field Diffie-Hellman signed by the server: their group size is read. */
export const DHE_SUITES = [0x009e, 0x009f, 0x0033, 0x0039, 0x0067, 0x006b, 0x0045, 0x0088, 0x009a, 0x0016, 0xccaa, 0x00a2, 0x00a3, 0x0032, 0x0038, 0x0040, 0x006a, 0x0013];

export interface ClientHelloOptions {
  /** client_version for SSLv3–TLS 1.2; TLS 1.3 is offered through supported_versions only. */
  version: ProtocolName;
  suites: number[];
  serverName?: string;
}

/** The extensions every hello above SSLv3 carries in the same bytes, encoded once per process. */
let fixedExtensions: Buffer | undefined;
function commonExtensions(): Buffer {
  fixedExtensions ??= Buffer.concat([
    extension(0x000a, vec16(u16s(SUPPORTED_GROUPS))),
    extension(0x000b, vec8(Buffer.from([0]))), // ec_point_formats: uncompressed
    extension(0x000d, vec16(u16s(SIGNATURE_ALGORITHMS))),
    extension(0xff01, vec8(Buffer.alloc(0))), // renegotiation_info
  ]);
  return fixedExtensions;
}

function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
  return b;
}

/** Builds one TLS record holding a ClientHello. */
export function buildClientHello(opts: ClientHelloOptions): Buffer {
  const tls13 = opts.version === 'TLSv1.3';
  const legacyVersion = tls13 ? 0x0303 : PROTOCOL_VERSIONS[opts.version];
  const random = randomBytes(32);
  const suites = u16s(opts.suites);
  const exts: Buffer[] = [];
  if (opts.version !== 'SSLv3') {
    if (opts.serverName && net.isIP(opts.serverName) === 0) {
      const name = Buffer.from(opts.serverName, 'ascii');
      exts.push(extension(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(name)]))));
    }
    exts.push(commonExtensions());
    if (tls13) {
      exts.push(extension(0x002b, vec8(u16(0x0304)))); // supported_versions
      exts.push(extension(0x0033, vec16(Buffer.concat([u16(0x001d), vec16(randomBytes(32))])))); // key_share x25519
    }
  }
  const body = Buffer.concat([
    u16(legacyVersion),
    random,
    vec8(Buffer.alloc(0)), // session id
    vec16(suites),
    vec8(Buffer.from([0])), // compression: null
    ...(exts.length ? [vec16(Buffer.concat(exts))] : []),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), vec24(body)]);
  // Record-layer version 0x0301 (0x0300 for SSLv3) is what real clients send: some servers drop anything higher.
  return Buffer.concat([Buffer.from([22]), u16(opts.version === 'SSLv3' ? 0x0300 : 0x0301), vec16(handshake)]);
}

export interface ServerFirstFlight {
  outcome: 'server-hello' | 'alert' | 'closed' | 'timeout' | 'not-tls' | 'error';
  /** Negotiated version from the ServerHello (supported_versions wins over legacy_version). */
  version?: number;
  cipher?: number;
  alert?: { level: number; description: number };
  /** TLS ≤1.2 only: the server sent a CertificateRequest (cleartext before 1.3). */
  certificateRequested?: boolean;
  /** TLS ≤1.2 only: DER certificates of the server's Certificate message. */
  certificates?: Buffer[];
  /** TLS ≤1.2, a DHE suite chosen: the size in bits of the server's prime (ServerKeyExchange dh_p). */
  dhPrimeBits?: number;
  error?: string;
}

/** Parses as much of a server's first flight as `data` holds; undefined means "need more bytes". */
export function parseServerFlight(data: Buffer, untilHelloDone: boolean): ServerFirstFlight | undefined {
  let off = 0;
  let hs = Buffer.alloc(0);
  const result: ServerFirstFlight = { outcome: 'server-hello' };
  let sawHello = false;
  while (off + 5 <= data.length) {
    const type = data[off]!;
    const len = data.readUInt16BE(off + 3);
    if (type !== 21 && type !== 22 && type !== 20 && type !== 23) return { outcome: 'not-tls' };
    if (off + 5 + len > data.length) break;
    const frag = data.subarray(off + 5, off + 5 + len);
    off += 5 + len;
    if (type === 21) {
      if (sawHello) break;
      return { outcome: 'alert', alert: { level: frag[0] ?? 0, description: frag[1] ?? 0 } };
    }
    if (type !== 22) {
      // ChangeCipherSpec / encrypted records: TLS 1.3 from here on, nothing more in clear.
      if (sawHello) return result;
      continue;
    }
    hs = Buffer.concat([hs, frag]);
    let p = 0;
    while (p + 4 <= hs.length) {
      const msgType = hs[p]!;
      const msgLen = (hs[p + 1]! << 16) | (hs[p + 2]! << 8) | hs[p + 3]!;
      if (p + 4 + msgLen > hs.length) break;
      const msg = hs.subarray(p + 4, p + 4 + msgLen);
      p += 4 + msgLen;
      if (msgType === 2) {
        sawHello = true;
        parseServerHello(msg, result);
        if (!untilHelloDone || (result.version ?? 0) >= 0x0304) return result;
      } else if (msgType === 11) {
        result.certificates = parseCertificateList(msg);
      } else if (msgType === 12) {
        if (result.cipher !== undefined && DHE_SUITES.includes(result.cipher)) result.dhPrimeBits = primeBits(msg);
      } else if (msgType === 13) {
        result.certificateRequested = true;
      } else if (msgType === 14) {
        result.certificateRequested ??= false;
        return result;
      }
    }
    hs = hs.subarray(p);
  }
  return undefined;
}

function parseServerHello(msg: Buffer, out: ServerFirstFlight): void {
  out.version = msg.readUInt16BE(0);
  let p = 2 + 32;
  const sidLen = msg[p]!;
  p += 1 + sidLen;
  out.cipher = msg.readUInt16BE(p);
  p += 3; // cipher + compression
  if (p + 2 > msg.length) return;
  const extEnd = p + 2 + msg.readUInt16BE(p);
  p += 2;
  while (p + 4 <= extEnd && p + 4 <= msg.length) {
    const t = msg.readUInt16BE(p);
    const l = msg.readUInt16BE(p + 2);
    if (t === 0x002b && l === 2) out.version = msg.readUInt16BE(p + 4);
    p += 4 + l;
  }
}

/** ServerDHParams starts with dh_p<1..2^16-1>: its length in bits, leading zero bits not counted. */
function primeBits(msg: Buffer): number | undefined {
  if (msg.length < 3) return undefined;
  const len = msg.readUInt16BE(0);
  let p = 2;
  const end = Math.min(2 + len, msg.length);
  while (p < end && msg[p] === 0) p += 1;
  if (p >= end) return 0;
  return (end - p - 1) * 8 + (32 - Math.clz32(msg[p]!));
}

function parseCertificateList(msg: Buffer): Buffer[] {
  const certs: Buffer[] = [];
  const total = (msg[0]! << 16) | (msg[1]! << 8) | msg[2]!;
  let p = 3;
  while (p + 3 <= 3 + total && p + 3 <= msg.length) {
    const l = (msg[p]! << 16) | (msg[p + 1]! << 8) | msg[p + 2]!;
    certs.push(Buffer.from(msg.subarray(p + 3, p + 3 + l)));
    p += 3 + l;
  }
  return certs;
}

/** Sends one ClientHello and reads the server's answer (ServerHello, optionally up to ServerHelloDone). */
export function sendClientHello(
  host: string,
  port: number,
  hello: ClientHelloOptions,
  opts: { timeoutMs: number; untilHelloDone?: boolean },
): Promise<ServerFirstFlight> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let done = false;
    const socket = net.connect({ host, port });
    const finish = (r: ServerFirstFlight) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), opts.timeoutMs);
    socket.on('connect', () => socket.write(buildClientHello(hello)));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk as Buffer]);
      try {
        const r = parseServerFlight(data, opts.untilHelloDone ?? false);
        if (r) finish(r);
      } catch (e) {
        finish({ outcome: 'not-tls', error: (e as Error).message });
      }
    });
    socket.on('end', () => finish(parseServerFlight(data, false) ?? { outcome: 'closed' }));
    socket.on('close', () => finish({ outcome: 'closed' }));
    socket.on('error', (e) => finish({ outcome: 'error', error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
}

/**
 * Which of `suites` the server accepts at `version` or below: offer them all, note the one the server picks,
 * remove it and offer the rest again, until the server refuses. Bounded by `maxRounds` connections.
 */
export async function enumerateSuites(
  host: string,
  port: number,
  suites: number[],
  opts: { version?: ProtocolName; serverName?: string; timeoutMs: number; maxRounds: number; onConnection?: () => void },
): Promise<{ accepted: { code: number; version: number }[]; connections: number; problem?: string }> {
  const remaining = [...suites];
  const accepted: { code: number; version: number }[] = [];
  let connections = 0;
  while (remaining.length > 0 && connections < opts.maxRounds) {
    connections += 1;
    opts.onConnection?.();
    const r = await sendClientHello(host, port, { version: opts.version ?? 'TLSv1.2', suites: remaining, serverName: opts.serverName }, opts);
    if (r.outcome !== 'server-hello' || r.cipher === undefined) {
      if (r.outcome === 'timeout' || r.outcome === 'error') return { accepted, connections, problem: `${r.outcome} ${r.error ?? ''}`.trim() };
      break;
    }
    const i = remaining.indexOf(r.cipher);
    // A server that answers with a suite we never offered is broken; stop rather than loop.
    if (i < 0) return { accepted, connections, problem: `server chose unoffered suite ${suiteName(r.cipher)}` };
    remaining.splice(i, 1);
    accepted.push({ code: r.cipher, version: r.version ?? 0 });
  }
  return { accepted, connections };
}
