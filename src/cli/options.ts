/** Parsing and checking of option values shared by commands; bad values are usage errors (exit 2). */
import { UsageError } from '../errors.js';
import type { Role, SecurityLevel } from '../model/evidence.js';
import type { Severity } from '../model/rulebook.js';
import type { Lang } from '../report/i18n.js';
import { FORMAT_NAMES, formatNamed } from '../report/formats.js';

export function parseLevel(v: string | undefined): SecurityLevel | undefined {
  if (v === undefined) return undefined;
  const up = v.toUpperCase();
  if (up !== 'A1' && up !== 'A2') throw new UsageError(`--level must be A1 or A2 (got "${v}")`);
  return up;
}

export function parseRole(v: string | undefined): Role | undefined {
  if (v === undefined || v === 'both') return undefined;
  if (v !== 'bank' && v !== 'app') throw new UsageError(`--role must be bank, app or both (got "${v}")`);
  return v;
}

export function parseSeverity(v: string | undefined): Severity | undefined {
  if (v === undefined) return undefined;
  if (!['critical', 'high', 'medium', 'low'].includes(v)) throw new UsageError(`--fail-on must be critical, high, medium or low (got "${v}")`);
  return v as Severity;
}

export function parsePercent(name: string, v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`${name} must be a number from 0 to 100 (got "${v}")`);
  return n;
}

export function parseCount(name: string, v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`${name} must be a whole number from 1 to 1000 (got "${v}")`);
  return n;
}

export function parseFormats(v: string | string[] | undefined, fallback: string[]): string[] {
  if (v === undefined) return fallback;
  const list = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!formatNamed(f)) throw new UsageError(`--format: unknown format "${f}" (choose from ${FORMAT_NAMES.join(', ')})`);
  return [...new Set(list.map((f) => formatNamed(f)!.name))];
}

/** Chinese under a zh_* locale, else English, unless --lang says. */
export function parseLang(v: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (v !== undefined) {
    if (v !== 'zh' && v !== 'en') throw new UsageError(`--lang must be zh or en (got "${v}")`);
    return v;
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
