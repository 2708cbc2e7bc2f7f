/**
 * A parser of nginx's configuration grammar, following ngx_conf_file.c's tokenizer: words separated by
 * whitespace, `;` ends a directive, `{`/`}` open and close blocks, `#` starts a comment only where a
 * word could start, single and double quoted strings with `\"` `\'` `\\` `\t` `\r` `\n` escapes, `${var}`
 * inside a word, and `*_by_lua_block { … }` bodies kept as raw Lua (their braces are Lua's, not nginx's).
 * `include` is resolved while parsing (the included directives take the include's place, as nginx does),
 * globs relative to the prefix; each file read is listed once, in order, so tests can compare with `nginx -T`.
 * Structure is checked against nginx's directive table (grammar.ts) in the context each block opens, so what
 * `nginx -t` refuses for structure is refused here at the same line; includes are bounded by NGINX_LIMITS.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { InputError } from '../../../errors.js';
import type { InputProblem } from '../../../model/evidence.js';
import { expandGlob, hasGlob } from './glob.js';
import { allowedHere, badArguments, blockContext, isKnownDirective, type NginxContext, takesBlock } from './grammar.js';
import { readInputTextSync } from '../../../input/read.js';

export interface NginxDirective {
  name: string;
  args: string[];
  file: string;
  line: number;
  /** Child directives when the directive opens a block. */
  block?: NginxDirective[];
  /** Raw text of a `*_by_lua_block` body. */
  raw?: string;
}

export interface NginxParseResult {
  directives: NginxDirective[];
  /** Every file read, in the order nginx reads them (the main file first). */
  files: string[];
  /** File → SHA-256 input for digests (the text read). */
  texts: Map<string, string>;
  problems: InputProblem[];
}

export interface NginxParseOptions {
  /** Directory relative includes are resolved against; default: the main file's directory. */
  prefix?: string;
  /** Read a file (tests and the bench may substitute). */
  readFile?: (path: string) => string;
  /** Caps on files, bytes and include expansions (tests lower them). */
  limits?: typeof NGINX_LIMITS;
}

interface Token {
  value: string;
  line: number;
  quoted: boolean;
  /** The token is one of `;` `{` `}`. */
  punct?: ';' | '{' | '}';
}

const LUA_BLOCK = /_by_lua_block$/;

class Lexer {
  pos = 0;
  line = 1;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  fail(line: number, hint: string): never {
    throw new InputError(this.file, line, hint);
  }

  /** Next token, or undefined at end of input. */
  next(): Token | undefined {
    const s = this.text;
    const n = s.length;
    // skip whitespace and comments
    for (;;) {
      if (this.pos >= n) return undefined;
      const ch = s.charCodeAt(this.pos);
      if (ch === 10) {
        this.line++;
        this.pos++;
      } else if (ch === 32 || ch === 9 || ch === 13) {
        this.pos++;
      } else if (ch === 35 /* # */) {
        const eol = s.indexOf('\n', this.pos);
        this.pos = eol < 0 ? n : eol;
      } else break;
    }
    const start = this.pos;
    const line = this.line;
    const c = s[this.pos]!;
    if (c === ';' || c === '{' || c === '}') {
      this.pos++;
      return { value: c, line, quoted: false, punct: c };
    }
    if (c === '"' || c === "'") {
      this.pos++;
      let out = '';
      for (;;) {
        if (this.pos >= n) this.fail(line, `unexpected end of file inside a quoted string opened here`);
        const ch = s[this.pos]!;
        if (ch === '\\' && this.pos + 1 < n) {
          out += unescape(s[this.pos + 1]!);
          if (s[this.pos + 1] === '\n') this.line++;
          this.pos += 2;
          continue;
        }
        if (ch === '\n') this.line++;
        if (ch === c) {
          this.pos++;
          break;
        }
        out += ch;
        this.pos++;
      }
      // nginx: a quoted string must be followed by a space, `;`, `{` or `)`
      const after = s[this.pos];
      if (after !== undefined && !/[\s;{})]/.test(after)) {
        this.fail(this.line, `unexpected "${after}" after a quoted string`);
      }
      return { value: out, line, quoted: true };
    }
    // an unquoted word: ends at whitespace, `;` or `{` (not `}`: nginx keeps it in the word), and
    // `{` right after `$` belongs to `${var}`
    let out = '';
    let variable = false;
    while (this.pos < n) {
      const ch = s[this.pos]!;
      if (ch === '\\' && this.pos + 1 < n) {
        const e = s[this.pos + 1]!;
        out += e === '"' || e === "'" || e === '\\' ? e : e === 't' || e === 'r' || e === 'n' ? unescape(e) : `\\${e}`;
        if (e === '\n') this.line++;
        this.pos += 2;
        variable = false;
        continue;
      }
      if (ch === '{' && variable) {
        // ${name}: take through the closing brace, which must follow the name (nginx: "the closing bracket in … is missing")
        const close = s.indexOf('}', this.pos);
        if (close < 0 || !/^\{[A-Za-z0-9_]*$/.test(s.slice(this.pos, close))) this.fail(this.line, `the closing bracket in "\${" variable is missing`);
        out += s.slice(this.pos, close + 1);
        this.pos = close + 1;
        variable = false;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === ';' || ch === '{') break;
      variable = ch === '$';
      out += ch;
      this.pos++;
    }
    if (this.pos === start) this.fail(line, `unexpected "${c}"`);
    return { value: out, line, quoted: false };
  }

