/**
 * Checks of the `access` family: who may call what (9.3.2 权限控制), which factors identify the application party
 * (7.2.1 a1), and where the user authenticates (7.2.1 b2, 9.3.1 用户身份认证应在商业银行完成). They read OpenAPI
 * descriptions and gateway configurations; the live counterpart (a valid credential without the grant, another
 * party's resource id) is `probe.unauthorizedResourceDenied`.
 *
 * Precision first (a finding a bank can refute costs more than one we miss): authorisation is judged where the
 * evidence shows the bank authorises — a description that requires scopes somewhere, a gateway that restricts
 * consumers on some route. There, an operation or route left open fails; where the evidence shows no such layer at
 * all, the bank may authorise behind it, and the check says so (n/a) instead of failing every interface.
 */
import type { AnyCheck } from './registry.js';
import { defineCheck, NO_PARAMS } from './registry.js';
import type { GatewayConfigEvidence, GatewayPluginEvidence, OpenApiDocumentEvidence, OperationEvidence, RelatedLocation, RouteEvidence, SecurityRequirementEvidence, SecuritySchemeEvidence, SchemaNode } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import { gatedViews, operationName } from './openapi/walk.js';
import { classifyPaymentSensitiveField, nameTokens } from './openapi/vocabulary.js';

// ---------------------------------------------------------------------------------------------
// 9.3.2 对于未授权的资源禁止访问 — OpenAPI: every operation requires scopes
// ---------------------------------------------------------------------------------------------

/** Scheme types whose requirement lists scopes in every OpenAPI version (3.1 lets others list roles too). */
const SCOPED_TYPES = new Set(['oauth2', 'openIdConnect']);

function alternativeScopes(alt: SecurityRequirementEvidence): string[] {
  return alt.schemes.flatMap((s) => s.scopes);
}

/**
 * The authorisation machinery itself (token, revoke, introspect, authorize endpoints) is called to obtain or give up a
 * grant, so it cannot require one: Square's `POST /oauth2/revoke` takes any token by design.
 */
const GRANT_ENDPOINT_WORDS = new Set(['oauth', 'oauth2', 'revoke', 'introspect', 'authorize', 'authorise', 'authorization', 'authorisation']);

function isGrantEndpoint(op: OperationEvidence): boolean {
  return op.path.split('/').some((segment) => GRANT_ENDPOINT_WORDS.has(segment.toLowerCase()));
}

function usesScopes(doc: OpenApiDocumentEvidence): boolean {
  return doc.operations.some((op) => op.security?.some((alt) => alternativeScopes(alt).length > 0));
}

