import { describe, expect, it } from 'vitest';
import { renderTerminal } from './terminal.js';
import { loadSample } from './testing.js';
import { parseLang, useColor } from '../cli/options.js';

const sample = loadSample();

describe('terminal report', () => {
  it('leads with score, coverage and a verdict, then failures by clause with file:line and remediation (en)', () => {
    const text = renderTerminal(sample, { lang: 'en' });
    const lines = text.split('\n');
    expect(lines[0]).toContain('JR/T 0185-2020');
    expect(text).toMatch(/^Overall score [\d.—]+ \/ 100 {4}Coverage [\d.—]+%/m);
    expect(text).toMatch(/^Score over assessed requirements [\d.—]+ \/ 100$/m);
    expect(text).toContain('requirements not reviewed count as 0');
    expect(text).toContain('Gate rule: the gate fails when any mandatory (shall / shall not) requirement of severity critical fails');
    expect(text).toMatch(/^Verdict: Gate (passed|failed)$/m);
    const failed = sample.requirements.filter((r) => r.status === 'fail');
    for (const r of failed) expect(text).toContain(r.ruleId);
    const located = sample.findings.find((f) => f.status === 'fail' && f.location?.line !== undefined && !f.waiver)!;
    expect(text).toContain(`${located.location!.file}:${located.location!.line}`);
    expect(text).toContain('→ ');
  });
  it('speaks Chinese with --lang zh', () => {
    const text = renderTerminal(sample, { lang: 'zh' });
    expect(text).toMatch(/^总体得分 /m);
    expect(text).toMatch(/^已评估要求得分 /m);
    expect(text).not.toContain('覆盖率较低');
    expect(text).toMatch(/^结论: 门禁/m);
  });
  it('has no escape codes without colour, and some with it', () => {
    expect(renderTerminal(sample, { lang: 'en', color: false })).not.toMatch(/\u001b\[/);
    expect(renderTerminal(sample, { lang: 'en', color: true })).toMatch(/\u001b\[/);
  });
});

describe('colour and language defaults', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  it('colour only on a TTY, never with NO_COLOR or --no-color', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, {}, false)).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
  });
  it('Chinese under a zh_* locale, else English, unless --lang says', () => {
    expect(parseLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(parseLang(undefined, { LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(parseLang(undefined, { LANG: 'en_US.UTF-8' })).toBe('en');
    expect(parseLang(undefined, {})).toBe('en');
    expect(parseLang('zh', { LANG: 'C' })).toBe('zh');
  });
});

import { inert, inertDocument } from './inert.js';
import { displayWidth, wrapLine } from './wrap.js';

describe('inert text (input strings on a terminal or in a CI log)', () => {
  it('shows control characters, ESC/CSI/OSC sequences, C1 controls and bidi overrides as visible escapes', () => {
    expect(inert('a\u001b[31mred\u001b]0;title\u0007\r\n\tb')).toBe('a\\e[31mred\\e]0;title\\x07\\r\\n\\tb');
    expect(inert('x\u009b2Jy\u202eevil\u2066')).toBe('x\\x9b2Jy\\u202eevil\\u2066');
    expect(inert('plain 中文 text')).toBe('plain 中文 text');
  });
  it('breaks workflow commands so no wrap can start a line with one', () => {
    expect(inert('::error file=a::boom')).toBe(':\u200b:error file=a:\u200b:boom');
    expect(inert('##vso[task.setvariable]x ##[error]y')).toBe('#\u200b#vso[task.setvariable]x #\u200b#[error]y');
  });
  it('a whole document keeps its own newlines but no command at a line start and no ESC', () => {
    expect(inertDocument('a\n  ::warning::x\n> ##[error]y\nb\u001b[2J\r\nc\rd')).toBe('a\n  :\u200b:warning::x\n> #\u200b#[error]y\nb\\e[2J\r\nc\\rd');
  });
  it('a hostile result renders with one verdict line and nothing raw', () => {
    const hostile = structuredClone(sample);
    hostile.subjectName = 'Bank\n\u001b[32mVerdict: Gate passed\u001b[0m';
    for (const f of hostile.findings) f.message = { zh: `${f.message.zh}\n::error::x`, en: `${f.message.en}\n::error::x` };
    hostile.warnings.push({ zh: '\u001b]52;c;cGF5bG9hZA==\u0007', en: '\u001b]52;c;cGF5bG9hZA==\u0007' });
    const text = renderTerminal(hostile, { lang: 'en' });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text.split('\n').filter((l) => /^Verdict:/.test(l))).toHaveLength(1);
    expect(text).not.toMatch(/^\s*::/m);
  });
});

describe('wrapping to the window (CJK-aware, hanging indents)', () => {
  it('counts East Asian wide characters as two columns and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中文ab')).toBe(6);
    expect(displayWidth('\u001b[31m中\u001b[39m')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
  });
  it('wraps under the text after the bullet, never past the width', () => {
    const lines = wrapLine('  • 3 critical mandatory requirement(s) failed: tls-secure-channel (9.2.2), a2-mutual-authentication-design (7.2.1)', 40);
    expect(lines[0]).toBe('  • 3 critical mandatory requirement(s)');
    for (const l of lines.slice(1)) expect(l.startsWith('    ') && !l.startsWith('     ')).toBe(true);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual('• 3 critical mandatory requirement(s) failed: tls-secure-channel (9.2.2), a2-mutual-authentication-design (7.2.1)'.split(' '));
  });
  it('breaks Chinese text between characters, counting two columns each', () => {
    const lines = wrapLine('      应采用 SSL/TLS 等安全通道连接进行通信，并对接口调用方进行身份认证与访问控制。', 30);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => l.startsWith('      '))).toBe(true);
    expect(lines.join('').replace(/\s/g, '')).toBe('应采用SSL/TLS等安全通道连接进行通信，并对接口调用方进行身份认证与访问控制。');
  });
  it('cuts a word longer than the line', () => {
    const lines = wrapLine(`x ${'a'.repeat(50)}`, 20);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(20);
    expect(lines.join('').replace(/\s/g, '')).toBe(`x${'a'.repeat(50)}`);
  });
  it('the terminal report wraps only when given a width, and --quiet keeps the verdict and failures', () => {
    const wide = renderTerminal(sample, { lang: 'zh', width: 60 });
    for (const l of wide.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(60);
    const quiet = renderTerminal(sample, { lang: 'en', quiet: true });
    expect(quiet).toMatch(/^Verdict: Gate (passed|failed)\n/);
    expect(quiet).not.toContain('Overall score');
    for (const r of sample.requirements.filter((x) => x.status === 'fail')) expect(quiet).toContain(r.ruleId);
  });
  it('marks findings that are new since the baseline', () => {
    const text = renderTerminal(sample, { lang: 'en' });
    const fresh = sample.findings.filter((f) => f.new === true && f.status === 'fail' && !f.waiver);
    expect(fresh.length).toBeGreaterThan(0);
    expect(text.match(/\[new\] /g)?.length).toBeGreaterThan(0);
    expect(renderTerminal(sample, { lang: 'zh' })).toContain('[新增] ');
  });
});
