/**
 * Probe configuration: YAML validated against schemas/probe-config.schema.json, every problem reported as
 * `file:line`. Credentials and keys are references only ({ env: NAME } or { fileEnv: NAME }): the schema
 * rejects a literal in any key position, and a scan refuses anything that looks like key material anywhere.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { InputError } from '../../errors.js';
import { readYamlSource, parseYamlSource, type YamlSource } from '../../yaml-source.js';
import { ajvErrorPath, createAjv } from '../../ajv.js';
import { parseSigningTemplate, presetTemplate, type SigningTemplate } from './template.js';

export type SecretRef = { env: string } | { fileEnv: string };

export interface ProbeOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
  body?: unknown;
  query?: Record<string, string>;
}

export type SignatureScheme =
  | 'hmac-sha256'
  | 'hmac-sm3'
  | 'rsa-sha256'
  | 'sm2-sm3'
  | 'rfc9421-hmac-sha256'
  | 'rfc9421-rsa-v1_5-sha256'
  | 'rfc9421-ecdsa-p256-sha256';

export interface ProbeTarget {
  name: string;
  url: string;
  level?: 'A1' | 'A2';
  plainHttpUrl?: string;
  clientCertificatePath?: string;
  caFile?: { fileEnv: string };
  tls?: boolean;
}

export interface SignatureProbeConfig {
  target?: string;
  operation: ProbeOperation;
  /** A built-in scheme, a preset name, or a template file (relative to the config). */
  scheme: SignatureScheme | { preset: string } | { template: string };
  /** The preset or template, read and checked when the config is loaded (before anything is sent). */
  template?: SigningTemplate;
  key: SecretRef;
  keyId?: string;
  bankPublicKey?: SecretRef;
  staleSeconds?: number;
  headers?: { signature?: string; timestamp?: string; nonce?: string; algorithm?: string };
}

export interface ProbeConfig {
  /** The file it was read from ('' for configs built in code, e.g. `jrt0185 probe URL`). */
  file: string;
  version?: 1;
  targets: ProbeTarget[];
  limits?: { maxRequests?: number; ratePerSecond?: number; timeoutMs?: number };
  credentials?: {
    appId?: SecretRef;
    appIdHeader?: string;
    clientCertificate?: { certFileEnv: string; keyFileEnv: string };
    headers?: { name: string; value: SecretRef }[];
  };
  probes?: {
    http?: {
      target?: string;
      unauthenticated?: ProbeOperation[];
      malformed?: ProbeOperation[];
      burst?: { method?: string; path?: string; count: number; authenticated?: boolean };
    };
    signature?: SignatureProbeConfig[];
    masking?: { target?: string; signWith?: number; operations: ProbeOperation[] }[];
    authorization?: { target?: string; signWith?: number; ownResource?: ProbeOperation; ungranted?: ProbeOperation[]; foreignResources?: ProbeOperation[] };
  };
}

export { DEFAULT_LIMITS } from './budget.js';

const schemaPath = fileURLToPath(new URL('../../../schemas/probe-config.schema.json', import.meta.url));
let validator: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

function validate(value: unknown): ErrorObject[] {
  if (!validator) validator = createAjv().compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

const KEY_MATERIAL = /-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|PUBLIC KEY|CERTIFICATE)-----/;
const SECRET_KEYS = /^(key|bankPublicKey|appId|value|secret|password|token|privateKey|appSecret|clientSecret)$/i;

export async function loadProbeConfig(file: string): Promise<ProbeConfig> {
  return fromSource(await readYamlSource(file, 'probe config'));
}

export function parseProbeConfig(text: string, file: string): ProbeConfig {
  return fromSource(parseYamlSource(file, text, 'probe config'));
}

