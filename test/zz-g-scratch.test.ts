import { it } from 'vitest';
import { runCli } from './run-cli.js';
it('scratch', async () => {
  for (const f of ['compliant-bank', 'leaky-bank', 'partner-app']) {
    const r = await runCli(['report', `reports/${f}/jrt0185-report.json`, '--format', 'html,pdf', '--out', `/tmp/g-out/${f}`, '--report-info', `fixtures/${f}/report-info.yaml`, '--lang', 'zh']);
    console.log(f, r.code, r.stderr);
  }
}, 200000);
