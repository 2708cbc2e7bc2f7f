/**
 * Evidence for passes: what a passing requirement's checks looked at — how many operations, routes, listeners,
 * records, connections and requests, and where — as `pass` findings (messageId `examined`), one per evidence kind
 * the rule's checks consume. A bank reading "pass" can then see what was examined, not only the rule's text.
 * Computed from the evidence bundle alone (checks stay pure and unchanged); the places are listed up to a cap,
 * the counts are always whole.
 */
import type { EvidenceBundle, EvidenceKind, RelatedLocation } from '../model/evidence.js';
import type { Rule } from '../model/rulebook.js';
import type { Finding } from '../model/result.js';
import type { CheckRegistry } from '../checks/registry.js';
import { fingerprint } from './fingerprint.js';

/** Places listed per examined finding; a 13 MB spec has thousands of operations, the count says how many. */
export const MAX_EXAMINED_LOCATIONS = 50;

interface Summary {
  message: { zh: string; en: string };
  locations: RelatedLocation[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Whether every item of the kind carries what its summary counts. A replayed bundle (portfolio shards) holds stubs
 * without operations or routes: no summary then, rather than a false "0 operations".
 */
function complete(kind: EvidenceKind, bundle: EvidenceBundle): boolean {
  const items = bundle[kind] as unknown as Record<string, unknown>[];
  const needs = { openapi: ['operations', 'servers'], gateway: ['routes', 'listeners'], logs: ['records', 'lines'], probe: ['requests'] }[kind];
  return items.every((item) => needs.every((key) => item[key] !== undefined));
}

function summarise(kind: EvidenceKind, bundle: EvidenceBundle): Summary | undefined {
  if (!complete(kind, bundle)) return undefined;
  switch (kind) {
    case 'openapi': {
      const docs = bundle.openapi;
      const operations = docs.flatMap((d) => d.operations);
      const servers = docs.reduce((n, d) => n + d.servers.length, 0);
      return {
        message: {
          zh: `已检查 ${docs.length} 份 OpenAPI 描述中的 ${operations.length} 个接口操作、${servers} 个服务地址`,
          en: `examined ${plural(operations.length, 'operation')} and ${plural(servers, 'server URL')} in ${plural(docs.length, 'OpenAPI description')}`,
        },
        locations: operations.map((o) => ({ ...o.location, subject: `${o.method.toUpperCase()} ${o.path}` })),
      };
    }
    case 'gateway': {
      const configs = bundle.gateway;
      const routes = configs.flatMap((g) => g.routes);
      const listeners = configs.flatMap((g) => g.listeners);
      return {
        message: {
          zh: `已检查 ${configs.length} 份网关配置中的 ${routes.length} 条路由、${listeners.length} 个监听端口`,
          en: `examined ${plural(routes.length, 'route')} and ${plural(listeners.length, 'listener')} in ${plural(configs.length, 'gateway configuration')}`,
        },
        locations: [
          ...listeners.map((l) => ({ ...l.location, subject: `listen ${l.address}` })),
          ...routes.map((r) => ({ ...r.location, subject: r.name ?? ([...r.hosts, ...r.paths].join(' ') || undefined) })),
        ],
      };
    }
    case 'logs': {
      const files = bundle.logs;
      const records = files.reduce((n, f) => n + f.records, 0);
      const lines = files.reduce((n, f) => n + f.lines, 0);
      return {
        message: {
          zh: `已检查 ${files.length} 个日志文件中的 ${records} 条记录（共 ${lines} 行）`,
          en: `examined ${plural(records, 'record')} (${plural(lines, 'line')}) in ${plural(files.length, 'log file')}`,
        },
        locations: files.map((f) => ({ file: f.file, subject: `${f.records} records, ${f.format}` })),
      };
    }
    case 'probe': {
      const results = bundle.probe;
      const requests = results.reduce((n, p) => n + p.requests, 0);
      const targets = new Set(results.map((p) => p.target));
      return {
        message: {
          zh: `已探测 ${targets.size} 个目标：${results.length} 次连接检查，共发送 ${requests} 个请求`,
          en: `probed ${plural(targets.size, 'target')}: ${plural(results.length, 'connection check')}, ${plural(requests, 'request')} sent`,
        },
        locations: results.map((p) => ({ file: p.target, target: p.target, subject: `${p.probe}: ${p.requests} requests` })),
      };
    }
  }
}

/** The `pass` findings of a requirement that passed: one per evidence kind its checks consume, in the rule's check order. */
export function examinedFindings(rule: Rule, registry: CheckRegistry, bundle: EvidenceBundle): Finding[] {
  const kinds: EvidenceKind[] = [];
  for (const check of rule.checks) {
    for (const kind of registry.get(check.fn)?.evidence ?? []) if (bundle[kind].length > 0 && !kinds.includes(kind)) kinds.push(kind);
  }
  const out: Finding[] = [];
  for (const kind of kinds) {
    const summary = summarise(kind, bundle);
    if (!summary) continue;
    const checks = rule.checks.filter((c) => registry.get(c.fn)?.evidence.includes(kind)).map((c) => c.fn);
    out.push({
      ruleId: rule.id,
      clause: rule.clause,
      check: checks.join(','),
      status: 'pass',
      severity: rule.severity,
      messageId: 'examined',
      message: summary.message,
      locations: summary.locations.slice(0, MAX_EXAMINED_LOCATIONS).map((l) => ({ ...l })),
      fingerprint: fingerprint({ ruleId: rule.id, check: 'examined', messageId: 'examined', subject: kind }),
    });
  }
  return out;
}
