// npm run reports: renders every fixture bank's sample reports into reports/<fixture>/ with a pinned clock
// (SOURCE_DATE_EPOCH), through the built CLI and the fixture's own jrt0185.config.yaml. test/reports.test.ts
// renders the same in-process and fails when reports/ has drifted.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_EPOCH = '1795996800'; // 2026-11-30T00:00:00Z (2026-11-30 08:00 in Asia/Shanghai)
export const SAMPLE_FORMATS = 'json,html,sarif,junit,markdown,csv';

for (const name of readdirSync(join(root, 'fixtures')).sort()) {
  const config = join('fixtures', name, 'jrt0185.config.yaml');
  if (!existsSync(join(root, config))) continue;
  const out = join('reports', name);
  rmSync(join(root, out), { recursive: true, force: true });
  const r = spawnSync(process.execPath, ['bin/jrt0185.js', 'assess', '--config', config, '--format', SAMPLE_FORMATS, '--out', out], {
    cwd: root,
    env: { ...process.env, SOURCE_DATE_EPOCH: SAMPLE_EPOCH, NO_COLOR: '1', CI: 'true' },
    encoding: 'utf8',
  });
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(r.stderr);
    process.exit(2);
  }
  process.stdout.write(`reports/${name}: gate ${r.status === 0 ? 'passed' : 'failed'}\n`);
}
