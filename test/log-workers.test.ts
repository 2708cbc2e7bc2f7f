/**
 * The log scan split over worker threads (files ≥ 32 MiB in production) gives exactly the evidence of the
 * in-thread scan: same detections, counts, lines and field coverage. Worker threads run the built JavaScript, so
 * this test uses dist/ (built by `npm install`; skipped, with the reason in its name, when dist/ is absent).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = resolve('dist/collectors/logs/index.js');

function sampleLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const rec: Record<string, unknown> = { time: 1795219200000 + i, traceId: `t${i}`, appId: 'APP1', uApiId: 'OPC123450201000100000100', durationMs: i % 97, result: 'OK' };
    if (i % 5000 === 17) rec.card = '6217001234567890122'; // unmasked, Luhn-valid
    if (i % 7000 === 3) rec.idCardNo = '110105198706123459';
    if (i % 3000 === 11) rec.account = '621700******0122'; // masked
    if (i % 9000 === 5) delete rec.traceId;
    lines.push(JSON.stringify(rec));
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!existsSync(DIST))(`worker-thread log scan${existsSync(DIST) ? '' : ' (dist/ absent: run npm install or npm run build)'}`, () => {
  it('matches the in-thread scan exactly', async () => {
    const { collectLogs } = (await import(pathToFileURL(DIST).href)) as typeof import('../src/collectors/logs/index.js');
    const file = join(mkdtempSync(join(tmpdir(), 'jrt-workers-')), 'app.jsonl');
    writeFileSync(file, sampleLog());
    const single = await collectLogs(file, { workers: 1 });
    const parallel = await collectLogs(file, { workers: 2, parallelMinBytes: 1 });
    expect(parallel).toEqual(single);
    expect(single.lines).toBe(40_000);
    const pan = single.detections.find((d) => d.detector === 'pan')!;
    expect(pan.count).toBe(8);
    expect(pan.samples.map((s) => s.location.line)).toEqual([18, 5018, 10018, 15018, 20018]);
    expect(single.fields.find((f) => f.field === 'serial-number')).toMatchObject({ present: 40_000 - 5, examined: 40_000 });
  });
});