function fromSource(src: YamlSource): ProbeConfig {
  const { file, value } = src;
  const lineOf = (path: (string | number)[]): number => src.position(path).line;

  // Key material written into the config is refused before anything else, wherever it sits.
  const inline = findInlineSecret(value, []);
  if (inline) {
    throw new InputError(file, lineOf(inline), `${inline.join('.')}: key material or a credential is written inline; keys come only from environment variables: write { env: NAME } or { fileEnv: NAME }`);
  }
  const errors = validate(value);
  if (errors.length) {
    const e = pickError(errors);
    const extraPath = ajvErrorPath(e);
    const path = e.keyword === 'additionalProperties' ? extraPath.slice(0, -1) : extraPath;
    const where = path.length ? path.join('.') : '(top level)';
    let hint = `${where}: ${e.message ?? 'invalid'}`;
    if (e.keyword === 'additionalProperties') hint = `${where}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'enum') hint += ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
    if (/key|bankPublicKey|appId|value|caFile/.test(String(path[path.length - 1] ?? '')) || e.schemaPath.includes('secretRef') || e.schemaPath.includes('fileRef')) {
      hint += '; keys and credentials are references: { env: NAME } (the variable holds it) or { fileEnv: NAME } (the variable names a file)';
    }
    throw new InputError(file, lineOf(extraPath), hint);
  }
  const config = { ...(value as Omit<ProbeConfig, 'file'>), file };
  const names = new Set(config.targets.map((t) => t.name));
  const refs: [string | undefined, (string | number)[]][] = [
    [config.probes?.http?.target, ['probes', 'http', 'target']],
    ...(config.probes?.signature ?? []).map((s, i): [string | undefined, (string | number)[]] => [s.target, ['probes', 'signature', i, 'target']]),
    ...(config.probes?.masking ?? []).map((m, i): [string | undefined, (string | number)[]] => [m.target, ['probes', 'masking', i, 'target']]),
    [config.probes?.authorization?.target, ['probes', 'authorization', 'target']],
  ];
  for (const [name, path] of refs) {
    if (name !== undefined && !names.has(name)) throw new InputError(file, lineOf(path), `${path.join('.')}: no target named "${name}" (targets: ${[...names].join(', ')})`);
  }
  (config.probes?.masking ?? []).forEach((m, i) => {
    if (m.signWith !== undefined && !config.probes?.signature?.[m.signWith]) {
      throw new InputError(file, lineOf(['probes', 'masking', i, 'signWith']), `probes.masking.${i}.signWith: there is no probes.signature[${m.signWith}]`);
    }
  });
  // Signing templates are read and checked now: a wrong template is an input error before anything is sent.
  (config.probes?.signature ?? []).forEach((sig, i) => {
    const where = ['probes', 'signature', i, 'scheme'];
    if (typeof sig.scheme !== 'object') return;
    if ('preset' in sig.scheme) sig.template = presetTemplate(sig.scheme.preset, file, lineOf(where));
    else sig.template = readTemplateFile(resolve(dirname(file), sig.scheme.template), file, lineOf(where));
  });
  const authz = config.probes?.authorization;
  if (authz?.signWith !== undefined && !config.probes?.signature?.[authz.signWith]) {
    throw new InputError(file, lineOf(['probes', 'authorization', 'signWith']), `probes.authorization.signWith: there is no probes.signature[${authz.signWith}]`);
  }
  return config;
}

/** A template file named by a probe config: a regular file of at most 1 MiB, its own errors with its own lines. */
function readTemplateFile(path: string, configFile: string, line: number): SigningTemplate {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (statSync(path).size > 1024 * 1024) throw Object.assign(new Error('larger than 1 MiB'), { code: 'EFBIG' });
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(configFile, line, `cannot read the signing template ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSigningTemplate(text, path);
}

/** ajv reports oneOf/anyOf parents after the real cause; the most specific error is the useful one. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const list = specific.length ? specific : errors;
  return list.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
}

function findInlineSecret(v: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof v === 'string') {
    if (KEY_MATERIAL.test(v)) return path;
    const last = path[path.length - 1];
    if (typeof last === 'string' && SECRET_KEYS.test(last)) return path;
    return undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findInlineSecret(v[i], [...path, i]);
      if (p) return p;
    }
  } else if (v && typeof v === 'object') {
    // Request bodies are payload the user chose to send, not credentials.
    for (const [k, child] of Object.entries(v)) {
      if (k === 'body' || k === 'query') continue;
      const p = findInlineSecret(child, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

/** Reads a secret reference at run time. The value stays in memory and never enters evidence. */
export async function resolveSecret(ref: SecretRef, what: string, configFile: string): Promise<string> {
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (v === undefined || v === '') throw new InputError(configFile || 'probe config', undefined, `${what}: environment variable ${ref.env} is not set`);
    return v;
  }
  const file = process.env[ref.fileEnv];
  if (!file) throw new InputError(configFile || 'probe config', undefined, `${what}: environment variable ${ref.fileEnv} (a file name) is not set`);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `${what}: cannot read the file named by ${ref.fileEnv} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `$${ref.env}` : `file named by $${ref.fileEnv}`;
}
