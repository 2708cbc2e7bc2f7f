/**
 * 10.1.2 flow control and blacklists: every route is rate- or concurrency-limited and can refuse listed
 * application parties.
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { EvidenceBundle, SourceLocation } from '../../model/evidence.js';
import type { Outcome } from '../../model/outcome.js';
import { EVIDENCE, loc, routeSubject } from './common.js';

/** Sentinel gw-flow rules from any Spring evidence of the bundle, by route id (resource). */
function sentinelResources(bundle: Readonly<EvidenceBundle>): Map<string, SourceLocation> {
  const m = new Map<string, SourceLocation>();
  for (const g of bundle.gateway) {
    for (const p of g.globalPlugins) if (p.name === 'sentinel-gw-flow' && typeof p.config.resource === 'string') m.set(p.config.resource, p.location);
  }
  return m;
}

export const rateLimit = defineCheck<Record<string, never>>({
  name: 'gateway.rateLimit',
  evidence: EVIDENCE,
  description: 'Every route has flow control: a rate or concurrency limit (10.1.2).',
  params: NO_PARAMS,
  messages: {
    noRateLimit: { zh: '路由 {{route}} 未配置流量控制（限速或并发限制）', en: 'route {{route}} has no flow control (rate or concurrency limit)' },
    rateLimited: { zh: '路由 {{route}} 由 {{plugins}} 限流', en: 'route {{route}} is flow-controlled by {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    const sentinel = sentinelResources(bundle);
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        const plugins = r.rateLimits.map((x) => x.plugin);
        const s = g.format === 'spring' && r.name ? sentinel.get(r.name) : undefined;
        if (s) plugins.push('sentinel gw-flow');
        // every place that limits the route, as data (the Sentinel rule lives in another file)
        const locations = [...r.rateLimits.map((x) => ({ ...x.location, subject: x.plugin })), ...(s ? [{ ...s, subject: `sentinel gw-flow ${r.name}` }] : [])];
        if (plugins.length) out.push({ status: 'pass', messageId: 'rateLimited', data: { route, plugins: [...new Set(plugins)].join(', ') }, ...(locations.length > 1 || s ? { locations } : {}), ...base });
        else out.push({ status: 'fail', messageId: 'noRateLimit', data: { route }, ...base });
      }
    }
    return out;
  },
});

export const blacklist = defineCheck<Record<string, never>>({
  name: 'gateway.blacklist',
  evidence: EVIDENCE,
  description: 'Every route can refuse listed application parties: a deny list, or a consumer restriction/ACL (10.1.2).',
  params: NO_PARAMS,
  messages: {
    noBlacklist: { zh: '路由 {{route}} 不具备应用方黑名单能力（无拒绝列表或消费者限制）', en: 'route {{route}} has no blacklist capability (no deny list or consumer restriction)' },
    blacklist: { zh: '路由 {{route}} 由 {{plugins}} 提供黑名单能力', en: 'route {{route}} can refuse application parties via {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        const lists = r.accessLists.filter((a) => a.mode === 'deny' || a.plugin === 'acl' || a.plugin === 'consumer-restriction').map((a) => a.plugin);
        const consumerPlugins = r.plugins.filter((p) => p.name === 'acl' || p.name === 'consumer-restriction').map((p) => p.name);
        const all = [...new Set([...lists, ...consumerPlugins])];
        if (all.length) out.push({ status: 'pass', messageId: 'blacklist', data: { route, plugins: all.join(', ') }, ...base });
        else out.push({ status: 'fail', messageId: 'noBlacklist', data: { route }, ...base });
      }
    }
    return out;
  },
});

