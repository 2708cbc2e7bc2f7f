/**
 * 12.1 inventory: gateway routes and the interface description agree (no shadow or undocumented API, no
 * described operation without a route).
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { GatewayConfigEvidence, RouteEvidence } from '../../model/evidence.js';
import type { Outcome } from '../../model/outcome.js';
import { loc, routeSubject, where } from './common.js';
import { allOperations, type OpRef, routeExposes } from './route-match.js';

function opName(ref: OpRef): string {
  return `${ref.op.method.toUpperCase()} ${ref.op.path}`;
}

function opWhere(ref: OpRef): string {
  const l = ref.op.location;
  return `${l.file}${l.pointer !== undefined ? `#${l.pointer}` : l.line !== undefined ? `:${l.line}` : ''}`;
}

export const routeInventory = defineCheck<Record<string, never>>({
  name: 'gateway.routeInventory',
  evidence: ['gateway', 'openapi'],
  description: 'Gateway routes and the interface description agree: no route exposes undescribed paths, no described operation is left without a route (12.1).',
  params: NO_PARAMS,
  messages: {
    undocumentedRoute: {
      zh: '路由 {{route}}（{{paths}}）暴露的路径未在接口描述中定义（影子接口）',
      en: 'route {{route}} ({{paths}}) exposes paths the interface description does not describe (shadow API)',
    },
    documentedRoute: { zh: '路由 {{route}} 对应接口 {{operations}}', en: 'route {{route}} serves {{operations}}' },
    unexposedOperation: {
      zh: '接口 {{operation}} 没有任何网关路由暴露',
      en: 'operation {{operation}} is exposed by no gateway route',
    },
    exposedOperation: { zh: '接口 {{operation}} 由路由 {{route}} 暴露', en: 'operation {{operation}} is exposed by route {{route}}' },
    routeUnjudged: {
      zh: '路由 {{route}} 暴露哪些接口无法判定：{{reason}}',
      en: 'route {{route}}: which operations it exposes cannot be told ({{reason}})',
    },
    operationUnjudged: {
      zh: '接口 {{operation}} 是否由网关路由暴露无法判定（路由的正则表达式无法求值）',
      en: 'operation {{operation}}: whether a gateway route exposes it cannot be told (a route regex cannot be evaluated)',
    },
    noOpenApi: { zh: '未提供接口描述，无法比对路由清单', en: 'no interface description given: the route inventory cannot be compared' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    const ops = allOperations(bundle);
    if (!ops.length) {
      for (const g of bundle.gateway) out.push({ status: 'n/a', messageId: 'noOpenApi', location: { file: g.file }, subject: `${g.format} ${g.file}` });
      return out;
    }
    const exposedBy = new Map<OpRef, { g: GatewayConfigEvidence; r: RouteEvidence }>();
    const unjudgedOps = new Set<OpRef>();
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const matched: OpRef[] = [];
        let unjudged: { unjudged: string } | undefined;
        for (const o of ops) {
          const e = routeExposes(g, r, o);
          if (e === true) matched.push(o);
          else if (e !== false) {
            unjudged ??= e;
            unjudgedOps.add(o);
          }
        }
        for (const m of matched) if (!exposedBy.has(m)) exposedBy.set(m, { g, r });
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        if (matched.length) {
          const names = matched.slice(0, 5).map(opName).join(', ') + (matched.length > 5 ? ` (+${matched.length - 5})` : '');
          const locations = matched.map((m) => ({ ...m.op.location, subject: opName(m) }));
          out.push({ status: 'pass', messageId: 'documentedRoute', data: { route, operations: names, operationLocation: opWhere(matched[0]!) }, locations, ...base });
        } else if (unjudged) out.push({ status: 'error', messageId: 'routeUnjudged', data: { route, reason: unjudged.unjudged }, ...base });
        else out.push({ status: 'fail', messageId: 'undocumentedRoute', data: { route, paths: r.paths.join(', ') || '/' }, ...base });
      }
    }
    for (const ref of ops) {
      const by = exposedBy.get(ref);
      const subject = `operation ${opName(ref)}`;
      if (by) {
        out.push({ status: 'pass', messageId: 'exposedOperation', data: { operation: opName(ref), operationLocation: opWhere(ref), route: by.r.name ?? by.r.paths.join(','), routeLocation: where(by.r.location) }, location: loc(by.r.location), locations: [{ ...loc(by.r.location), subject: routeSubject(by.g, by.r) }, { ...ref.op.location, subject }], subject });
      } else if (unjudgedOps.has(ref)) {
        out.push({ status: 'error', messageId: 'operationUnjudged', data: { operation: opName(ref), operationLocation: opWhere(ref) }, location: loc(ref.op.location), subject });
      } else {
        out.push({ status: 'fail', messageId: 'unexposedOperation', data: { operation: opName(ref), operationLocation: opWhere(ref) }, location: loc(ref.op.location), subject });
      }
    }
    return out;
  },
});

