import { it } from 'vitest';
import { assess } from '../../src/assess.js';
it('x', async () => {
  const r = await assess({ openapi: ['../shared/corpus/openapi/xero-bankfeeds.yaml'], level: 'A2', now: new Date('2026-12-01T00:00:00Z') });
  for (const f of r.findings.slice(0, 12)) console.log('F', f.check, f.status, JSON.stringify(f.location));
});
