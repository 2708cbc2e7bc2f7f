import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { collectLogs } from './index.js';
import { nginxFormatRegex } from './formats.js';

const CORPUS = '/work/shared/corpus/logs';
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-logs-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

const field = (ev: Awaited<ReturnType<typeof collectLogs>>, name: string) => ev.fields.find((f) => f.field === name)!;

describe('collectLogs on the corpus', () => {
  it('reads every file without throwing and recognises its format', async () => {
    const formats: Record<string, string> = {};
    for (const f of readdirSync(CORPUS)) formats[f] = (await collectLogs(join(CORPUS, f))).format;
    expect(formats).toEqual({
      'apisix-file-logger-custom-format.jsonl': 'jsonl',
      'apisix-file-logger-sample.json': 'json',
      'caddy-access-docker-compose.log': 'jsonl',
      'cloudflare-http-requests.json': 'jsonl',
      'combined-access-malformed.log': 'combined',
      'combined-access.log': 'combined',
      'haproxy.log': 'text',
      'iis-w3c.log': 'w3c',
      'kong-file-log-sample-2.2.1.json': 'json',
      'otel-demo-payment-service-pino.jsonl': 'jsonl',
      'vhost-access-with-user-latency.log': 'combined',
      'zeek-http.log': 'zeek',
    });
  });

  it('the payment-service log yields its card number and CVV, masked, and the clear number appears nowhere', async () => {
    const ev = await collectLogs(join(CORPUS, 'otel-demo-payment-service-pino.jsonl'));
    const byName = Object.fromEntries(ev.detections.map((d) => [d.detector, d]));
    expect(byName.pan!.count).toBe(1);
    expect(byName.pan!.samples[0]).toEqual({
      excerpt: 'request.creditCard.creditCardNumber=4929-64**-****-3657',
      field: 'request.creditCard.creditCardNumber',
      location: { file: join(CORPUS, 'otel-demo-payment-service-pino.jsonl'), line: 1 },
    });
    expect(byName.cvv!.samples[0]!.excerpt).toBe('request.creditCard.creditCardCvv=****(3 chars)');
    const json = JSON.stringify(ev);
    expect(json).not.toContain('4929649583333657');
    expect(json).not.toContain('4929-6495-8333-3657');
    expect(json).not.toMatch(/creditCardCvv[^,]*159/);
  });

  it('finds nothing personal in logs full of digit runs that are not cards', async () => {
    for (const f of ['iis-w3c.log', 'zeek-http.log', 'haproxy.log', 'caddy-access-docker-compose.log', 'kong-file-log-sample-2.2.1.json']) {
      expect((await collectLogs(join(CORPUS, f))).detections, f).toEqual([]);
    }
  });

  it('counts the malformed line of a combined log without failing, with its line', async () => {
    const ev = await collectLogs(join(CORPUS, 'combined-access-malformed.log'));
    expect([ev.records, ev.structuredRecords, ev.malformedLines]).toEqual([3, 2, 1]);
    expect(ev.problems[0]!.location.line).toBe(2);
  });

  it('required fields: W3C columns, Zeek columns, pretty-printed Kong and APISIX records', async () => {
    const iis = await collectLogs(join(CORPUS, 'iis-w3c.log'));
    expect(iis.fields.map((f) => [f.field, f.present, f.examined])).toEqual([
      ['serial-number', 0, 210],
      ['app-id', 0, 210],
      ['u-api-id', 0, 210],
      ['duration', 210, 210],
      ['timestamp', 210, 210],
      ['result', 210, 210],
    ]);
    expect(field(iis, 'serial-number').missingSamples[0]).toEqual({ file: join(CORPUS, 'iis-w3c.log'), line: 5 });
    const kong = await collectLogs(join(CORPUS, 'kong-file-log-sample-2.2.1.json'));
    expect(kong.records).toBe(1);
    expect(field(kong, 'duration').matchedNames).toContain('latencies');
    expect(field(kong, 'timestamp').matchedNames).toContain('started_at');
    const apisix = await collectLogs(join(CORPUS, 'apisix-file-logger-sample.json'));
    expect(['duration', 'timestamp', 'result'].map((n) => field(apisix, n).present)).toEqual([1, 1, 1]);
  });
});

