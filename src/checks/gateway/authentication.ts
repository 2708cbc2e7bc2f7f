/**
 * 9.2.1 authentication at the gateway: every route authenticates the application party (b1), A2 routes require a
 * client certificate or an asymmetric signature (b2), token lifetimes are bounded (b3).
 */
import { defineCheck, NO_PARAMS } from '../registry.js';
import type { Outcome } from '../../model/outcome.js';
import type { GatewayPluginEvidence } from '../../model/evidence.js';
import { EVIDENCE, loc, routeSubject, where } from './common.js';
import { allOperations, routeLevel } from './route-match.js';

export const routeAuthentication = defineCheck<Record<string, never>>({
  name: 'gateway.routeAuthentication',
  evidence: EVIDENCE,
  description: 'Every route authenticates the application party (9.2.1 b1).',
  params: NO_PARAMS,
  messages: {
    noAuthentication: { zh: '路由 {{route}} 未配置应用方身份认证', en: 'route {{route}} has no application-party authentication' },
    authenticated: { zh: '路由 {{route}} 由 {{plugins}} 认证应用方', en: 'route {{route}} authenticates the application party with {{plugins}}' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        if (r.auth.length) out.push({ status: 'pass', messageId: 'authenticated', data: { route, plugins: [...new Set(r.auth.map((a) => a.plugin))].join(', ') }, location: loc(r.location), subject: routeSubject(g, r) });
        else out.push({ status: 'fail', messageId: 'noAuthentication', data: { route }, location: loc(r.location), subject: routeSubject(g, r) });
      }
    }
    return out;
  },
});


const STRONG_AUTH = new Set(['mtls', 'signature']);

function pluginArgs(p: GatewayPluginEvidence): string[] {
  const a = p.config.args;
  return Array.isArray(a) ? a.map(String) : typeof p.config.value === 'string' ? [p.config.value] : [];
}

/** nginx `ssl_verify_client optional|optional_no_ca`, ingress-nginx `auth-tls-verify-client`, Spring `client-auth: want`. */
function isOptionalClientCert(p: GatewayPluginEvidence): boolean {
  return /^(ssl_verify_client|auth-tls-verify-client|server\.ssl\.client-auth|client certificate validation)$/.test(p.name) && /^(optional|optional_no_ca|want)$/i.test(pluginArgs(p)[0] ?? '');
}

