/**
 * 7.3.3 / 12.3 logging: every route writes an access log, and a visible log format records the six 7.3.3 fields.
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { Outcome } from '../../model/outcome.js';
import { EVIDENCE, loc, routeSubject } from './common.js';

export const accessLog = defineCheck<Record<string, never>>({
  name: 'gateway.accessLog',
  evidence: EVIDENCE,
  description: 'Every route writes an access log (7.3.3, 12.3).',
  params: NO_PARAMS,
  messages: {
    logged: { zh: '路由 {{route}} 记录访问日志（{{plugins}}）', en: 'route {{route}} writes an access log ({{plugins}})' },
    accessLogOff: { zh: '路由 {{route}} 关闭了访问日志（{{plugins}}）', en: 'route {{route}} turns access logging off ({{plugins}})' },
    noAccessLog: { zh: '路由 {{route}} 未配置访问日志', en: 'route {{route}} has no access logging configured' },
    nodeLogOnly: {
      zh: '路由 {{route}} 未配置日志插件；仅有 {{format}} 节点默认访问日志（不在此文件中）',
      en: 'route {{route}} has no logging plugin; only the {{format}} node default access log (outside this file) would record it',
    },
    jvmAccessLog: {
      zh: '路由 {{route}} 的访问日志不在此文件中：Spring Cloud Gateway 的访问日志由 JVM 参数 -Dreactor.netty.http.server.accessLogEnabled=true 开启，请核实',
      en: 'route {{route}}: Spring Cloud Gateway access logging is switched on outside this file (JVM property -Dreactor.netty.http.server.accessLogEnabled=true); verify it',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { subject: routeSubject(g, r) };
        const on = r.logging.filter((l) => l.enabled);
        const off = r.logging.filter((l) => !l.enabled);
        if (on.length) out.push({ status: 'pass', messageId: 'logged', data: { route, plugins: on.map((l) => l.plugin).join(', ') }, location: loc(r.location), ...base });
        else if (off.length) out.push({ status: 'fail', messageId: 'accessLogOff', data: { route, plugins: off.map((l) => l.plugin).join(', ') }, location: loc(off[0]!.location), ...base });
        else if (g.format === 'kong' || g.format === 'apisix' || g.format === 'kubernetes') out.push({ status: 'warn', messageId: 'nodeLogOnly', data: { route, format: g.format === 'kubernetes' ? 'ingress/gateway controller' : g.format }, location: loc(r.location), ...base });
        // Reactor Netty's access log is a JVM property, never in application.yml: absence here proves nothing.
        else if (g.format === 'spring') out.push({ status: 'warn', messageId: 'jvmAccessLog', data: { route }, location: loc(r.location), ...base });
        else out.push({ status: 'fail', messageId: 'noAccessLog', data: { route }, location: loc(r.location), ...base });
      }
    }
    return out;
  },
});

/** The six 7.3.3 fields and the variable / key names that record them. */
const LOG_FIELDS: Record<string, RegExp> = {
  'serial-number': /^(request_id|http_x_request_id|http_x_trace_id|http_traceparent|trace_?id|transaction_?id|serial_?no|request-id|txn_?id|x_request_id|opentelemetry_trace_id|otel_trace_id|upstream_http_x_request_id)$/i,
  'app-id': /^(http_x_app_id|app_?id|consumer(_name|_id|_username)?|http_x_consumer_(id|username)|jwt_claim_(sub|client_id|azp)|remote_user|client_id|ssl_client_s_dn|ssl_client_serial|http_x_client_id)$/i,
  'u-api-id': /^(http_x_u_api_id|u_?api_?id|x_u_api_id|route_?id|route_?name|api_?id|service_?name|route)$/i,
  duration: /^(request_time|upstream_response_time|latency|latencies|duration|elapsed|response_time|upstream_connect_time|request_latency)$/i,
  timestamp: /^(time_iso8601|time_local|msec|timestamp|@timestamp|time|started_at|created_at|datetime)$/i,
  result: /^(status|response_status|result|upstream_status|status_code|code)$/i,
};
const ALL_FIELDS = Object.keys(LOG_FIELDS);

export const logFields = defineCheck<{ fields?: string[] }>({
  name: 'gateway.logFields',
  evidence: EVIDENCE,
  description: 'Where the access-log format is visible, it records serial number, App_ID, U_API_ID, duration, timestamp and result (7.3.3).',
  params: { type: 'object', additionalProperties: false, properties: { fields: { type: 'array', items: { enum: ALL_FIELDS } } } },
  messages: {
    missingFields: { zh: '日志格式 {{log}} 缺少 7.3.3 要求的字段：{{missing}}', en: 'log format {{log}} lacks the 7.3.3 fields: {{missing}}' },
    allFields: { zh: '日志格式 {{log}} 记录了 7.3.3 要求的全部字段', en: 'log format {{log}} records all 7.3.3 fields' },
    formatNotVisible: { zh: '{{file}} 中的日志格式不可见', en: 'no log format is visible in {{file}}' },
  },
  run(bundle, params) {
    const required = params.fields?.length ? params.fields : ALL_FIELDS;
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      const seen = new Set<string>();
      for (const r of g.routes) {
        for (const l of r.logging) {
          if (!l.enabled || !l.fields) continue;
          const key = `${l.location.file}:${l.location.line}:${l.plugin}`;
          if (seen.has(key)) continue; // one outcome per log definition, not per route inheriting it
          seen.add(key);
          const names = l.fields.map((f) => f.replace(/^\$/, ''));
          const missing = required.filter((f) => !names.some((n) => LOG_FIELDS[f]!.test(n)));
          const base = { location: loc(l.location), subject: `${g.format} log ${l.plugin}` };
          if (missing.length) out.push({ status: 'fail', messageId: 'missingFields', data: { log: l.plugin, missing: missing.join(', ') }, ...base });
          else out.push({ status: 'pass', messageId: 'allFields', data: { log: l.plugin }, ...base });
        }
      }
      if (!seen.size) out.push({ status: 'n/a', messageId: 'formatNotVisible', data: { file: g.file }, location: { file: g.file }, subject: `${g.format} ${g.file}` });
    }
    return out;
  },
});

