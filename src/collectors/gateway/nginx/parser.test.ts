import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { parseNginx, parseNginxText, type NginxDirective } from './parser.js';

const CORPUS = '/work/shared/corpus/gateway/nginx';

function flat(ds: NginxDirective[]): [string, string[], number][] {
  return ds.flatMap((d) => [[d.name, d.args, d.line] as [string, string[], number], ...flat(d.block ?? [])]);
}

function syntaxError(text: string): InputError {
  try {
    parseNginxText(text, '/virtual/nginx.conf');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('nginx grammar', () => {
  it('reads quoted strings with escapes, comments only where a word starts, and ${var} inside words', () => {
    const ds = parseNginxText(
      [
        'http { # comment',
        '  log_format main \'$remote_addr "$request" \\\'q\\\'\';',
        '  server { listen 80; return 200 "a\\"b\\\\c\\n"; try_files /abc/${uri} =404; set $x a#b; }',
        '}',
      ].join('\n'),
      '/virtual/nginx.conf',
    );
    expect(flat(ds)).toEqual([
      ['http', [], 1],
      ['log_format', ['main', '$remote_addr "$request" \'q\''], 2],
      ['server', [], 3],
      ['listen', ['80'], 3],
      ['return', ['200', 'a"b\\c\n'], 3],
      ['try_files', ['/abc/${uri}', '=404'], 3],
      ['set', ['$x', 'a#b'], 3],
    ]);
  });

  it('keeps location modifiers, if conditions and map entries as arguments', () => {
    const ds = parseNginxText(
      'map $http_x_app_id $blocked { default 0; "~^bad" 1; }\nserver { location ~* \\.php$ { if ($blocked) { return 403; } } location ^~ /static/ {} }',
      '/virtual/x.conf',
    );
    expect(flat(ds).map(([n, a]) => `${n} ${a.join('|')}`)).toEqual([
      'map $http_x_app_id|$blocked',
      'default 0',
      '~^bad 1',
      'server ',
      'location ~*|\\.php$',
      'if ($blocked)',
      'return 403',
      'location ^~|/static/',
    ]);
  });

  it('skips *_by_lua_block bodies as raw Lua (braces and strings inside are Lua)', () => {
    const ds = parseNginxText(
      'server {\n  location /t {\n    content_by_lua_block {\n      local t = { a = "}" } -- } in a comment\n      ngx.say([[ { ]])\n    }\n    access_log off;\n  }\n}\n',
      '/virtual/lua.conf',
    );
    const loc = ds[0]!.block![0]!;
    expect(loc.block!.map((d) => [d.name, d.line])).toEqual([
      ['content_by_lua_block', 3],
      ['access_log', 7],
    ]);
    expect(loc.block![0]!.raw).toContain('ngx.say([[ { ]])');
  });

  it('the crossplane "messy" config parses (odd quoting, escapes, comments after braces)', () => {
    const r = parseNginx(`${CORPUS}/crossplane-messy-nginx.conf`);
    const locations = flat(r.directives).filter(([n]) => n === 'location').map(([, a]) => a.join(' '));
    expect(locations).toEqual(['~ /hello/world;', '/foo', '/bar', '/\\{\\;\\}\\ #\\ ab', '/status.html', '/sta;\n                    tus', '/upstream_conf']);
    expect(flat(r.directives).find(([n]) => n === 'if')![1]).toEqual(['($request_method', '=', 'P\\{O\\)\\###\\;ST', ')']);
  });

  it('syntax errors name the file and line (as nginx -t does)', () => {
    expect(() => parseNginx(`${CORPUS}/crossplane-missing-semicolon-broken.conf`)).toThrowError(
      /crossplane-missing-semicolon-broken\.conf:5: unexpected "}" \(directive "proxy_pass" on line 4 has no ";"\)/,
    );
    expect(() => parseNginx(`${CORPUS}/crossplane-missing-brace.conf`)).toThrowError(/crossplane-missing-brace\.conf:23: unexpected end of file, expecting "}"/);
    expect(syntaxError('http {\n  server_tokens off\n').line).toBe(3);
    expect(syntaxError('}\n').hint).toBe('unexpected "}"');
    expect(syntaxError('events {}\n;').line).toBe(2);
    expect(syntaxError('return 200 "unterminated;\n').hint).toMatch(/quoted string/);
    expect(syntaxError('add_header X "v"x;').hint).toBe('unexpected "x" after a quoted string');
  });

  it('an include that does not exist is a problem with the include line, not a crash', () => {
    const r = parseNginx(`${CORPUS}/h5bp-conf.d__templates__no-ssl.example.com.conf`);
    expect(r.problems.map((p) => p.location.line)).toEqual([34, 37]);
    expect(r.problems[0]!.message).toMatch(/h5bp\/errors\/custom_errors\.conf: file not found/);
  });

  it('an include loop is an input error at the include', () => {
    const files: Record<string, string> = { '/v/a.conf': 'include b.conf;', '/v/b.conf': '\ninclude a.conf;' };
    expect(() => parseNginx('/v/a.conf', { readFile: (f) => files[f] ?? '' })).toThrowError(/\/v\/b\.conf:2: include of \/v\/a\.conf loops/);
  });
});
