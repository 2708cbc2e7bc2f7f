/**
 * An nginx access log in a custom `log_format` is read with the format the `--gateway` nginx config declares for
 * the file it writes (issue 6: "a custom log_format taken from a gateway config when one is given").
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInputs } from '../src/collect.js';

describe('nginx log_format from the gateway config', () => {
  it('parses a sample of the file the config writes with its declared format, and not another file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrt-logfmt-'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      [
        'http {',
        "  log_format openapi '$time_iso8601|$request_id|$http_x_app_id|$http_x_u_api_id|$request_time|$status|$request';",
        '  server {',
        '    listen 443 ssl;',
        '    access_log /var/log/nginx/openapi-access.log openapi;',
        '    location /v1/ { proxy_pass http://backend; }',
        '  }',
        '}',
      ].join('\n'),
    );
    const line = '2026-11-20T09:12:03+08:00|4f1c2a9e|APP2026FINTECH0001|OPC123450201000100000100|0.042|200|GET /v1/accounts/acc_1/balance HTTP/1.1';
    const sample = join(dir, 'openapi-access.log.1');
    writeFileSync(sample, `${line}\n${line}\n`);
    const other = join(dir, 'other.log');
    writeFileSync(other, `${line}\n`);
    const { bundle } = await collectInputs({ gateway: [conf], logs: [sample, other] });
    const [ours, theirs] = bundle.logs;
    expect(ours!.format).toBe('custom-nginx');
    expect(ours!.fields.map((f) => [f.field, f.present, f.examined])).toEqual([
      ['serial-number', 2, 2],
      ['app-id', 2, 2],
      ['u-api-id', 2, 2],
      ['duration', 2, 2],
      ['timestamp', 2, 2],
      ['result', 2, 2],
    ]);
    expect(theirs!.format).not.toBe('custom-nginx');
  });
});
