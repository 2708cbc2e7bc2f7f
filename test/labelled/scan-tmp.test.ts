import { it } from 'vitest';
import { join } from 'node:path';
import { CORPUS } from './openapi-precision.js';
import { collectOpenApi } from '../../src/collectors/openapi/index.js';
import { requestProtections } from '../../src/checks/openapi/request-protection.js';
it('sig', async () => {
  const { evidence } = await collectOpenApi(join(CORPUS, 'openapi/obuk-account-info-openapi-v4.yaml'));
  const op = evidence.operations.find((o) => o.path === '/account-access-consents' && o.method === 'post')!;
  console.log('SIG', JSON.stringify(requestProtections(op)), JSON.stringify(op.parameters.filter((p) => /sig/i.test(p.name)).map((p) => [p.name, p.required, p.description?.slice(0, 300)])));
});
