import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReportInfo, reportInfoFromConfig, withReportInfo } from './report-info.js';
import { loadSample } from './testing.js';
import { inputProblems } from '../testing.js';

const dir = mkdtempSync(join(tmpdir(), 'jrt-report-info-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}


describe('report metadata (--report-info)', () => {
  it('reads every key of a fixture bank', async () => {
    const info = await loadReportInfo('fixtures/compliant-bank/report-info.yaml');
    expect(info).toEqual({
      reportNumber: 'FTS-JRT0185-2026-031',
      client: '示范商业银行股份有限公司 金融科技部',
      assessedParty: '示范商业银行开放平台',
      organisation: '金融科技安全测评中心（虚构）',
      assessors: ['李静', '周明'],
      reviewer: '陈思远',
      approver: '郑海',
      period: { from: '2026-11-02', to: '2026-11-20' },
      scope: expect.stringContaining('开放平台 A1/A2 类接口'),
      method: expect.stringContaining('依据 JR/T 0185-2020 逐条评估'),
      limitations: expect.stringContaining('未对生产环境进行在线探测'),
      timeZone: 'Asia/Shanghai',
    });
  });

  it('reports each problem at its file:line: unknown key, wrong type, not a date, period backwards, unknown zone', async () => {
    const bad = file(
      'bad.yaml',
      ['reportNumber: R-1', 'clinet: typo', 'assessors: 王敏', 'period:', '  from: 2026-11-20', '  to: 2026-11-01', 'timeZone: Mars/Olympus'].join('\n'),
    );
    const found = await inputProblems(() => loadReportInfo(bad));
    expect(found).toEqual([`${bad}:2:9: report information: (top level): unknown property "clinet"`, `${bad}:3:12: report information: /assessors: must be array`]);
    const dates = file('dates.yaml', ['period:', '  from: 2026-02-30', '  to: 2026-01-01', 'timeZone: Mars/Olympus'].join('\n'));
    expect(await inputProblems(() => loadReportInfo(dates))).toEqual([
      `${dates}:2:9: period.from "2026-02-30" is not a real date`,
      `${dates}:4:11: timeZone "Mars/Olympus" is not a known IANA time zone (e.g. Asia/Shanghai)`,
    ]);
    const backwards = file('backwards.yaml', ['period:', '  from: 2026-11-20', '  to: 2026-11-01'].join('\n'));
    expect(await inputProblems(() => loadReportInfo(backwards))).toEqual([`${backwards}:2:3: period runs backwards: from 2026-11-20 is after to 2026-11-01`]);
    const list = file('list.yaml', '- a\n- b\n');
    expect((await inputProblems(() => loadReportInfo(list)))[0]).toMatch(/:1:1: report information must be a mapping/);
  });

  it('takes the mapping inline in the config file, with lines in the config file', async () => {
    const config = file('jrt0185.config.yaml', ['name: x', 'reportInfo:', '  reportNumber: R-2', '  approver: 12'].join('\n'));
    expect(await inputProblems(() => reportInfoFromConfig(config, { reportNumber: 'R-2', approver: 12 }))).toEqual([`${config}:4:13: report information: /approver: must be string`]);
    expect(await reportInfoFromConfig(config, { reportNumber: 'R-2' })).toEqual({ reportNumber: 'R-2' });
  });

  it('places the metadata beside the run date in the result', () => {
    const { report: _drop, ...bare } = loadSample();
    const keys = Object.keys(withReportInfo(bare, { reportNumber: 'R-3' }));
    expect(keys.slice(keys.indexOf('generatedAt'), keys.indexOf('generatedAt') + 2)).toEqual(['generatedAt', 'report']);
  });

});
