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
    expect(text).toMatch(/^Score [\d.—]+ \/ 100 {4}Coverage [\d.—]+%/m);
    expect(text).toMatch(/^Verdict: Gate (passed|failed)$/m);
    const failed = sample.requirements.filter((r) => r.status === 'fail');
    for (const r of failed) expect(text).toContain(r.ruleId);
    const located = sample.findings.find((f) => f.status === 'fail' && f.location?.line !== undefined && !f.waiver)!;
    expect(text).toContain(`${located.location!.file}:${located.location!.line}`);
    expect(text).toContain('→ ');
  });
  it('speaks Chinese with --lang zh', () => {
    const text = renderTerminal(sample, { lang: 'zh' });
    expect(text).toMatch(/^得分 /m);
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