  /** After `*_by_lua_block {`: the raw Lua up to the matching `}` (Lua strings and comments skipped). */
  rawLuaBlock(openLine: number): string {
    const s = this.text;
    const n = s.length;
    const begin = this.pos;
    let depth = 1;
    while (this.pos < n) {
      const ch = s[this.pos]!;
      if (ch === '\n') {
        this.line++;
        this.pos++;
      } else if (ch === '-' && s[this.pos + 1] === '-') {
        const long = /^--\[(=*)\[/.exec(s.slice(this.pos, this.pos + 16));
        if (long) this.skipUntil(`]${long[1]}]`);
        else {
          const eol = s.indexOf('\n', this.pos);
          this.pos = eol < 0 ? n : eol;
        }
      } else if (ch === '"' || ch === "'") {
        this.pos++;
        while (this.pos < n && s[this.pos] !== ch) {
          if (s[this.pos] === '\\') this.pos++;
          else if (s[this.pos] === '\n') this.line++;
          this.pos++;
        }
        this.pos++;
      } else if (ch === '[' && /^\[=*\[/.test(s.slice(this.pos, this.pos + 16))) {
        const eq = /^\[(=*)\[/.exec(s.slice(this.pos, this.pos + 16))![1]!;
        this.skipUntil(`]${eq}]`);
      } else if (ch === '{') {
        depth++;
        this.pos++;
      } else if (ch === '}') {
        depth--;
        this.pos++;
        if (depth === 0) return s.slice(begin, this.pos - 1);
      } else this.pos++;
    }
    this.fail(openLine, 'unexpected end of file in a *_by_lua_block, expecting "}"');
  }

  private skipUntil(close: string): void {
    const end = this.text.indexOf(close, this.pos);
    const stop = end < 0 ? this.text.length : end + close.length;
    for (let i = this.pos; i < stop; i++) if (this.text.charCodeAt(i) === 10) this.line++;
    this.pos = stop;
  }
}

function unescape(e: string): string {
  switch (e) {
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    case '"':
    case "'":
    case '\\':
      return e;
    default:
      return `\\${e}`;
  }
}

const MAX_INCLUDE_DEPTH = 32;
/** One-word entries of map / geo blocks. */
const PAIR_FLAGS = new Set(['hostnames', 'volatile', 'ranges', 'proxy_recursive']);
/** Caps on what a configuration may make the reader do (a hostile include tree is bounded, never exhausting). */
export const NGINX_LIMITS = { files: 2000, bytes: 64 * 1024 * 1024, includes: 20000 };

const MAIN_DIRECTIVES = new Set(['events', 'http', 'stream', 'mail', 'worker_processes', 'load_module', 'user', 'pid']);

/**
 * The main file's context: `main` when a directive at its top level is one of the main context's (`events`,
 * `http`, …), else a fragment of unknown context (a conf.d file given on its own). Only top-level directive names
 * count: the word `http` as a `map` value must not make a fragment a main file.
 */
function topContext(text: string, file: string): NginxContext {
  try {
    const lx = new Lexer(text, file);
    let depth = 0;
    let start = true;
    let last = '';
    for (let t = lx.next(); t; t = lx.next()) {
      if (t.punct === ';' || t.punct === '}') {
        if (t.punct === '}') depth--;
        start = true;
      } else if (t.punct === '{') {
        if (LUA_BLOCK.test(last)) lx.rawLuaBlock(t.line);
        else depth++;
        start = true;
      } else if (start) {
        if (depth === 0 && MAIN_DIRECTIVES.has(t.value)) return 'main';
        last = t.value;
        start = false;
      }
    }
  } catch {
    // the real parse reports the syntax error with its line
  }
  return 'unknown';
}

class Parser {
  /** Every file read, once, in the order nginx first reads it (as `nginx -T` dumps them). */
  readonly files: string[] = [];
  readonly texts = new Map<string, string>();
  readonly problems: InputProblem[] = [];
  private readonly stack: string[] = [];
  private readonly read: (path: string) => string;
  private bytes = 0;
  private includes = 0;

  constructor(
    readonly prefix: string,
    opts: NginxParseOptions,
    private readonly limits = NGINX_LIMITS,
  ) {
    this.read = opts.readFile ?? ((p) => readInputTextSync(p, { what: 'nginx configuration file', maxBytes: limits.bytes }));
  }

  parseFile(file: string, context: NginxContext | undefined, includedAt?: { file: string; line: number }): NginxDirective[] {
    if (this.stack.includes(file) || this.stack.length >= MAX_INCLUDE_DEPTH) {
      const at = includedAt ?? { file, line: 1 };
      throw new InputError(at.file, at.line, `include of ${file} loops back to a file that is already being read`);
    }
    // a file included many times is read once (the text is cached) but parsed where it is included, as nginx does;
    // the caps bound a tree that includes the same files over and over
    let text = this.texts.get(file);
    if (text === undefined) {
      if (includedAt && this.files.length >= this.limits.files) {
        throw new InputError(includedAt.file, includedAt.line, `include ${file}: more than ${this.limits.files} files are included; refusing to read more`);
      }
      try {
        text = this.read(file);
      } catch (e) {
        const why = e instanceof InputError ? e.hint : `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
        if (!includedAt) throw e instanceof InputError ? e : new InputError(file, undefined, `nginx configuration ${why}`);
        // nginx -t stops at a missing include; the assessor reads the rest, says so, and vouches for nothing
        if (/not found|ENOENT|permission denied|EACCES/.test(why)) {
          this.problems.push({
            message: `include ${file}: ${/not found|ENOENT/.test(why) ? 'file not found' : 'permission denied'}; its directives were not assessed (nginx -t would refuse this configuration)`,
            location: { file: includedAt.file, line: includedAt.line },
            hidesEvidence: true,
          });
          return [];
        }
        throw new InputError(includedAt.file, includedAt.line, `include ${file}: ${why.replace(/^nginx configuration file /, '')}`);
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.files.push(file);
      this.texts.set(file, text);
    }
    this.bytes += text.length;
    if (this.bytes > this.limits.bytes) {
      const at = includedAt ?? { file, line: 1 };
      throw new InputError(at.file, at.line, `the configuration and its includes exceed ${this.limits.bytes} bytes in total; refusing to read more`);
    }
    this.stack.push(file);
    const lexer = new Lexer(text, file);
    const out = this.parseBlock(lexer, undefined, context ?? topContext(text, file));
    this.stack.pop();
    return out;
  }

  private parseBlock(lexer: Lexer, open: { line: number } | undefined, context: NginxContext): NginxDirective[] {
    const out: NginxDirective[] = [];
    let words: Token[] = [];
    const checked = context !== 'values';
    // entries of map/geo/split_clients blocks are pairs, not directives: only their word count is nginx's to check
    for (;;) {
      const t = lexer.next();
      if (!t) {
        if (words.length) lexer.fail(lexer.line, 'unexpected end of file, expecting ";" or "}"');
        if (open) lexer.fail(lexer.line, `unexpected end of file, expecting "}" (block opened on line ${open.line})`);
        return out;
      }
      if (t.punct === ';') {
        if (!words.length) lexer.fail(t.line, 'unexpected ";"');
        const d = directiveOf(words, lexer.file);
        if (checked && context === 'pairs') {
          // entries are `key value;`; a lone word only for the flags map/geo take (`hostnames;`, `ranges;`…)
          if (words.length > 2 || (words.length === 1 && !PAIR_FLAGS.has(words[0]!.value))) lexer.fail(t.line, `invalid number of parameters in a map/geo/split_clients entry`);
        } else if (checked) {
          if (takesBlock(d.name, context) === true) lexer.fail(t.line, `directive "${d.name}" has no opening "{"`);
          if (!allowedHere(d.name, context)) lexer.fail(d.line, `"${d.name}" directive is not allowed here`);
          const bad = badArguments(d.name, d.args);
          if (bad) lexer.fail(t.line, bad);
          this.lostSemicolon(words, lexer.file);
        }
        this.emit(out, d, lexer.file, context);
        words = [];
      } else if (t.punct === '{') {
        if (!words.length || context === 'pairs') lexer.fail(t.line, 'unexpected "{"');
        const d = directiveOf(words, lexer.file);
        let inner: NginxContext = 'values';
        if (checked) {
          const block = takesBlock(d.name, context);
          // nginx: a directive that takes no block, followed by `{`, is "not terminated by ;" at the `{`
          if (block === false) lexer.fail(t.line, `directive "${d.name}" is not terminated by ";"${d.line !== t.line ? ` (it starts on line ${d.line})` : ''}`);
          if (!allowedHere(d.name, context)) lexer.fail(d.line, `"${d.name}" directive is not allowed here`);
          const bad = badArguments(d.name, d.args);
          if (bad) lexer.fail(t.line, bad);
          if (block === undefined) {
            this.problems.push({
              message: `"${d.name}" opens a block, which nginx accepts only if a third-party module defines it so; its contents were not assessed`,
              location: { file: lexer.file, line: d.line },
              hidesEvidence: true,
            });
          }
          this.lostSemicolon(words, lexer.file);
          // a third-party block holds that module's directives, which may reuse nginx's names with other arguments
          inner = block === undefined ? 'values' : blockContext(d.name, context);
        }
        if (LUA_BLOCK.test(d.name)) d.raw = lexer.rawLuaBlock(t.line);
        else d.block = this.parseBlock(lexer, { line: t.line }, inner);
        out.push(d);
        words = [];
      } else if (t.punct === '}') {
        if (words.length) lexer.fail(t.line, `unexpected "}" (directive "${words[0]!.value}" on line ${words[0]!.line} has no ";")`);
        if (!open) lexer.fail(t.line, 'unexpected "}"');
        return out;
      } else {
        words.push(t);
      }
    }
  }

  /**
   * A directive whose words run onto a new line that starts with the name of an nginx directive has almost
   * surely lost its `;` (`proxy_pass http://a` / `proxy_set_header Host $host;`): nginx then refuses it for its
   * argument count or reads the second directive as arguments of the first. Either way the reader cannot vouch.
   */
  private lostSemicolon(words: Token[], file: string): void {
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      if (w.line > words[i - 1]!.line && isKnownDirective(w.value)) {
        this.problems.push({
          message: `directive "${words[0]!.value}" (line ${words[0]!.line}) runs on to line ${w.line}, which starts with the directive "${w.value}": a ";" seems to be missing, and nginx -t would likely refuse it`,
          location: { file, line: words[0]!.line },
          hidesEvidence: true,
        });
        return;
      }
    }
  }

  private emit(out: NginxDirective[], d: NginxDirective, file: string, context: NginxContext): void {
    if (d.name !== 'include') {
      out.push(d);
      return;
    }
    if (d.args.length !== 1) throw new InputError(file, d.line, 'invalid number of arguments in "include" directive');
    const pattern = d.args[0]!;
    const full = isAbsolute(pattern) ? pattern : join(this.prefix, pattern);
    const at = { file, line: d.line };
    const inner = context === 'values' ? 'values' : context;
    const targets = hasGlob(full) ? expandGlob(full) : [full];
    for (const f of targets) {
      if (++this.includes > this.limits.includes) {
        throw new InputError(file, d.line, `more than ${this.limits.includes} includes are expanded; refusing to read more`);
      }
      out.push(...this.parseFile(f, inner, at));
    }
  }
}

function directiveOf(words: Token[], file: string): NginxDirective {
  return { name: words[0]!.value, args: words.slice(1).map((w) => w.value), file, line: words[0]!.line };
}

/** Parses an nginx configuration file and everything it includes. Syntax errors throw InputError(file, line). */
export function parseNginx(mainFile: string, opts: NginxParseOptions = {}): NginxParseResult {
  // locations keep the path as the user gave it; relative includes resolve against the prefix
  const file = mainFile;
  const prefix = opts.prefix ?? dirname(file);
  if (opts.prefix) {
    try {
      if (!statSync(prefix).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new InputError(opts.prefix, undefined, 'the nginx prefix is not a directory');
    }
  }
  const p = new Parser(prefix, opts, opts.limits);
  const directives = p.parseFile(file, undefined);
  return { directives, files: p.files, texts: p.texts, problems: p.problems };
}

/** Parses nginx text that is not on disk (tests); includes resolve against `prefix`. */
export function parseNginxText(text: string, file: string, prefix = dirname(file)): NginxDirective[] {
  const p = new Parser(prefix, { readFile: (f) => (f === file ? text : readInputTextSync(f, { what: 'nginx configuration file' })) });
  return p.parseFile(file, undefined);
}
