/**
 * 7.1 weak ciphers: an OpenSSL cipher-string evaluator over a catalogue of suites (pure, shared with the probes).
 */
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
