/**
 * Route ↔ operation matching: a gateway route path as the gateway matches it (nginx locations with PCRE, Kong
 * regex paths, APISIX `:param` and `*`, Spring Ant patterns) tested on concrete request paths of each operation.
 * Used for route levels (9.2.1 b2) and the route inventory (12.1).
 */
import type {
  EvidenceBundle,
  GatewayConfigEvidence,
  OpenApiDocumentEvidence,
  OperationEvidence,
  RouteEvidence,
  SecurityLevel,
} from '../../model/evidence.js';
import type { CheckContext } from '../../model/outcome.js';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

/**
 * A PCRE pattern (nginx `location ~`, Kong `~` paths) as a JavaScript RegExp, or the PCRE feature that has no
 * JavaScript equivalent. Translated: leading inline flags `(?i)` `(?s)` `(?m)` `(?x)` (and `(?i)` at the start of
 * the only group), `(?P<name>…)`, `(?#…)` comments, atomic groups `(?>…)` and possessive quantifiers (which only
 * change how a failing match backtracks, not what a path matches here), `\A` `\z` `\Z`, `\h`, `\Q…\E`,
 * POSIX classes. Not translatable: inline flags in the middle, recursion, conditionals, `\G`, `\K`, callouts.
 */
export function pcreToRegExp(pattern: string, caseless = false): RegExp | { unsupported: string } {
  let src = pattern;
  let flags = caseless ? 'i' : '';
  // leading inline options, possibly several: (?i)(?s) or (?is)
  for (let m = /^\(\?([imsxU]+)\)/.exec(src); m; m = /^\(\?([imsxU]+)\)/.exec(src)) {
    for (const f of m[1]!) {
      if (f === 'x') src = src.slice(0, m[0].length) + stripExtended(src.slice(m[0].length));
      else if (f !== 'U' && !flags.includes(f)) flags += f;
      else if (f === 'U') return { unsupported: '(?U) ungreedy mode' };
    }
    src = src.slice(m[0].length);
  }
  // \Q…\E: literal text
  src = src.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, lit: string) => escapeRe(lit));
  const unsupported: [RegExp, string][] = [
    [/\(\?[imsxU-]+\)/, 'an inline option in the middle of the pattern'],
    [/\(\?[imsx-]+:/, 'a group with inline options (?i:…)'],
    [/\(\?R\)|\(\?[0-9+-]+\)|\(\?&\w+\)|\(\?P>\w+\)/, 'a recursive pattern'],
    [/\(\?\(/, 'a conditional group'],
    [/\\[GKXRC]/, 'a PCRE-only escape (\\G, \\K, \\X, \\R or \\C)'],
    [/\(\?C/, 'a callout'],
    [/\(\*[A-Z]/, 'a backtracking verb'],
  ];
  for (const [re, what] of unsupported) if (re.test(src)) return { unsupported: what };
  src = src
    .replace(/\(\?#[^)]*\)/g, '')
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\(\?>/g, '(?:')
    .replace(/([*+?}])\+/g, '$1')
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$')
    .replace(/\\h/g, '[ \\t]')
    .replace(/\[:(\w+):\]/g, (all, name: string) => POSIX_CLASSES[name] ?? all);
  try {
    return new RegExp(src, flags);
  } catch (e) {
    return { unsupported: (e as Error).message.replace(/^Invalid regular expression: /, '') };
  }
}

/** `(?x)`: whitespace and `#` comments outside classes are not part of the pattern. */
function stripExtended(s: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      out += c + (s[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? s.length : eol;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** A test on concrete request paths, or why the route's path cannot be judged (never a silent "no match"). */
export type PathMatcher = ((p: string) => boolean) | { unjudged: string };

/** A route path as the gateway matches it → a test on concrete request paths. */
export function routeMatcher(format: GatewayConfigEvidence['format'], path: string): PathMatcher {
  const regex = (pattern: string, caseless: boolean, anchor = ''): PathMatcher => {
    const re = pcreToRegExp(anchor + pattern, caseless);
    if ('unsupported' in re) return { unjudged: `the regular expression ${pattern} uses ${re.unsupported}, which cannot be evaluated here` };
    return (p) => re.test(p);
  };
  if (format === 'nginx' || format === 'kubernetes') {
    const m = /^(=|~\*|~|\^~)\s+(.*)$/.exec(path);
    if (m) {
      if (m[1] === '=') return (p) => p === m[2];
      if (m[1] === '~') return regex(m[2]!, false);
      if (m[1] === '~*') return regex(m[2]!, true);
      return (p) => p.startsWith(m[2]!);
    }
    return (p) => p.startsWith(path);
  }
  if (format === 'kong') {
    // Kong: `~` marks a regex path, matched from the start of the path
    if (path.startsWith('~')) return regex(path.slice(1).replace(/^\^/, ''), false, '^');
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

export interface OpRef {
  doc: OpenApiDocumentEvidence;
  op: OperationEvidence;
}

/** Whether the route serves the operation: true, false, or why it cannot be told. */
export function routeExposes(g: GatewayConfigEvidence, r: RouteEvidence, ref: OpRef): boolean | { unjudged: string } {
  if (r.methods.length && !r.methods.includes(ref.op.method.toUpperCase())) return false;
  const paths = r.paths.length ? r.paths : ['/'];
  const samples = samplePaths(ref.doc, ref.op);
  let unjudged: { unjudged: string } | undefined;
  for (const p of paths) {
    const m = routeMatcher(g.format, p);
    if (typeof m !== 'function') unjudged ??= m;
    else if (samples.some((s) => m(s))) return true;
  }
  return unjudged ?? false;
}

export function allOperations(bundle: Readonly<EvidenceBundle>): OpRef[] {
  return bundle.openapi.flatMap((doc) => doc.operations.map((op) => ({ doc, op })));
}

/**
 * The route's level: its tags/labels, else the level the matching operation declares, else the profile's. When a
 * route path cannot be evaluated and an A2 operation might be behind it, the level is unknown (never assumed A1).
 */
export function routeLevel(
  g: GatewayConfigEvidence,
  r: RouteEvidence,
  ops: OpRef[],
  ctx: CheckContext,
): { level: SecurityLevel; source: string } | { unjudged: string } {
  if (r.declaredLevel) return { level: r.declaredLevel, source: 'route tags' };
  const declared: SecurityLevel[] = [];
  let unjudged: { unjudged: string } | undefined;
  for (const o of ops) {
    if (!o.op.declaredLevel) continue;
    const e = routeExposes(g, r, o);
    if (e === true) declared.push(o.op.declaredLevel);
    else if (e !== false && o.op.declaredLevel === 'A2') unjudged ??= e;
  }
  if (declared.includes('A2')) return { level: 'A2', source: 'OpenAPI x-security-level' };
  if (unjudged && ctx.level !== 'A2') return unjudged;
  if (declared.includes('A1')) return { level: 'A1', source: 'OpenAPI x-security-level' };
  return { level: ctx.level, source: '--level' };
}
