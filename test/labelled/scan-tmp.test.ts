import { it } from 'vitest';
import { join } from 'node:path';
import { CORPUS } from './openapi-precision.js';
import { collectOpenApi } from '../../src/collectors/openapi/index.js';
import { openapiChecks } from '../../src/checks/openapi.js';
import { emptyBundle } from '../../src/model/evidence.js';
it('time', async () => {
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    const { evidence } = await collectOpenApi(join(CORPUS, 'openapi/stripe-spec3-2022-04.json'));
    const t1 = performance.now(); const c1 = process.cpuUsage(c0);
    let n = 0;
    for (const c of openapiChecks) n += c.run({ ...emptyBundle(), openapi: [evidence] }, {}, { level: 'A2' }).length;
    const t2 = performance.now(); const c2 = process.cpuUsage(c0);
    console.log('TIME cpu collect', (c1.user/1000).toFixed(0), 'cpu checks', ((c2.user - c1.user)/1000).toFixed(0), 'outcomes', n, 'nodes', evidence.operations.reduce((a, op) => a + op.responses.reduce((b, r) => b + r.content.reduce((c, m) => c + m.nodes.length, 0), 0), 0));
  }
}, 600000);
