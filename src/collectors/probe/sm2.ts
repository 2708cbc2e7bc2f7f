/**
 * SM2 signatures as GB/T 32918.2 and GM/T 0009 define them: e = SM3(Z_A ‖ M), where Z_A hashes the signer's
 * distinguishing identifier (default "1234567812345678"), the curve and the public key.
 *
 * Why not crypto.sign('sm3', …, sm2Key)? node 20 cannot set the identifier, and OpenSSL 3 then signs without
 * the default one: such signatures verify with `openssl dgst -sm3` but not with `-sigopt
 * distid:1234567812345678`, i.e. not with a bank's GM/T 0009 verifier. So the scalar arithmetic is done here
 * with BigInt (Jacobian coordinates); SM3 comes from node's crypto; keys are ordinary node KeyObjects / PEM.
 * Signatures are DER SEQUENCE { r INTEGER, s INTEGER }, as OpenSSL and GM/T 0009 encode them.
 */
import crypto, { type KeyObject } from 'node:crypto';

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

export const SM2_DEFAULT_ID = '1234567812345678';

type Jacobian = [bigint, bigint, bigint]; // Z = 0: point at infinity

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  const y2 = (y * y) % P;
  const s = (4n * x * y2) % P;
  const z2 = (z * z) % P;
  const m = mod(3n * x * x + A * z2 * z2, P);
  const x3 = mod(m * m - 2n * s, P);
  const y3 = mod(m * (s - x3) - 8n * y2 * y2, P);
  return [x3, y3, (2n * y * z) % P];
}

function add(p1: Jacobian, p2: Jacobian): Jacobian {
  if (p1[2] === 0n) return p2;
  if (p2[2] === 0n) return p1;
  const [x1, y1, z1] = p1;
  const [x2, y2, z2] = p2;
  const z1s = (z1 * z1) % P;
  const z2s = (z2 * z2) % P;
  const u1 = (x1 * z2s) % P;
  const u2 = (x2 * z1s) % P;
  const s1 = (y1 * z2s * z2) % P;
  const s2 = (y2 * z1s * z1) % P;
  if (u1 === u2) return s1 === s2 ? double(p1) : [0n, 1n, 0n];
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const h2 = (h * h) % P;
  const h3 = (h2 * h) % P;
  const x3 = mod(r * r - h3 - 2n * u1 * h2, P);
  const y3 = mod(r * (u1 * h2 - x3) - s1 * h3, P);
  return [x3, y3, (h * z1 * z2) % P];
}

function multiply(k: bigint, point: [bigint, bigint]): Jacobian {
  let result: Jacobian = [0n, 1n, 0n];
  let addend: Jacobian = [point[0], point[1], 1n];
  while (k > 0n) {
    if (k & 1n) result = add(result, addend);
    addend = double(addend);
    k >>= 1n;
  }
  return result;
}

function affine([x, y, z]: Jacobian): [bigint, bigint] {
  const zi = inv(z, P);
  const zi2 = (zi * zi) % P;
  return [(x * zi2) % P, (y * zi2 * zi) % P];
}

const be32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);

/** The 65-byte uncompressed public point of an SM2 public (or private) key. */
function publicPoint(key: KeyObject): [bigint, bigint] {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  const point = der.subarray(der.length - 65);
  if (point[0] !== 4) throw new Error('SM2 public key is not an uncompressed point');
  return [toBig(point.subarray(1, 33)), toBig(point.subarray(33))];
}

/** The private scalar d from PKCS#8 (ECPrivateKey: version 1, OCTET STRING of 32 bytes). */
function privateScalar(key: KeyObject): bigint {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const at = der.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20]));
  if (at < 0) throw new Error('not an SM2/EC private key');
  return toBig(der.subarray(at + 5, at + 37));
}

export function sm2Za(pub: [bigint, bigint], id = SM2_DEFAULT_ID): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const entl = Buffer.from([((idBytes.length * 8) >> 8) & 0xff, (idBytes.length * 8) & 0xff]);
  return crypto.createHash('sm3').update(Buffer.concat([entl, idBytes, be32(A), be32(B), be32(GX), be32(GY), be32(pub[0]), be32(pub[1])])).digest();
}

function digest(message: Buffer, pub: [bigint, bigint], id: string): bigint {
  return toBig(crypto.createHash('sm3').update(Buffer.concat([sm2Za(pub, id), message])).digest());
}

function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

export function sm2Sign(message: Buffer | string, privateKey: KeyObject | string, id = SM2_DEFAULT_ID): Buffer {
  const key = typeof privateKey === 'string' ? crypto.createPrivateKey(privateKey) : privateKey;
  const d = privateScalar(key);
  const e = digest(Buffer.from(message), publicPoint(key), id);
  for (;;) {
    const k = mod(toBig(crypto.randomBytes(40)), N - 1n) + 1n;
    const [x1] = affine(multiply(k, [GX, GY]));
    const r = mod(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = mod(inv(1n + d, N) * (k - r * d), N);
    if (s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

function parseSignature(sig: Buffer): [bigint, bigint] | undefined {
  if (sig[0] !== 0x30) return undefined;
  let p = 2;
  const out: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[p] !== 0x02) return undefined;
    const len = sig[p + 1]!;
    out.push(toBig(sig.subarray(p + 2, p + 2 + len)));
    p += 2 + len;
  }
  return [out[0]!, out[1]!];
}

export function sm2Verify(message: Buffer | string, publicKey: KeyObject | string, signature: Buffer, id = SM2_DEFAULT_ID): boolean {
  try {
    const key = typeof publicKey === 'string' ? crypto.createPublicKey(publicKey) : publicKey;
    const rs = parseSignature(signature);
    if (!rs) return false;
    const [r, s] = rs;
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const t = mod(r + s, N);
    if (t === 0n) return false;
    const pub = publicPoint(key);
    const sum = add(multiply(s, [GX, GY]), multiply(t, pub));
    if (sum[2] === 0n) return false;
    const [x1] = affine(sum);
    return mod(digest(Buffer.from(message), pub, id) + x1, N) === r;
  } catch {
    return false;
  }
}
