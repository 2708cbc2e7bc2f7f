import { it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { collectGateway } from './index.js';
it('s', async () => {
  const root = '/work/shared/corpus';
  const files = ['k8s', ...['kong','apisix','nginx','other'].map((d) => `gateway/${d}`)].flatMap((d) => readdirSync(join(root, d)).sort().map((f) => `${d}/${f}`));
  for (const f of files) {
    try {
      const ev = await collectGateway(join(root, f));
      const h = ev.problems.filter((p) => p.hidesEvidence).length;
      console.log(`ROW  ['${f}', { format: '${ev.format}', routes: ${ev.routes.length}, listeners: ${ev.listeners.length}, credentials: ${ev.credentials.length}, hiding: ${h} }],`);
    } catch (e) { console.log(`ROW  ['${f}', { refused: ${JSON.stringify((e as Error).message.replace(/^.*?: /, '').slice(0, 60))} }],`); }
  }
});
