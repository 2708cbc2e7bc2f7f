#!/usr/bin/env node
// The README's image of the PDF report: page 1 of the compliant fixture bank's `--format pdf`, rasterised by
// poppler's pdftoppm. Needs `npm run build`, Chromium (or CHROME_PATH) and poppler-utils.
//
//   node scripts/render-pdf-page1.mjs [FIXTURE] [OUT.png]      (default: compliant-bank, docs/report-pdf-page1.png)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = process.argv[2] ?? 'compliant-bank';
const output = resolve(process.argv[3] ?? join(root, 'docs/report-pdf-page1.png'));
const work = mkdtempSync(join(tmpdir(), 'jrt0185-pdf-page1-'));
try {
  const run = spawnSync(process.execPath, ['bin/jrt0185.js', 'assess', '--config', join('fixtures', fixture, 'jrt0185.config.yaml'), '--format', 'pdf', '--out', work], {
    cwd: root,
    env: { ...process.env, SOURCE_DATE_EPOCH: '1795996800', CI: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0 && run.status !== 1) {
    process.stderr.write(run.stderr);
    process.exit(2);
  }
  const shot = spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(work, 'jrt0185-report.pdf'), output.replace(/\.png$/, '')], { encoding: 'utf8' });
  if (shot.status !== 0) {
    process.stderr.write(shot.stderr || 'pdftoppm not found: apt-get install poppler-utils\n');
    process.exit(2);
  }
  console.log(output);
} finally {
  rmSync(work, { recursive: true, force: true });
}