export const mutualAuthentication = defineCheck<Record<string, never>>({
  name: 'gateway.mutualAuthentication',
  evidence: EVIDENCE,
  description: 'A2 routes require a client certificate or an asymmetric request signature, not a shared secret alone (9.2.1 b2).',
  params: NO_PARAMS,
  messages: {
    sharedSecretOnly: {
      zh: 'A2 路由 {{route}}（级别来自{{source}}）未要求数字证书或签名，认证方式：{{plugins}}',
      en: 'A2 route {{route}} (level from {{source}}) requires no client certificate or signature; authentication: {{plugins}}',
    },
    mutual: { zh: 'A2 路由 {{route}} 要求 {{plugins}}', en: 'A2 route {{route}} requires {{plugins}}' },
    levelUnjudged: {
      zh: '路由 {{route}} 的级别无法判定：{{reason}}；可能对应 A2 接口，不能视为通过',
      en: 'route {{route}}: its level cannot be told ({{reason}}); it may serve an A2 operation, so it cannot pass',
    },
    clientCertOptional: {
      zh: '{{directive}} 只请求客户端证书而不强制校验：未提供证书的请求仍被接受',
      en: '{{directive}} requests a client certificate but does not enforce it: requests without one are still accepted',
    },
    notA2: { zh: '路由 {{route}} 为 A1 级（级别来自{{source}}）', en: 'route {{route}} is A1 (level from {{source}})' },
  },
  run(bundle, _params, ctx) {
    const out: Outcome[] = [];
    const ops = allOperations(bundle);
    for (const g of bundle.gateway) {
      const optionalSeen = new Set<string>();
      for (const r of g.routes) {
        const judged = routeLevel(g, r, ops, ctx);
        const route = r.name ?? r.paths.join(',');
        const base = { location: loc(r.location), subject: routeSubject(g, r) };
        // a certificate that is requested but not enforced gets its own finding at the directive's line
        if (!r.auth.some((a) => a.kind === 'mtls')) {
          for (const p of r.plugins.filter(isOptionalClientCert)) {
            const key = `${p.location.file}:${p.location.line}`;
            if (optionalSeen.has(key)) continue;
            optionalSeen.add(key);
            const directive = `${p.name} ${pluginArgs(p).join(' ')}`.trim();
            out.push({ status: 'fail', messageId: 'clientCertOptional', data: { directive }, location: loc(p.location), subject: `${g.format} ${directive} ${where(p.location)}` });
          }
        }
        if ('unjudged' in judged) {
          out.push({ status: 'error', messageId: 'levelUnjudged', data: { route, reason: judged.unjudged }, ...base });
          continue;
        }
        const { level, source } = judged;
        if (level !== 'A2') {
          out.push({ status: 'n/a', messageId: 'notA2', data: { route, source }, ...base });
          continue;
        }
        const strong = r.auth.filter((a) => STRONG_AUTH.has(a.kind));
        if (strong.length) out.push({ status: 'pass', messageId: 'mutual', data: { route, plugins: strong.map((a) => a.plugin).join(', ') }, ...base });
        else out.push({ status: 'fail', messageId: 'sharedSecretOnly', data: { route, source, plugins: r.auth.map((a) => `${a.plugin} (${a.kind})`).join(', ') || 'none' }, ...base });
      }
    }
    return out;
  },
});

const LIFETIME_KINDS = new Set(['jwt', 'oauth2', 'oidc']);

export const credentialLifetime = defineCheck<{ maxSeconds?: number }>({
  name: 'gateway.credentialLifetime',
  evidence: EVIDENCE,
  description: 'Token and session lifetimes are bounded (JWT maximum_expiration / exp, OAuth2 token expiry) and, when maxSeconds is given, no longer (9.2.1 b3).',
  params: { type: 'object', additionalProperties: false, properties: { maxSeconds: { type: 'integer', minimum: 1 } } },
  messages: {
    unbounded: { zh: '路由 {{route}} 的 {{plugin}} 未限定令牌有效期', en: 'route {{route}}: {{plugin}} does not bound the token lifetime' },
    tooLong: { zh: '路由 {{route}} 的 {{plugin}} 令牌有效期 {{seconds}} 秒，超过 {{max}} 秒', en: 'route {{route}}: {{plugin}} token lifetime {{seconds}} s exceeds {{max}} s' },
    bounded: { zh: '路由 {{route}} 的 {{plugin}} 令牌有效期 {{seconds}} 秒', en: 'route {{route}}: {{plugin}} token lifetime {{seconds}} s' },
  },
  run(bundle, params) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      for (const r of g.routes) {
        const route = r.name ?? r.paths.join(',');
        for (const a of r.auth.filter((x) => LIFETIME_KINDS.has(x.kind))) {
          const base = { location: loc(a.location), subject: `${routeSubject(g, r)} ${a.plugin}` };
          if (a.maxLifetimeSeconds === undefined) out.push({ status: 'fail', messageId: 'unbounded', data: { route, plugin: a.plugin }, ...base });
          else if (params.maxSeconds !== undefined && a.maxLifetimeSeconds > params.maxSeconds) {
            out.push({ status: 'fail', messageId: 'tooLong', data: { route, plugin: a.plugin, seconds: a.maxLifetimeSeconds, max: params.maxSeconds }, ...base });
          } else out.push({ status: 'pass', messageId: 'bounded', data: { route, plugin: a.plugin, seconds: a.maxLifetimeSeconds }, ...base });
        }
      }
    }
    return out;
  },
});

