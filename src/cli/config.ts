/**
 * jrt0185.config.yaml: found upward from the working directory (or named with --config), validated against
 * schemas/config.schema.json; paths in it are relative to the file. Flags given on the command line win.
 *
 * Trust (README "Security model"): a config named with --config is the pipeline owner's and may do anything flags
 * may. A config FOUND by walking up belongs to the tree under assessment — in a pull request, to its author — so it
 * may set inputs inside its own folder, names, language, formats and tighten the gate, but never loosen the gate nor
 * open the network: each key that would is an input error naming the key and the file.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, InputErrors } from '../errors.js';
import { readYamlSource } from '../yaml-source.js';
import { ajvErrorPath, describeAjvError } from '../ajv.js';
import { schemaValidator, type SchemaValidatorSpec } from '../report/standalone-validator.js';
import { SCHEMAS_DIR } from '../paths.js';
import { inert } from '../report/inert.js';

export const CONFIG_FILE_NAME = 'jrt0185.config.yaml';

/** `flag`: named with --config (trusted); `found`: found by walking up from the working directory (untrusted). */
export type ConfigOrigin = 'flag' | 'found';

export interface ConfigFile {
  file: string;
  values: Record<string, unknown>;
  origin: ConfigOrigin;
}

/** Keys only a trusted config (or a flag) may set, and why; the value is the flag that sets the same. */
export const TRUSTED_ONLY_KEYS: Record<string, { why: string; flag: string }> = {
  waivers: { why: 'waivers take failed requirements out of the score and the gate', flag: '--waivers' },
  baseline: { why: 'a baseline lets known failures pass the gate', flag: '--baseline' },
  rulebook: { why: 'rulebook overlays can disable or re-weight rules', flag: '--rulebook' },
  probeConfig: { why: 'live probes open network connections to the hosts it names', flag: '--probe-config' },
  allowRemoteRefs: { why: 'remote $refs fetch URLs the specification names', flag: '--allow-remote-refs' },
};

export function findConfig(start: string = process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Keys holding paths, relative to the config file. `reportInfo` as a path (a mapping is left alone); `out: -` is stdout. */
const PATH_KEYS = ['openapi', 'gateway', 'logs', 'rulebook', 'probeConfig', 'attest', 'waivers', 'baseline', 'out', 'nginxPrefix', 'reportInfo'];

/** The configuration schema's validator, precompiled by the build (src/report/standalone-validator.ts). */
export const CONFIG_VALIDATOR: SchemaValidatorSpec = {
  file: fileURLToPath(new URL('./config-validator.cjs', import.meta.url)),
  schemaTexts: () => [readFileSync(join(SCHEMAS_DIR, 'config.schema.json'), 'utf8')],
  compile: (ajv, [schema]) => ajv.compile(schema as object),
};

export async function loadConfig(file: string, origin: ConfigOrigin = 'flag'): Promise<ConfigFile> {
  const src = await readYamlSource(file, 'configuration file');
  const value = src.value ?? {};
  const validate = schemaValidator(CONFIG_VALIDATOR);
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map((e) => {
      const pos = src.position(ajvErrorPath(e));
      return new InputError(file, pos.line, describeAjvError(e), pos.column);
    });
    throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
  }
  const values = { ...(value as Record<string, unknown>) };
  const base = dirname(file);
  if (origin === 'found') refuseLoosening(file, values, base, (path) => src.position(path));
  // Paths are relative to the config file, shown relative to the working directory (stable report paths).
  const rebase = (p: string) => {
    const abs = isAbsolute(p) ? p : join(base, p);
    return relative(process.cwd(), abs) || '.';
  };
  for (const key of PATH_KEYS) {
    const v = values[key];
    if (key === 'out' && v === '-') continue;
    if (typeof v === 'string') values[key] = key === 'openapi' || key === 'gateway' || key === 'logs' || key === 'rulebook' ? [rebase(v)] : rebase(v);
    else if (Array.isArray(v)) values[key] = v.map((p) => rebase(String(p)));
  }
  return { file, values, origin };
}

/**
 * A found config may not loosen the gate or open the network, nor reach outside its own folder (a path to
 * ~/.aws/credentials given as a log would put masked pieces of it in a report a pull request can read).
 */
function refuseLoosening(file: string, values: Record<string, unknown>, base: string, position: (path: (string | number)[]) => { line: number; column: number }): void {
  const errors: InputError[] = [];
  const refuse = (path: (string | number)[], hint: string) => {
    const pos = position(path);
    errors.push(new InputError(file, pos.line, hint, pos.column));
  };
  const found = 'a configuration file found by walking up from the working directory';
  for (const [key, { why, flag }] of Object.entries(TRUSTED_ONLY_KEYS)) {
    const v = values[key];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    refuse([key], `"${key}" may not be set by ${found}: ${why}; name the file with --config, or pass ${flag}`);
  }
  if (values.level === 'A1') {
    refuse(['level'], `"level: A1" may not be set by ${found}: it drops the A2 requirements from the gate; pass --level A1, or name the file with --config`);
  }
  const root = realOrResolved(base);
  for (const key of PATH_KEYS) {
    if (key in TRUSTED_ONLY_KEYS) continue;
    const v = values[key];
    if (key === 'out' && v === '-') continue;
    const paths = typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
    paths.forEach((p, i) => {
      const abs = realOrResolved(isAbsolute(p) ? p : join(base, p));
      if (abs !== root && !abs.startsWith(root.endsWith(sep) ? root : root + sep)) {
        refuse(typeof v === 'string' ? [key] : [key, i], `"${key}: ${p}" leaves the folder of ${found}; name the file with --config, or pass the path as a flag`);
      }
    });
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
}

/** The real path (symlinks resolved) when it exists, else the resolved path of its nearest existing parent. */
function realOrResolved(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realOrResolved(parent), abs.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}

export function describeConfig(config: ConfigFile | undefined, disabled: boolean, lang: 'zh' | 'en'): string {
  if (!config) {
    if (lang === 'zh') return `配置文件：无${disabled ? '（--no-config）' : ''}`;
    return `configuration: none${disabled ? ' (--no-config)' : ''}`;
  }
  if (lang === 'zh') {
    return `配置文件：${inert(config.file)}（${config.origin === 'flag' ? '由 --config 指定' : '自工作目录向上查找所得：只能收紧门禁，不能放宽'}）`;
  }
  return `configuration: ${inert(config.file)} (${config.origin === 'flag' ? 'named with --config' : 'found above the working directory: it may tighten the gate, never loosen it'})`;
}
