/** `jrt0185 attest init --format xlsx` and `--from` on the command line (the modules are tested beside them). */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'jrt-attest-cli-'));

describe('attest init on the command line', () => {
  it('writes a workbook, carries a YAML sheet forward into it and back, and says what it carried', async () => {
    const xlsx = join(dir, 'answers.xlsx');
    const r = await runCli(['attest', 'init', '--level', 'A2', '--role', 'app', '--lang', 'zh', '--from', 'fixtures/partner-app/attest.yaml', '--out', xlsx]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    // The fixture's sheet predates text digests: every carried answer is flagged for review.
    expect(r.stderr).toMatch(/^沿用 fixtures\/partner-app\/attest\.yaml 的答复 \d+ 项；原文已变更、需复核 0 项；无法核对原文 \d+ 项/m);
    const yaml = join(dir, 'next.yaml');
    const back = await runCli(['attest', 'init', '--level', 'A2', '--role', 'app', '--lang', 'zh', '--from', xlsx, '--out', yaml]);
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(yaml, 'utf8')).toContain('assessor: ');
    const out = join(dir, 'out');
    const assessed = await runCli(['assess', '--attest', xlsx, '--level', 'A2', '--role', 'app', '--format', 'json', '--out', out], { SOURCE_DATE_EPOCH: '1795996800' });
    expect([0, 1], assessed.stderr).toContain(assessed.code);
    expect(JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8')).coverage.attested).toBeGreaterThan(0);
  });

  it('refuses --format xlsx without --out and an unknown --format, exit 2', async () => {
    expect((await runCli(['attest', 'init', '--format', 'xlsx'])).code).toBe(2);
    const bad = await runCli(['attest', 'init', '--format', 'docx', '--out', join(dir, 'x.docx')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be yaml or xlsx');
    expect(existsSync(join(dir, 'x.docx'))).toBe(false);
  });
});
