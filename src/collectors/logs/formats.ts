/**
 * Log formats: recognising them from the first lines of a file and splitting a line into named values.
 */
import type { LogFormat } from '../../model/evidence.js';

export interface FormatInfo {
  format: LogFormat;
  /** docker-compose `service  | ` prefix before each JSON line (Caddy, anything run under compose). */
  dockerPrefix?: boolean;
  /** Column names of W3C (`#Fields:`) and Zeek (`#fields`) logs. */
  columns?: string[];
  /** Zeek's separator (tab unless `#separator` says otherwise). */
  separator?: string;
  /** Custom nginx log_format turned into a regex with one named group per variable. */
  nginx?: { regex: RegExp; variables: string[] };
}

export const DOCKER_PREFIX = /^[\w.-]+\s+\|\s?/;
/** NCSA common/combined, optionally preceded by a vhost and followed by extra fields (latency …). */
export const COMBINED_RE = /^(?:\S+ )?\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" (?:\d{3}|-) (?:\d+|-)/;
const LOGFMT_RE = /^(?:[\w.@/-]+=(?:"(?:[^"\\]|\\.)*"|\S*)(?:\s+|$))+$/;
export const LOGFMT_KEYS = /(?:^|\s)([\w.@/-]+)=/g;

/**
 * An nginx `log_format` string (`$remote_addr - $remote_user [$time_local] "$request" $status …`) as a
 * regex: each `$variable` becomes a named group; a variable followed by a quote stops at the quote, one
 * followed by a space stops at the space.
 */
export function nginxFormatRegex(logFormat: string): { regex: RegExp; variables: string[] } {
  const variables: string[] = [];
  let src = '^';
  const parts = logFormat.split(/(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)/);
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      src += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      return;
    }
    const name = part.replace(/^\$\{?|\}$/g, '');
    const next = parts[i + 1]?.[0];
    const group = `v${variables.length}`;
    variables.push(name);
    src += next === undefined ? `(?<${group}>.*)` : `(?<${group}>[^${next.replace(/[\]\\^-]/g, '\\$&')}]*)`;
  });
  return { regex: new RegExp(`${src}$`), variables };
}

/** Recognises the format from the first lines of a file (callers give up to ~64 KiB). */
export function sniffFormat(head: string, opts: { format?: LogFormat; nginxLogFormat?: string } = {}): FormatInfo {
  const lines = head.split('\n').slice(0, 200);
  if (!head.endsWith('\n') && lines.length > 1) lines.pop(); // the last line may be cut
  const nonEmpty = lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0);
  const info: FormatInfo = { format: 'text' };
  const w3cFields = nonEmpty.find((l) => l.startsWith('#Fields:'));
  const zeekFields = nonEmpty.find((l) => l.startsWith('#fields'));
  if (w3cFields) info.columns = w3cFields.slice(8).trim().split(/\s+/);
  if (zeekFields) {
    const sepLine = nonEmpty.find((l) => l.startsWith('#separator'));
    const sep = sepLine ? sepLine.slice(11).trim().replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : '\t';
    info.separator = sep;
    info.columns = zeekFields.split(sep).slice(1);
  }
  if (opts.nginxLogFormat) info.nginx = nginxFormatRegex(opts.nginxLogFormat);
  if (opts.format) return { ...info, format: opts.format, dockerPrefix: nonEmpty.some((l) => DOCKER_PREFIX.test(l) && l.replace(DOCKER_PREFIX, '').startsWith('{')) };
  if (opts.nginxLogFormat) return { ...info, format: 'custom-nginx' };
  if (zeekFields) return { ...info, format: 'zeek' };
  if (w3cFields || nonEmpty[0]?.startsWith('#Software:')) return { ...info, format: 'w3c' };
  const first = nonEmpty[0]?.trimStart() ?? '';
  if (first.startsWith('{') || startsJsonArray(first)) {
    const jsonLines = nonEmpty.filter((l) => isJsonObjectLine(l)).length;
    return { ...info, format: jsonLines >= Math.max(1, Math.ceil(nonEmpty.length / 2)) ? 'jsonl' : 'json' };
  }
  const sample = nonEmpty.slice(0, 50);
  const share = (test: (l: string) => boolean): number => (sample.length ? sample.filter(test).length / sample.length : 0);
  if (share((l) => DOCKER_PREFIX.test(l) && l.replace(DOCKER_PREFIX, '').trimStart().startsWith('{')) >= 0.5) {
    return { ...info, format: 'jsonl', dockerPrefix: true };
  }
  if (share((l) => COMBINED_RE.test(l)) >= 0.5) return { ...info, format: 'combined' };
  if (share((l) => LOGFMT_RE.test(l) && l.includes('=')) >= 0.5) return { ...info, format: 'logfmt' };
  return info;
}

/**
 * A line opening a JSON array: `[` alone, or followed by what an array holds (`{`, `[`, `"`, `]`). Text logs
 * whose lines start with a bracketed timestamp or level (`[Sun Dec 04 04:47:44 2005] [error]`, Proxifier's
 * `[10.30 16:49:06]`, Envoy's `[2024-01-01T…]`) are not JSON.
 */
function startsJsonArray(line: string): boolean {
  return /^\[\s*(?:$|[{["\]])/.test(line);
}

function isJsonObjectLine(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

