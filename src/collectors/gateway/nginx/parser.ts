/**
 * A parser of nginx's configuration grammar, following ngx_conf_file.c's tokenizer: words separated by
 * whitespace, `;` ends a directive, `{`/`}` open and close blocks, `#` starts a comment only where a
 * word could start, single and double quoted strings with `\"` `\'` `\\` `\t` `\r` `\n` escapes, `${var}`
 * inside a word, and `*_by_lua_block { … }` bodies kept as raw Lua (their braces are Lua's, not nginx's).
 * `include` is resolved while parsing (the included directives take the include's place, as nginx does),
 * globs relative to the prefix; the files read are listed in order so tests can compare with `nginx -T`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { InputError } from '../../../errors.js';
import type { InputProblem } from '../../../model/evidence.js';
import { expandGlob, hasGlob } from './glob.js';

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
        // ${name}: take through the closing brace
        const close = s.indexOf('}', this.pos);
        if (close < 0) this.fail(this.line, 'unterminated ${…} variable');
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

class Parser {
  readonly files: string[] = [];
  readonly texts = new Map<string, string>();
  readonly problems: InputProblem[] = [];
  private readonly stack: string[] = [];
  private readonly read: (path: string) => string;

  constructor(
    readonly prefix: string,
    opts: NginxParseOptions,
  ) {
    this.read = opts.readFile ?? ((p) => readFileSync(p, 'utf8'));
  }

  parseFile(file: string, includedAt?: { file: string; line: number }): NginxDirective[] {
    if (this.stack.includes(file) || this.stack.length >= MAX_INCLUDE_DEPTH) {
      const at = includedAt ?? { file, line: 1 };
      throw new InputError(at.file, at.line, `include of ${file} loops back to a file that is already being read`);
    }
    let text: string;
    try {
      text = this.read(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!includedAt) throw new InputError(file, undefined, `cannot read the nginx configuration (${code ?? String(e)})`);
      // nginx -t would stop here; an assessor still wants the rest of the configuration read
      this.problems.push({
        message: `include ${file}: file not found (${code ?? 'unreadable'}); its directives were not assessed`,
        location: { file: includedAt.file, line: includedAt.line },
      });
      return [];
    }
    this.files.push(file);
    this.texts.set(file, text);
    this.stack.push(file);
    const lexer = new Lexer(text, file);
    const out = this.parseBlock(lexer, undefined);
    this.stack.pop();
    return out;
  }

  private parseBlock(lexer: Lexer, open: { line: number } | undefined): NginxDirective[] {
    const out: NginxDirective[] = [];
    let words: Token[] = [];
    for (;;) {
      const t = lexer.next();
      if (!t) {
        if (words.length) lexer.fail(lexer.line, 'unexpected end of file, expecting ";" or "}"');
        if (open) lexer.fail(lexer.line, `unexpected end of file, expecting "}" (block opened on line ${open.line})`);
        return out;
      }
      if (t.punct === ';') {
        if (!words.length) lexer.fail(t.line, 'unexpected ";"');
        this.emit(out, words, lexer.file);
        words = [];
      } else if (t.punct === '{') {
        if (!words.length) lexer.fail(t.line, 'unexpected "{"');
        const d = directiveOf(words, lexer.file);
        if (LUA_BLOCK.test(d.name)) d.raw = lexer.rawLuaBlock(t.line);
        else d.block = this.parseBlock(lexer, { line: t.line });
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

  private emit(out: NginxDirective[], words: Token[], file: string): void {
    const d = directiveOf(words, file);
    if (d.name !== 'include') {
      out.push(d);
      return;
    }
    if (d.args.length !== 1) throw new InputError(file, d.line, 'invalid number of arguments in "include" directive');
    const pattern = d.args[0]!;
    const full = isAbsolute(pattern) ? pattern : join(this.prefix, pattern);
    const at = { file, line: d.line };
    if (hasGlob(full)) {
      for (const f of expandGlob(full)) out.push(...this.parseFile(f, at));
    } else {
      out.push(...this.parseFile(full, at));
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
  const p = new Parser(prefix, opts);
  const directives = p.parseFile(file);
  return { directives, files: p.files, texts: p.texts, problems: p.problems };
}

/** Parses nginx text that is not on disk (tests); includes resolve against `prefix`. */
export function parseNginxText(text: string, file: string, prefix = dirname(file)): NginxDirective[] {
  const p = new Parser(prefix, { readFile: (f) => (f === file ? text : readFileSync(f, 'utf8')) });
  return p.parseFile(file);
}
