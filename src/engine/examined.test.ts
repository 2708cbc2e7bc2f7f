/**
 * Evidence for passes, on the compliant fixture bank (fixtures/compliant-bank: OpenAPI 3.1, Kong, JSON-lines gateway
 * log): every automatic pass carries `pass` findings saying how many operations, routes, listeners and records its
 * checks examined, with their places; counts are checked against the collected evidence itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../assess.js';
import { collectInputs } from '../collect.js';
import type { AssessmentResult } from '../model/result.js';
import type { EvidenceBundle } from '../model/evidence.js';
import { MAX_EXAMINED_LOCATIONS } from './examined.js';

const inputs = {
  openapi: ['fixtures/compliant-bank/openapi.yaml'],
  gateway: ['fixtures/compliant-bank/gateway/kong.yaml'],
  logs: ['fixtures/compliant-bank/logs/openapi-access.jsonl'],
};
let result: AssessmentResult;
let bundle: EvidenceBundle;

beforeAll(async () => {
  result = await assess({ ...inputs, level: 'A2', role: 'bank', now: new Date('2026-11-30T00:00:00Z') });
  bundle = (await collectInputs({ ...inputs, logsParty: 'bank' })).bundle;
}, 60_000);

describe('examined findings', () => {
  it('every automatic pass says what was examined; nothing else gets one', () => {
    const passes = result.requirements.filter((r) => r.status === 'pass');
    expect(passes.length).toBeGreaterThan(5);
    const examined = result.findings.filter((f) => f.messageId === 'examined');
    expect(new Set(examined.map((f) => f.ruleId))).toEqual(new Set(passes.map((r) => r.ruleId)));
    for (const f of examined) expect(f.status).toBe('pass');
  });

  it('counts operations, routes, listeners and records exactly, with their places', () => {
    const operations = bundle.openapi.flatMap((d) => d.operations);
    const servers = bundle.openapi.reduce((n, d) => n + d.servers.length, 0);
    const routes = bundle.gateway.flatMap((g) => g.routes).length;
    const listeners = bundle.gateway.flatMap((g) => g.listeners).length;
    const records = bundle.logs.reduce((n, l) => n + l.records, 0);
    const lines = bundle.logs.reduce((n, l) => n + l.lines, 0);
    const messages = new Set(result.findings.filter((f) => f.messageId === 'examined').map((f) => f.message.en));
    const s = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    expect(messages).toContain(`examined ${s(operations.length, 'operation')} and ${s(servers, 'server URL')} in 1 OpenAPI description`);
    expect(messages).toContain(`examined ${s(routes, 'route')} and ${s(listeners, 'listener')} in 1 gateway configuration`);
    expect(messages).toContain(`examined ${s(records, 'record')} (${s(lines, 'line')}) in 1 log file`);
    const openapi = result.findings.find((f) => f.messageId === 'examined' && f.message.en.includes('operation'))!;
    expect(openapi.message.zh).toBe(`已检查 1 份 OpenAPI 描述中的 ${operations.length} 个接口操作、${servers} 个服务地址`);
    expect(openapi.locations).toHaveLength(Math.min(operations.length, MAX_EXAMINED_LOCATIONS));
    const first = operations[0]!;
    expect(openapi.locations![0]).toMatchObject({ file: 'fixtures/compliant-bank/openapi.yaml', subject: `${first.method.toUpperCase()} ${first.path}` });
    // Pointers were resolved to lines like any finding's locations.
    for (const l of openapi.locations!) expect(l.line).toBeGreaterThan(0);
  });

  it('a failed requirement gets no examined finding, and the requirement\'s counts are unchanged by them', () => {
    for (const r of result.requirements.filter((q) => q.status !== 'pass')) {
      expect(result.findings.some((f) => f.ruleId === r.ruleId && f.messageId === 'examined')).toBe(false);
    }
    for (const r of result.requirements.filter((q) => q.status === 'pass')) expect(r.findingCounts.fail ?? 0).toBe(0);
  });
});