const operationScopes = defineCheck<Record<string, never>>({
  name: 'access.operationScopes',
  evidence: ['openapi'],
  description:
    'Every authenticated operation requires non-empty scopes in each security alternative, where the description authorises by scope: an OAuth2/OpenID Connect requirement with no scope, or an alternative without scopes in a description that uses them, grants every caller everything (9.3.2).',
  params: NO_PARAMS,
  messages: {
    scoped: { zh: '{{operation}} 要求授权范围 {{scopes}}', en: '{{operation}} requires the scopes {{scopes}}' },
    emptyScopes: {
      zh: '按描述，{{operation}} 的安全要求 {{schemes}} 不要求任何授权范围（scope）（本描述的其他接口要求），任何持有令牌的调用方都可访问，未按最小授权原则控制（9.3.2）',
      en: 'as described, {{operation}} requires {{schemes}} with no scope (other operations of this description require scopes): any caller holding a token may call it, so access is not limited to what was granted (9.3.2)',
    },
    unscopedAlternative: {
      zh: '本描述以授权范围控制接口权限，但 {{operation}} 可仅凭 {{schemes}} 调用，不要求任何授权范围（9.3.2）',
      en: 'this description grants access by scope, but {{operation}} can be called with {{schemes}} alone, which requires no scope (9.3.2)',
    },
    scopesNotUsed: {
      zh: '{{file}} 不以授权范围描述接口权限（无 OAuth2/OpenID Connect 授权范围），权限控制可能在网关或服务端，未据此判断',
      en: '{{file}} does not describe authorisation by scope (no OAuth2 / OpenID Connect scopes): access may be controlled at the gateway or the service; not judged from the description',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const doc of bundle.openapi) {
      const scoped = usesScopes(doc);
      let judged = false;
      for (const op of doc.operations) {
        // Unauthenticated operations are app-authentication's finding (9.2.1), not this one's.
        if (!op.security || op.security.length === 0 || op.security.some((alt) => alt.schemes.length === 0) || isGrantEndpoint(op)) continue;
        const operation = operationName(op);
        const base = { subject: operation };
        const emptyScoped = op.security.find((alt) => alternativeScopes(alt).length === 0 && alt.schemes.some((s) => SCOPED_TYPES.has(s.scheme?.type ?? '')));
        const unscoped = op.security.find((alt) => alternativeScopes(alt).length === 0);
        if (emptyScoped && scoped) {
          judged = true;
          out.push({ status: 'fail', messageId: 'emptyScopes', location: emptyScoped.location, data: { operation, schemes: schemeList(emptyScoped) }, ...base });
        } else if (unscoped && scoped) {
          judged = true;
          out.push({ status: 'fail', messageId: 'unscopedAlternative', location: unscoped.location, data: { operation, schemes: schemeList(unscoped) }, ...base });
        } else if (!unscoped) {
          judged = true;
          const scopes = [...new Set(op.security.flatMap(alternativeScopes))].join(', ');
          out.push({ status: 'pass', messageId: 'scoped', location: op.security[0]!.location, data: { operation, scopes }, ...base });
        }
      }
      if (!judged && doc.operations.length > 0) out.push({ status: 'n/a', messageId: 'scopesNotUsed', location: { file: doc.file, pointer: '' }, data: { file: doc.file }, subject: doc.file });
    }
    return out;
  },
});

function schemeList(alt: SecurityRequirementEvidence): string {
  return alt.schemes.map((s) => (s.scopes.length ? `${s.name}[${s.scopes.join(' ')}]` : `${s.name}[]`)).join(' + ');
}

// ---------------------------------------------------------------------------------------------
// 9.3.2 — gateway: a per-route ACL or consumer restriction
// ---------------------------------------------------------------------------------------------

/** Policy engines that decide per request whether the caller may reach the route (Kong and APISIX plugin names). */
const POLICY_PLUGINS = new Set(['opa', 'authz-keycloak', 'authz-casbin', 'authz-casdoor']);