describe('collectLogs inputs', () => {
  it('a file that does not exist is an InputError naming it', async () => {
    await expect(collectLogs(join(tmp, 'missing.log'))).rejects.toBeInstanceOf(InputError);
    await expect(collectLogs(join(tmp, 'missing.log'))).rejects.toThrow(/missing\.log: log file not found/);
  });

  it('reads .gz through zlib with the same result as the plain file', async () => {
    const lines = [
      '{"ts":"2024-05-01T10:00:00+08:00","traceId":"a1","appId":"APP1","uApiId":"0101A00000000001","durationMs":12,"result":"00"}',
      '{"ts":"2024-05-01T10:00:01+08:00","traceId":"a2","appId":"APP1","durationMs":9,"result":"00","payer":{"name":"张三","mobile":"13812345678"}}',
    ].join('\n');
    const plain = await collectLogs(write('app.jsonl', `${lines}\n`));
    const gz = await collectLogs(write('app.jsonl.gz', gzipSync(`${lines}\n`)));
    expect(gz.format).toBe('jsonl');
    expect(gz.detections).toEqual(plain.detections.map((d) => ({ ...d, samples: d.samples.map((s) => ({ ...s, location: { ...s.location, file: gz.file } })) })));
    expect(gz.detections.map((d) => [d.detector, d.count, d.samples[0]!.location.line])).toEqual([
      ['mobile', 1, 2],
      ['person-name', 1, 2],
    ]);
    expect(field(gz, 'u-api-id')).toMatchObject({ present: 1, examined: 2, missingSamples: [{ line: 2 }] });
  });

  it('a custom nginx log_format becomes named fields', async () => {
    const fmt = '$remote_addr [$time_local] "$request" $status $request_time $request_id $http_x_app_id $http_x_u_api_id';
    expect(nginxFormatRegex(fmt).variables).toEqual(['remote_addr', 'time_local', 'request', 'status', 'request_time', 'request_id', 'http_x_app_id', 'http_x_u_api_id']);
    const file = write(
      'gw.log',
      '10.0.0.1 [01/May/2024:10:00:00 +0800] "POST /api/v1/pay?cardNo=6222020000123456782 HTTP/1.1" 200 0.012 5f2a9c APP1 0101A00000000001\n' +
        '10.0.0.2 [01/May/2024:10:00:01 +0800] "GET /api/v1/ping HTTP/1.1" 200 0.001 - - -\n' +
        'garbage\n',
    );
    const ev = await collectLogs(file, { nginxLogFormat: fmt });
    expect(ev.format).toBe('custom-nginx');
    expect(ev.fields.map((f) => f.present)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(ev.malformedLines).toBe(1);
    expect(ev.detections.map((d) => [d.detector, d.samples[0]!.excerpt])).toEqual([['pan', '622202*********6782']]);
  });

  it('logfmt, and a field map for house names', async () => {
    const file = write('svc.log', 'level=info at=2024-05-01T10:00:00Z flow=F1 caller=APP9 api=0101A00000000001 took=12ms outcome=ok\n');
    const without = await collectLogs(file);
    expect(without.format).toBe('logfmt');
    expect(without.fields.filter((f) => f.present === 1).map((f) => f.field)).toEqual([]);
    const withMap = await collectLogs(file, {
      fieldMap: { 'serial-number': ['flow'], 'app-id': ['caller'], 'u-api-id': ['api'], duration: ['took'], timestamp: ['at'], result: ['outcome'] },
    });
    expect(withMap.fields.map((f) => f.present)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('byte ranges re-synchronise on newlines and line numbers match a sequential read', async () => {
    const rows: string[] = [];
    for (let i = 1; i <= 400; i += 1) {
      rows.push(i % 97 === 0 ? `2024-05-01 10:00:00 INFO pay card=4929649583333657 n=${i}` : `2024-05-01 10:00:00 INFO request ${i} ok 中文字符`);
    }
    const file = write('ranges.log', `${rows.join('\n')}\n`);
    const sequential = await collectLogs(file, { workers: 1 });
    const ranged = await collectLogs(file, { workers: 3 });
    expect(ranged.lines).toBe(400);
    expect(ranged.detections).toEqual(sequential.detections);
    expect(ranged.detections[0]!.samples.map((s) => s.location.line)).toEqual([97, 194, 291, 388]);
  });

  it('keeps the first sampleCap locations per detector but counts them all', async () => {
    const file = write('many.log', Array.from({ length: 12 }, (_, i) => `user mobile 1381234${String(5600 + i)}`).join('\n'));
    const ev = await collectLogs(file, { sampleCap: 3 });
    expect(ev.detections).toEqual([
      { detector: 'mobile', count: 12, samples: [1, 2, 3].map((line) => ({ excerpt: expect.stringMatching(/^138\*{4}\d{4}$/), location: { file, line } })) },
    ]);
  });

  it('an empty file is zero lines, not an error; a broken gzip is an InputError', async () => {
    const empty = await collectLogs(write('empty.log', ''));
    expect([empty.format, empty.lines, empty.records, empty.detections, empty.fields]).toEqual(['text', 0, 0, [], []]);
    const broken = write('broken.log.gz', Buffer.concat([gzipSync('{"a":1}\n'.repeat(100)).subarray(0, 30), Buffer.from('not gzip at all')]));
    await expect(collectLogs(broken)).rejects.toBeInstanceOf(InputError);
  });

  it('a pretty-printed JSON array of records: one record each, detections on the line of their value', async () => {
    const file = write(
      'export.json',
      JSON.stringify([{ time: '2024-05-01T10:00:00Z', status: 200 }, { time: '2024-05-01T10:00:01Z', status: 500, customer: { mobile: '13912345678' } }], null, 2),
    );
    const ev = await collectLogs(file);
    expect([ev.format, ev.records, ev.structuredRecords]).toEqual(['json', 1, 2]);
    expect(ev.detections.map((d) => [d.detector, d.samples[0]!.field, d.samples[0]!.location.line])).toEqual([['mobile', '[1].customer.mobile', 10]]);
  });

  it('Windows line endings and a last line without newline', async () => {
    const ev = await collectLogs(write('crlf.jsonl', '{"traceId":"a","status":200}\r\n{"traceId":"b","status":500,"pwd":"hunter2"}'));
    expect([ev.lines, ev.structuredRecords, ev.malformedLines]).toEqual([2, 2, 0]);
    expect(ev.detections.map((d) => [d.detector, d.samples[0]!.location.line])).toEqual([['password', 2]]);
  });

  it('a Zeek column named password is judged by its name; unset values are not', async () => {
    const header = ['#separator \\x09', '#fields\tts\tuid\tmethod\thost\turi\tstatus_code\tusername\tpassword'].join('\n');
    const rows = ['1320279566.452687\tC1\tGET\tbank.example\t/login\t200\talice\t-', '1320279567.000001\tC2\tPOST\tbank.example\t/login\t302\tbob\tS3cr3t!'];
    const ev = await collectLogs(write('http.log', `${header}\n${rows.join('\n')}\n`));
    expect(ev.format).toBe('zeek');
    expect(ev.detections.map((d) => [d.detector, d.count, d.samples[0]!.location.line, d.samples[0]!.excerpt])).toEqual([['password', 1, 4, 'password=****(7 chars)']]);
  });
});

describe('bounded reading (issue 11): line cap, gzip ratio cap, problems on the evidence', () => {
  const FIVE_MB = 5 * 1024 * 1024;
  const pathological = (unit: string): string => unit.repeat(Math.ceil(FIVE_MB / unit.length));

  it.each([
    ['jsonl', '{"msg":"ok","traceId":"a1"}'],
    ['text', '2024-05-01 12:00:00 INFO ok'],
  ])('%s: 5 MB lines (`eyJaaaa.`, `password: ` repeated) are skipped and counted, later lines keep their numbers', async (kind, ordinary) => {
    const last = kind === 'jsonl' ? '{"msg":"mobile 13812345678"}' : `${ordinary} mobile 13812345678`;
    const lines = [ordinary, pathological('eyJaaaa.'), ordinary, pathological('password: '), last];
    const file = write(`long.${kind === 'jsonl' ? 'jsonl' : 'log'}`, `${lines.join('\n')}\n`);
    const ev = await collectLogs(file);
    expect(ev.lines).toBe(5);
    expect(ev.problems).toEqual([
      { message: '2 line(s) longer than the line cap were skipped unread; first at lines 2, 4', location: { file, line: 2 }, hidesEvidence: true },
    ]);
    // The line after them is still read, under its own number.
    expect(ev.detections.find((d) => d.detector === 'mobile')?.samples.map((s) => s.location.line)).toEqual([5]);
  });

  it('a line longer than the cap across read blocks is dropped as it streams in, and counted once', async () => {
    const long = `x=${'a'.repeat(200_000)}`;
    const file = write('carry.log', `first 13812345678\n${long}\n${long}\nlast 13912345678`);
    const ev = await collectLogs(file, { maxLineBytes: 4096 });
    expect(ev.lines).toBe(4);
    expect(ev.problems.map((p) => [p.location.line, p.hidesEvidence])).toEqual([[2, true]]);
    expect(ev.problems[0]!.message).toContain('2 line(s) longer than the line cap');
    expect(ev.detections.find((d) => d.detector === 'mobile')?.samples.map((s) => s.location.line)).toEqual([1, 4]);
  });

  it('a gzip bomb is read up to the ratio cap, then stops with a problem that hides evidence', async () => {
    const line = `${'a'.repeat(1023)}\n`;
    const inflated = Buffer.from(line.repeat(70 * 1024)); // 70 MiB of ordinary lines
    const file = write('bomb.log.gz', gzipSync(inflated, { level: 9 }));
    const ev = await collectLogs(file);
    expect(ev.lines).toBeLessThan(70 * 1024);
    expect(ev.problems.at(-1)).toMatchObject({ location: { file }, hidesEvidence: true });
    expect(ev.problems.at(-1)!.message).toMatch(/^gzip data inflates beyond 64 MiB \(the decompression ratio cap\)/);
  });

  it('an ordinary .gz log is read whole, with no problem', async () => {
    const file = write('ok.log.gz', gzipSync(Buffer.from('2024-05-01 INFO one\n2024-05-01 INFO two 13812345678\n')));
    const ev = await collectLogs(file);
    expect([ev.lines, ev.problems]).toEqual([2, []]);
  });

  it('malformed lines become one problem with their first 20 line numbers; they were still examined', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `{"traceId":"t${i}","status":200}` : `not json ${i}`));
    const file = write('mixed.jsonl', `${lines.join('\n')}\n`);
    const ev = await collectLogs(file);
    expect(ev.malformedLines).toBe(15);
    expect(ev.problems).toEqual([
      {
        message: '15 malformed line(s) (not a JSON object), examined as plain text; first at lines 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30',
        location: { file, line: 2 },
      },
    ]);
  });

  it('text logs whose lines start with `[` are text, not pretty-printed JSON (Apache error log, Proxifier, Envoy)', async () => {
    const apache = write('error.log', '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties\n[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n');
    const array = write('records.json', '[\n  {"traceId": "a", "status": 200}\n]\n');
    expect([(await collectLogs(apache)).format, (await collectLogs(array)).format]).toEqual(['text', 'json']);
    expect((await collectLogs(apache)).problems).toEqual([]);
  });

  it("Kong's route is the U_API_ID source", async () => {
    const rec = { request: { id: 'r1' }, route: { id: 'b1c3', name: 'payments' }, consumer: { id: 'c1' }, latencies: { request: 3 }, started_at: 1, response: { status: 200 } };
    const file = write('kong.jsonl', `${JSON.stringify({ ...rec, request: { id: 'r1' }, traceId: 'x' })}\n`);
    const ev = await collectLogs(file);
    expect(field(ev, 'u-api-id')).toMatchObject({ present: 1, examined: 1, matchedNames: ['route'] });
  });
});

describe('.gz read in one thread and scanned in blocks (the worker path, here in-thread)', () => {
  it('gives the same lines, counts and problems as the plain file, across many blocks', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 60_000; i += 1) {
      if (i % 7919 === 0) lines.push(`2024-05-01 INFO pay card=4111111111111111 mobile 13812345678 n=${i}`);
      else if (i === 30_001) lines.push(`x=${'a'.repeat(300_000)}`);
      else lines.push(`2024-05-01 12:00:00 INFO c.b.p.Handler - traceId=${(i * 2654435761).toString(16)} orderNo=2024050100${i} cost=${i % 900}ms status=200`);
    }
    const text = `${lines.join('\n')}\n`;
    const plain = write('blocks.log', text);
    const gz = write('blocks.log.gz', gzipSync(Buffer.from(text)));
    const opts = { maxLineBytes: 100_000, sampleCap: 100 };
    const a = await collectLogs(plain, { ...opts, workers: 1 });
    const b = await collectLogs(gz, { ...opts, workers: 2 });
    const view = (ev: typeof a) => ({ lines: ev.lines, records: ev.records, problems: ev.problems.map((p) => ({ ...p, location: { ...p.location, file: 'f' } })), detections: ev.detections.map((d) => [d.detector, d.count, d.samples.map((s) => s.location.line)]) });
    expect(view(b)).toEqual(view(a));
    expect(view(a).detections).toEqual([
      ['mobile', 7, [7919, 15838, 23757, 31676, 39595, 47514, 55433]],
      ['pan', 7, [7919, 15838, 23757, 31676, 39595, 47514, 55433]],
    ]);
    expect(a.problems.map((p) => p.location.line)).toEqual([30_001]);
  });
});
