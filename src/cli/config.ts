/**
 * jrt0185.config.yaml: found upward from the working directory (or named with --config), validated against
 * schemas/config.schema.json; paths in it are relative to the file. Flags given on the command line win.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, InputErrors } from '../errors.js';
import { readYamlSource } from '../yaml-source.js';
import { ajvErrorPath, createAjv, describeAjvError } from '../ajv.js';
import { SCHEMAS_DIR } from '../paths.js';

export const CONFIG_FILE_NAME = 'jrt0185.config.yaml';

export interface ConfigFile {
  file: string;
  values: Record<string, unknown>;
}

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

const PATH_KEYS = ['openapi', 'gateway', 'logs', 'rulebook', 'probeConfig', 'attest', 'waivers', 'baseline', 'out', 'nginxPrefix'];

export async function loadConfig(file: string): Promise<ConfigFile> {
  const src = await readYamlSource(file, 'configuration file');
  const value = src.value ?? {};
  const schema = JSON.parse(await readFile(join(SCHEMAS_DIR, 'config.schema.json'), 'utf8'));
  const validate = createAjv().compile(schema);
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map((e) => {
      const pos = src.position(ajvErrorPath(e));
      return new InputError(file, pos.line, describeAjvError(e), pos.column);
    });
    throw errors.length === 1 ? errors[0]! : new InputErrors(errors);
  }
  const values = { ...(value as Record<string, unknown>) };
  const base = dirname(file);
  // Paths are relative to the config file, shown relative to the working directory (stable report paths).
  const rebase = (p: string) => {
    const abs = isAbsolute(p) ? p : join(base, p);
    return relative(process.cwd(), abs) || '.';
  };
  for (const key of PATH_KEYS) {
    const v = values[key];
    if (typeof v === 'string') values[key] = key === 'openapi' || key === 'gateway' || key === 'logs' || key === 'rulebook' ? [rebase(v)] : rebase(v);
    else if (Array.isArray(v)) values[key] = v.map((p) => rebase(String(p)));
  }
  return { file, values };
}