/** How a route restricts which authenticated callers reach it, or undefined. A deny list is a blacklist (10.1.2), not a grant. */
function routeRestriction(r: RouteEvidence): string | undefined {
  for (const p of r.plugins) {
    if (POLICY_PLUGINS.has(p.name)) return p.name;
    // Kong acl `allow`, APISIX consumer-restriction `whitelist` / `allowed_by_methods`: only the listed consumers pass.
    if ((p.name === 'acl' || p.name === 'consumer-restriction') && (nonEmpty(p.config.allow) || nonEmpty(p.config.whitelist) || nonEmpty(p.config.allowed_by_methods))) return p.name;
    // Kong oauth2 with mandatory scopes: a token without one of the route's scopes is refused.
    if (p.name === 'oauth2' && p.config.mandatory_scope === true && nonEmpty(p.config.scopes)) return 'oauth2 mandatory_scope';
  }
  return undefined;
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

function routeName(g: GatewayConfigEvidence, r: RouteEvidence): string {
  return `${g.format} route ${r.name ?? `${r.methods.join(',') || 'ANY'} ${r.paths.join(',') || '/'}`}`;
}

const routeAuthorization = defineCheck<Record<string, never>>({
  name: 'access.routeAuthorization',
  evidence: ['gateway'],
  description:
    'Every authenticated route restricts which application parties may call it (Kong acl allow groups, APISIX consumer-restriction whitelist, a policy plugin, Kong oauth2 mandatory scopes), where the gateway restricts consumers on any route (9.3.2).',
  params: NO_PARAMS,
  messages: {
    restricted: { zh: '{{route}} 由 {{plugin}} 限定可调用的应用方', en: '{{route}} limits which application parties may call it ({{plugin}})' },
    unrestricted: {
      zh: '{{route}} 认证应用方后不限定可调用的应用方（同一网关的其他路由有访问控制），任何已认证的应用方均可调用，未授权资源未被禁止访问（9.3.2）',
      en: '{{route}} authenticates callers but does not limit which application parties may call it (other routes of this gateway do), so any authenticated party reaches it (9.3.2)',
    },
    notAtGateway: {
      zh: '{{file}} 中没有路由限定可调用的应用方，接口权限可能在服务端控制，未据此判断',
      en: 'no route in {{file}} limits which application parties may call it: access may be controlled behind the gateway; not judged from this file',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      const authenticated = g.routes.filter((r) => r.auth.length > 0);
      const restrictions = authenticated.map(routeRestriction);
      if (!restrictions.some((x) => x !== undefined)) {
        if (authenticated.length > 0) out.push({ status: 'n/a', messageId: 'notAtGateway', location: { file: g.file }, data: { file: g.file }, subject: g.file });
        continue;
      }
      authenticated.forEach((r, i) => {
        const route = routeName(g, r);
        const plugin = restrictions[i];
        if (plugin) out.push({ status: 'pass', messageId: 'restricted', location: { ...r.location }, data: { route, plugin }, subject: route });
        else out.push({ status: 'fail', messageId: 'unrestricted', location: { ...r.location }, data: { route }, subject: route });
      });
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.1 a1 — the factors that authenticate an application party are bound to its App_ID
// ---------------------------------------------------------------------------------------------

type Binding = 'app' | 'user' | 'unknown';

/**
 * Whether a scheme's credential is issued to an application (and so bound to its App_ID): client certificates, key
 * pairs, API keys and secrets, HTTP basic client credentials, request signatures, OAuth2 / OpenID Connect clients.
 * A cookie is a user's session, not an application's credential; a bare bearer token may be either.
 */
function bindingOf(s: SecuritySchemeEvidence | undefined): Binding {
  if (!s) return 'unknown';
  if (s.authentication) return 'app';
  if (s.type === 'mutualTLS' || s.type === 'oauth2' || s.type === 'openIdConnect' || s.type === 'basic') return 'app';
  if (s.type === 'apiKey') return s.in === 'cookie' ? 'user' : 'app';
  if (s.type === 'http') return s.httpScheme === 'bearer' || s.httpScheme === undefined ? 'unknown' : 'app';
  return 'unknown';
}

const appIdFactors = defineCheck<Record<string, never>>({
  name: 'access.appIdFactors',
  evidence: ['openapi'],
  description:
    'Every security alternative of every authenticated operation includes a credential issued to the application (App_ID with App_Secret, certificate or key pair: API key, basic, signature, mutual TLS, OAuth2 / OpenID Connect client); a cookie session alone identifies a user, not the application party (7.2.1 a1).',
  params: NO_PARAMS,
  messages: {
    appBound: { zh: '{{operation}} 以应用方凭证认证（{{schemes}}）', en: '{{operation}} authenticates with an application credential ({{schemes}})' },
    userOnly: {
      zh: '{{operation}} 可仅凭 {{schemes}} 调用：Cookie 会话标识的是用户而非应用方，未使用 App_ID 与 App_Secret、数字证书或公私钥对（7.2.1）',
      en: '{{operation}} can be called with {{schemes}} alone: a cookie session identifies a user, not the application party, so no App_ID with App_Secret, certificate or key pair is used (7.2.1)',
    },
    unknownBinding: {
      zh: '{{operation}} 的 {{schemes}} 未说明凭证是否绑定应用方（可用 x-authentication 标注），未判断',
      en: '{{operation}}: whether {{schemes}} is bound to the application party is not stated (mark it with x-authentication); not judged',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        if (!op.security || op.security.length === 0 || op.security.some((alt) => alt.schemes.length === 0)) continue;
        const operation = operationName(op);
        const bindings = op.security.map((alt) => alt.schemes.map((s) => bindingOf(s.scheme)));
        const userOnly = op.security.find((_, i) => bindings[i]!.every((b) => b === 'user'));
        const unknown = op.security.find((_, i) => !bindings[i]!.includes('app'));
        const names = (alt: SecurityRequirementEvidence) => alt.schemes.map((s) => s.name).join(' + ');
        if (userOnly) out.push({ status: 'fail', messageId: 'userOnly', location: userOnly.location, data: { operation, schemes: names(userOnly) }, subject: operation });
        else if (unknown) out.push({ status: 'n/a', messageId: 'unknownBinding', location: unknown.location, data: { operation, schemes: names(unknown) }, subject: operation });
        else out.push({ status: 'pass', messageId: 'appBound', location: op.security[0]!.location, data: { operation, schemes: op.security.map(names).join(' | ') }, subject: operation });
      }
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.1 b2, 9.3.1 — user authentication happens at the bank
// ---------------------------------------------------------------------------------------------

const noPasswordGrant = defineCheck<Record<string, never>>({
  name: 'access.noPasswordGrant',
  evidence: ['openapi'],
  description: 'No OAuth2 scheme offers the resource-owner password flow, in which the application party takes the user\'s password (7.2.1 b2, 9.3.1).',
  params: NO_PARAMS,
  messages: {
    noPasswordFlow: { zh: 'OAuth2 方案 {{scheme}} 不含密码模式（{{flows}}）', en: 'OAuth2 scheme {{scheme}} offers no password flow ({{flows}})' },
    passwordFlow: {
      zh: 'OAuth2 方案 {{scheme}} 提供密码模式（password）：用户口令由应用方收集并转交，用户身份认证不在商业银行完成（7.2.1 b2、9.3.1）',
      en: 'OAuth2 scheme {{scheme}} offers the password flow: the application party collects the user\'s password and passes it on, so user authentication is not done at the bank (7.2.1 b2, 9.3.1)',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const doc of bundle.openapi) {
      for (const s of doc.securitySchemes) {
        if (s.type !== 'oauth2' || !s.flows) continue;
        const password = s.flows.find((f) => f.type === 'password');
        const data = { scheme: s.name, flows: s.flows.map((f) => f.type).join(', ') };
        if (password) out.push({ status: 'fail', messageId: 'passwordFlow', location: { ...password.location }, data, subject: `${doc.file} ${s.name}` });
        else out.push({ status: 'pass', messageId: 'noPasswordFlow', location: { ...s.location }, data, subject: `${doc.file} ${s.name}` });
      }
    }
    return out;
  },
});

/**
 * One-time codes a user types to authenticate (SMS and dynamic codes), as name heads over the OpenAPI vocabulary's
 * tokens; passwords and PINs are the vocabulary's own (`classifyPaymentSensitiveField`). Only names that say SMS,
 * OTP, one-time or dynamic: a bare `verificationCode` is as often a document or captcha code (Adyen's
 * `x-requested-verification-code`), and `authCode` is the OAuth2 authorization code the bank issues after the user
 * authenticated there.
 */
const ONE_TIME_CODE_HEADS: readonly (readonly string[])[] = [
  ['sms', 'code'], ['sms', 'verification', 'code'], ['sms', 'verify', 'code'], ['sms', 'otp'], ['otp'], ['otp', 'code'],
  ['one', 'time', 'code'], ['one', 'time', 'passcode'], ['one', 'time', 'password'], ['dynamic', 'code'], ['dynamic', 'password'],
  ['短信验证码'], ['动态码'], ['动态密码'], ['动态口令'],
];

function endsWithHead(tokens: readonly string[], head: readonly string[]): boolean {
  return head.length <= tokens.length && head.every((t, i) => tokens[tokens.length - head.length + i] === t);
}

/**
 * Words saying a password or PIN belongs to a system rather than to the bank's user: a webhook's, a connector's, a
 * version-control or mail server's credential (GitHub `config.password`, `vcs_password`; Formance connector configs).
 * Read from the field's own qualifiers, its parent object and the operation's path.
 */
const SYSTEM_OWNER_WORDS = new Set([
  'config', 'configuration', 'connector', 'webhook', 'hook', 'vcs', 'git', 'svn', 'proxy', 'smtp', 'ftp', 'sftp', 'db',
  'database', 'ldap', 'keystore', 'truststore', 'certificate', 'cert', 'admin',
]);

function ownedBySystem(name: string, parentName: string | undefined, path: string): boolean {
  const words = [...nameTokens(name), ...(parentName ? nameTokens(parentName) : []), ...path.split('/').filter((s) => s && !s.startsWith('{')).flatMap(nameTokens)];
  return words.some((w) => SYSTEM_OWNER_WORDS.has(w) || SYSTEM_OWNER_WORDS.has(w.replace(/s$/, '')));
}

type UserSecret = 'password' | 'pin' | 'one-time-code';

/** Whether a name says one-time code, remembered per name: every request property of every operation asks. */
const oneTimeCodeNames = new Map<string, boolean>();

function namesOneTimeCode(name: string): boolean {
  let says = oneTimeCodeNames.get(name);
  if (says === undefined) {
    if (oneTimeCodeNames.size > 100_000) oneTimeCodeNames.clear();
    const tokens = nameTokens(name);
    oneTimeCodeNames.set(name, (says = ONE_TIME_CODE_HEADS.some((head) => endsWithHead(tokens, head))));
  }
  return says;
}

/** The name part of userSecretOf: a property that fails it is never a user secret (the gate of the body walk). */
function mayBeUserSecret(name: string, parentName: string | undefined): boolean {
  if (namesOneTimeCode(name)) return true;
  const category = classifyPaymentSensitiveField(name, parentName);
  return category === 'password' || category === 'pin';
}

function userSecretOf(name: string, parentName: string | undefined, path: string): UserSecret | undefined {
  if (namesOneTimeCode(name)) return 'one-time-code';
  const category = classifyPaymentSensitiveField(name, parentName);
  // Card data (CVV, track) is not a user authentication factor; a system's password is not the user's.
  if ((category === 'password' || category === 'pin') && !ownedBySystem(name, parentName, path)) return category;
  return undefined;
}

const SAYS_ENCRYPTED = /encrypt|cipher|\bjwe\b|\bsm[24]\b|加密|密文|密码键盘|安全键盘|\bsdk\b/i;
const SAYS_CLEAR = /\bun-?encrypted\b|\bnot (?:be )?encrypted\b|\bin (?:the )?clear\b|\bplain ?text\b|明文|未加密|不加密/i;

function saysEncrypted(text: string | undefined): boolean {
  return text !== undefined && SAYS_ENCRYPTED.test(text) && !SAYS_CLEAR.test(text);
}
const ENCRYPTED_MEDIA = /jose|jwe|octet-stream|encrypted/i;
const ENVELOPE_WORDS = new Set(['encrypted', 'encrypt', 'cipher', 'ciphertext', 'envelope', 'jwe', 'sealed']);

/** Inside a bank-SDK envelope: the value (or a containing object) is declared encrypted, or named so. */
function isEnveloped(schemas: readonly Record<string, unknown>[], path: string): boolean {
  for (const schema of schemas) {
    for (const key of ['x-encrypted', 'x-sdk-encrypted', 'x-encryption']) if (schema[key] !== undefined && schema[key] !== false) return true;
    if (typeof schema.format === 'string' && saysEncrypted(schema.format)) return true;
    if (saysEncrypted([schema.description, schema.title].filter((x): x is string => typeof x === 'string').join(' '))) return true;
  }
  return path.split('.').slice(0, -1).some((segment) => nameTokens(segment).some((t) => ENVELOPE_WORDS.has(t)));
}

const SECRET_TEXT: Record<UserSecret, { zh: string; en: string }> = {
  password: { zh: '用户口令', en: 'user password' },
  pin: { zh: '用户 PIN', en: 'user PIN' },
  'one-time-code': { zh: '短信或动态验证码', en: 'one-time code (SMS or dynamic)' },
};

interface CredentialField {
  op: OperationEvidence;
  name: string;
  kind: UserSecret;
  location: RelatedLocation;
}

function credentialFields(op: OperationEvidence): CredentialField[] {
  const found: CredentialField[] = [];
  for (const p of op.parameters) {
    const kind = userSecretOf(p.name, undefined, op.path);
    if (kind && !isEnveloped(p.schema ? [p.schema] : [], p.name) && !saysEncrypted(p.description)) {
      found.push({ op, name: `${p.in} ${p.name}`, kind, location: { ...p.location, subject: `${operationName(op)} ${p.in} ${p.name}` } });
    }
  }
  for (const media of op.requestBody?.content ?? []) {
    if (ENCRYPTED_MEDIA.test(media.mediaType)) continue;
    for (const view of gatedViews(media, mayBeUserSecret)) {
      const kind = userSecretOf(view.propertyName, view.parentName, op.path);
      if (!kind || isEnveloped(view.nodes.map((n: SchemaNode) => n.schema), view.path)) continue;
      found.push({ op, name: view.path, kind, location: { ...view.node.location, subject: `${operationName(op)} ${view.path}` } });
    }
  }
  return found;
}

const noUserCredentialFields = defineCheck<Record<string, never>>({
  name: 'access.noUserCredentialFields',
  evidence: ['openapi'],
  description:
    'No request parameter or body property carries a user password, PIN or SMS / one-time code outside an encrypted envelope (x-encrypted, an encrypted format or media type, a description saying the bank SDK encrypts it): otherwise the application party sees the user\'s authentication factors (7.2.1 b2, 9.3.1).',
  params: NO_PARAMS,
  messages: {
    noUserSecrets: { zh: '{{file}} 的请求中没有明文的用户口令、PIN 或验证码字段', en: 'no request in {{file}} carries a user password, PIN or one-time code in clear' },
    userSecretField: {
      zh: '{{operation}} 的请求字段 {{field}} 为{{kindZh}}，未声明经银行 SDK 加密：应用方可获取用户认证要素，用户身份认证未在商业银行完成（7.2.1 b2、9.3.1）',
      en: 'request field {{field}} of {{operation}} is a {{kindEn}} not declared encrypted by the bank SDK: the application party can read the user\'s authentication factor, so user authentication is not done at the bank (7.2.1 b2, 9.3.1)',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const doc of bundle.openapi) {
      let failed = false;
      for (const op of doc.operations) {
        const fields = credentialFields(op);
        const operation = operationName(op);
        // One finding per operation and kind, every field as a location.
        for (const kind of [...new Set(fields.map((f) => f.kind))]) {
          const ofKind = fields.filter((f) => f.kind === kind);
          failed = true;
          out.push({
            status: 'fail',
            messageId: 'userSecretField',
            location: { ...ofKind[0]!.location },
            locations: ofKind.map((f) => f.location),
            data: { operation, field: ofKind.map((f) => f.name).join(', '), kindZh: SECRET_TEXT[kind].zh, kindEn: SECRET_TEXT[kind].en },
            subject: `${operation} ${kind}`,
          });
        }
      }
      if (!failed && doc.operations.some((op) => op.parameters.length > 0 || op.requestBody)) {
        out.push({ status: 'pass', messageId: 'noUserSecrets', location: { file: doc.file, pointer: '' }, data: { file: doc.file }, subject: doc.file });
      }
    }
    return out;
  },
});

/** The registrable part of a host (`open.bank.com.cn` → `bank.com.cn`), without a public-suffix list: two labels, three under com/net/org/gov/edu/co/ac + a country code. */
function siteOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  const n = labels.length >= 3 && /^(com|net|org|gov|edu|co|ac)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

const bankHostedAuthorization = defineCheck<Record<string, never>>({
  name: 'access.bankHostedAuthorization',
  evidence: ['openapi'],
  description:
    'OAuth2 authorization-code and implicit flows, and OpenID Connect discovery, send the user to an authorization URL on the bank\'s own site (the site of the description\'s servers, or a relative URL): the user signs in at the bank (7.2.1 b2, 9.3.1). Another site is a warning to confirm, not a failure.',
  params: NO_PARAMS,
  messages: {
    bankHosted: { zh: '{{scheme}} 的用户授权地址 {{url}} 位于银行站点 {{site}}', en: '{{scheme}} sends the user to {{url}}, on the bank\'s site {{site}}' },
    otherSite: {
      zh: '{{scheme}} 的用户授权地址 {{url}} 不在接口服务器所在站点（{{sites}}），请确认用户在商业银行的页面完成身份认证（7.2.1 b2、9.3.1）',
      en: '{{scheme}} sends the user to {{url}}, which is not on the site of the API servers ({{sites}}): confirm the user signs in on a page of the bank (7.2.1 b2, 9.3.1)',
    },
    noServers: { zh: '{{file}} 未声明服务器地址，无法比对用户授权地址', en: '{{file}} declares no server, so the authorization URL cannot be compared with it' },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const doc of bundle.openapi) {
      const sites = [...new Set(doc.servers.map((s) => hostOf(s.url)).filter((h): h is string => h !== undefined).map(siteOf))];
      for (const s of doc.securitySchemes) {
        const urls: { url: string; location: RelatedLocation }[] = [];
        for (const f of s.flows ?? []) if ((f.type === 'authorizationCode' || f.type === 'implicit') && f.authorizationUrl) urls.push({ url: f.authorizationUrl, location: { ...f.location } });
        if (s.type === 'openIdConnect' && s.openIdConnectUrl) urls.push({ url: s.openIdConnectUrl, location: { ...s.location } });
        for (const { url, location } of urls) {
          const subject = `${doc.file} ${s.name} ${url}`;
          const host = hostOf(url);
          if (!host) out.push({ status: 'pass', messageId: 'bankHosted', location, data: { scheme: s.name, url, site: 'servers' }, subject }); // relative: resolved against the servers
          else if (sites.length === 0) out.push({ status: 'n/a', messageId: 'noServers', location, data: { file: doc.file }, subject });
          else if (sites.includes(siteOf(host))) out.push({ status: 'pass', messageId: 'bankHosted', location, data: { scheme: s.name, url, site: siteOf(host) }, subject });
          else out.push({ status: 'warn', messageId: 'otherSite', location, data: { scheme: s.name, url, sites: sites.join(', ') }, subject });
        }
      }
    }
    return out;
  },
});

function kongOauth2Plugins(g: GatewayConfigEvidence): GatewayPluginEvidence[] {
  const seen = new Set<string>();
  return [...g.globalPlugins, ...g.routes.flatMap((r) => r.plugins)].filter((p) => {
    const key = `${p.location.file}:${p.location.line ?? ''}:${p.location.pointer ?? ''}`;
    if (p.name !== 'oauth2' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const noGatewayPasswordGrant = defineCheck<Record<string, never>>({
  name: 'access.noGatewayPasswordGrant',
  evidence: ['gateway'],
  description: 'Kong\'s oauth2 plugin keeps the resource-owner password grant off (enable_password_grant: false, Kong\'s default) (7.2.1 b2, 9.3.1).',
  params: NO_PARAMS,
  messages: {
    passwordGrantOff: { zh: 'oauth2 插件未开启密码模式（enable_password_grant）', en: 'the oauth2 plugin keeps the password grant off (enable_password_grant)' },
    passwordGrantOn: {
      zh: 'oauth2 插件开启了密码模式（enable_password_grant: true）：应用方可收集用户口令换取令牌，用户身份认证不在商业银行完成（7.2.1 b2、9.3.1）',
      en: 'the oauth2 plugin turns the password grant on (enable_password_grant: true): application parties can collect users\' passwords to get tokens, so user authentication is not done at the bank (7.2.1 b2, 9.3.1)',
    },
  },
  run(bundle) {
    const out: Outcome[] = [];
    for (const g of bundle.gateway) {
      if (g.format !== 'kong') continue;
      for (const p of kongOauth2Plugins(g)) {
        const subject = `${g.file} oauth2 ${p.location.line ?? p.location.pointer ?? ''}`;
        if (p.config.enable_password_grant === true) out.push({ status: 'fail', messageId: 'passwordGrantOn', location: { ...p.location }, subject });
        else out.push({ status: 'pass', messageId: 'passwordGrantOff', location: { ...p.location }, subject });
      }
    }
    return out;
  },
});

/** Checks of the `access` family (see DESIGN.md "Checks and messages"). */
export const accessChecks: AnyCheck[] = [operationScopes, routeAuthorization, appIdFactors, noPasswordGrant, noUserCredentialFields, bankHostedAuthorization, noGatewayPasswordGrant];
