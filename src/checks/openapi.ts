/**
 * Checks of the `openapi` family: what an interface description (Swagger 2.0, OpenAPI 3.0/3.1) says about
 * transport, authentication, signatures, data exposure, flow control, versions and parameter formats.
 * Pure functions over OpenApiDocumentEvidence; locations are the collector's (file + JSON pointer).
 */
import type { AnyCheck } from './registry.js';
import { defineCheck, NO_PARAMS } from './registry.js';
import type {
  OpenApiDocumentEvidence,
  OperationEvidence,
  SchemaNode,
  SecurityRequirementEvidence,
  SecuritySchemeEvidence,
  SecurityLevel,
  ServerEvidence,
  SourceLocation,
} from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import {
  classifyDisclosureProperty,
  classifyPaymentSensitiveField,
  classifyPersonalField,
  findDisclosureInText,
  hasVersionInPath,
  isDisclosureHeader,
  isVersionParameterName,
  type DisclosureKind,
  type PaymentSensitiveCategory,
  type PersonalCategory,
  type RequestProtection,
} from './openapi/vocabulary.js';
import { judgePaymentSensitiveProperty, mayBePaymentSensitive, mayHavePersonalVerdict, personalVerdict } from './openapi/classify.js';
import { personalDataInExample } from './openapi/example-values.js';
import { maskIdCard, maskMobile, maskPan } from '../mask.js';
import { requestProtections } from './openapi/request-protection.js';
import {
  effectiveLevel,
  isErrorStatus,
  locationKey,
  maskingDeclaration,
  operationName,
  judgeResponseProperties,
  nodeCount,
  propertyViews,
  type PropertyView,
  safeExcerpt,
  cutResponseSchemas,
  cutSchemaOutcomes,
  exampleText,
  groupFailures,
  MAX_EXAMPLE_DEPTH,
} from './openapi/walk.js';

const EVIDENCE: ['openapi'] = ['openapi'];

function docLocation(doc: OpenApiDocumentEvidence, pointer = ''): SourceLocation {
  return { file: doc.file, pointer };
}

function schemeNames(alternative: SecurityRequirementEvidence): string {
  return alternative.schemes.map((s) => s.name).join(' + ');
}

// ---------------------------------------------------------------------------------------------
// 9.2.2 transport
// ---------------------------------------------------------------------------------------------

function urlScheme(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
}

function urlHost(url: string): string {
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  const hostPort = authority.replace(/^.*@/, '');
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']')).toLowerCase();
  return hostPort.replace(/:\d*$/, '').toLowerCase();
}

/** A development server on the tester's own machine: still reported, but not a production plaintext channel. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1';
}

const serversHttps = defineCheck<Record<string, never>>({
  name: 'openapi.serversHttps',
  evidence: EVIDENCE,
  description: 'Every server URL (and every Swagger 2.0 scheme) uses https or wss (9.2.2).',
  params: NO_PARAMS,
  messages: {
    https: { zh: '服务地址 {{url}} 使用 HTTPS', en: 'server {{url}} uses HTTPS' },
    plainHttp: {
      zh: '服务地址 {{url}} 使用明文 HTTP，应使用 HTTPS 保证传输安全（9.2.2）',
      en: 'server {{url}} uses plaintext HTTP; use HTTPS to protect data in transit (9.2.2)',
    },
    loopbackHttp: {
      zh: '服务地址 {{url}} 为本机开发地址且使用明文 HTTP；生产接口应仅提供 HTTPS',
      en: 'server {{url}} is a loopback development address over plaintext HTTP; production servers must be HTTPS only',
    },
    plainHttpScheme: {
      zh: 'schemes 声明了明文协议 {{scheme}}，应仅使用 https（9.2.2）',
      en: 'schemes declares plaintext {{scheme}}; declare https only (9.2.2)',
    },
    relativeServer: {
      zh: '服务地址 {{url}} 为相对地址，协议取决于文档的发布位置，无法判断',
      en: 'server {{url}} is relative: its scheme depends on where the document is served and cannot be judged',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    for (const doc of bundle.openapi) {
      const plaintextServerSchemes = new Set<string>();
      for (const server of doc.servers) {
        const scheme = urlScheme(server.url);
        const base = { subject: server.url, location: server.location, data: { url: server.url } };
        if (scheme === 'https' || scheme === 'wss') outcomes.push({ status: 'pass', messageId: 'https', ...base });
        else if (scheme === 'http' || scheme === 'ws') {
          plaintextServerSchemes.add(scheme);
          outcomes.push({ status: isLoopback(urlHost(server.url)) ? 'warn' : 'fail', messageId: isLoopback(urlHost(server.url)) ? 'loopbackHttp' : 'plainHttp', ...base });
        } else outcomes.push({ status: 'n/a', messageId: 'relativeServer', ...base });
      }
      // Swagger 2.0 without `host`: the collector builds no absolute server, but `schemes: [http]` still says plaintext.
      (doc.schemes ?? []).forEach((scheme, i) => {
        const s = scheme.toLowerCase();
        if ((s === 'http' || s === 'ws') && !plaintextServerSchemes.has(s)) {
          outcomes.push({
            status: 'fail',
            messageId: 'plainHttpScheme',
            subject: `${doc.file} schemes ${s}`,
            location: docLocation(doc, `/schemes/${i}`),
            data: { scheme: s },
          });
        }
      });
    }
    return outcomes;
  },
});

/** Per document: the failing outcomes of one root cause become one finding listing every affected place. */
function groupedPerDocument(
  docs: readonly OpenApiDocumentEvidence[],
  perDocument: (doc: OpenApiDocumentEvidence) => Outcome[],
  rootCause: (o: Outcome) => string,
): Outcome[] {
  return docs.flatMap((doc) => groupFailures(perDocument(doc), (o) => rootCause(o), (o) => `${doc.file} ${rootCause(o)}`));
}

// ---------------------------------------------------------------------------------------------
// 9.2.1 authentication
// ---------------------------------------------------------------------------------------------

const operationAuthentication = defineCheck<Record<string, never>>({
  name: 'openapi.operationAuthentication',
  evidence: EVIDENCE,
  description: 'Every operation requires application-party authentication: no missing, empty or optional security (9.2.1 b1).',
  params: NO_PARAMS,
  messages: {
    authenticated: { zh: '{{operation}} 要求身份认证（{{schemes}}）', en: '{{operation}} requires authentication ({{schemes}})' },
    noSecurity: {
      zh: '{{count}} 个接口未声明任何安全要求（首个：{{operation}}），应对应用方进行身份认证（9.2.1 b1）',
      en: '{{count}} operation(s) declare no security requirement (first: {{operation}}); the application party must be authenticated (9.2.1 b1)',
    },
    emptySecurity: {
      zh: '{{count}} 个接口以 security: [] 取消了身份认证（首个：{{operation}}）（9.2.1 b1）',
      en: '{{count}} operation(s) turn authentication off with security: [] (first: {{operation}}) (9.2.1 b1)',
    },
    optionalAlternative: {
      zh: '{{count}} 个接口的安全要求含空选项 {}，身份认证可省略（首个：{{operation}}）（9.2.1 b1）',
      en: '{{count}} operation(s) list an empty alternative {} in their security, which makes authentication optional (first: {{operation}}) (9.2.1 b1)',
    },
  },
  run(bundle) {
    return groupedPerDocument(bundle.openapi, (doc) => {
      const outcomes: Outcome[] = [];
      for (const op of doc.operations) {
        const operation = operationName(op);
        const base = { subject: operation, data: { operation } };
        if (op.security === undefined) {
          outcomes.push({ status: 'fail', messageId: 'noSecurity', location: op.location, ...base });
        } else if (op.security.length === 0) {
          outcomes.push({ status: 'fail', messageId: 'emptySecurity', location: op.location, ...base });
        } else {
          const optional = op.security.find((alt) => alt.schemes.length === 0);
          if (optional) outcomes.push({ status: 'fail', messageId: 'optionalAlternative', location: optional.location, ...base });
          else {
            outcomes.push({
              status: 'pass',
              messageId: 'authenticated',
              location: op.security[0]!.location,
              subject: operation,
              data: { operation, schemes: op.security.map(schemeNames).join(' | ') },
            });
          }
        }
      }
      return outcomes;
    }, (o) => o.messageId);
  },
});

/** Certificate- or key-pair-based: the party proves possession of a private key (7.2.1 a2, 9.2.1 b2). */
function isMutualScheme(scheme: SecuritySchemeEvidence | undefined): boolean {
  if (!scheme) return false;
  return scheme.type.toLowerCase() === 'mutualtls' || scheme.authentication === 'certificate' || scheme.authentication === 'keypair';
}

const mutualAuthentication = defineCheck<Record<string, never>>({
  name: 'openapi.mutualAuthentication',
  evidence: EVIDENCE,
  description:
    'A2 operations: every accepted security alternative includes a certificate or key-pair scheme (mutualTLS, x-authentication certificate|keypair); an App_Secret, API key, basic or bearer credential alone fails (7.2.1 a2, 9.2.1 b2).',
  params: NO_PARAMS,
  messages: {
    mutualAuthentication: {
      zh: 'A2 级接口 {{operation}} 采用基于证书或密钥对的双向认证（{{schemes}}）',
      en: 'A2 operation {{operation}} uses certificate or key-pair based mutual authentication ({{schemes}})',
    },
    noAuthentication: {
      zh: '{{count}} 个 A2 级接口（首个：{{operation}}）的描述未声明任何身份认证，也未声明客户端证书或签名方案；双向认证需基于证书或密钥对（7.2.1 a2、9.2.1 b2），如在描述之外实施（如网关 mTLS），请提供证明',
      en: 'the description declares no authentication, and no client-certificate or signature scheme, for {{count}} A2 operation(s) (first: {{operation}}); mutual authentication must rest on a certificate or key pair (7.2.1 a2, 9.2.1 b2); if it is enforced outside the description (e.g. mTLS at the gateway), attest it',
    },
    secretOnly: {
      zh: '{{count}} 个 A2 级接口（首个：{{operation}}）的描述仅声明了 {{schemes}}，未声明客户端证书或签名方案；双向认证需基于证书或密钥对（7.2.1 a2、9.2.1 b2），如在描述之外实施（如网关 mTLS），请提供证明',
      en: 'the description declares no client-certificate or signature scheme for {{count}} A2 operation(s) (first: {{operation}}), only {{schemes}}; mutual authentication must rest on a certificate or key pair (7.2.1 a2, 9.2.1 b2); if it is enforced outside the description (e.g. mTLS at the gateway), attest it',
    },
  },
  run(bundle, _params, ctx) {
    return groupedPerDocument(bundle.openapi, (doc) => {
      const outcomes: Outcome[] = [];
      for (const op of doc.operations) {
        if (effectiveLevel(op, ctx.level) !== 'A2') continue;
        const operation = operationName(op);
        const alternatives = op.security ?? [];
        if (alternatives.length === 0) {
          outcomes.push({ status: 'fail', messageId: 'noAuthentication', location: op.location, subject: operation, data: { operation } });
          continue;
        }
        const weak = alternatives.find((alt) => !alt.schemes.some((s) => isMutualScheme(s.scheme)));
        if (weak) {
          outcomes.push({
            status: 'fail',
            messageId: weak.schemes.length === 0 ? 'noAuthentication' : 'secretOnly',
            location: weak.location,
            subject: operation,
            data: { operation, schemes: schemeNames(weak) },
          });
        } else {
          outcomes.push({
            status: 'pass',
            messageId: 'mutualAuthentication',
            location: alternatives[0]!.location,
            subject: operation,
            data: { operation, schemes: alternatives.map(schemeNames).join(' | ') },
          });
        }
      }
      return outcomes;
    }, (o) => `${o.messageId} ${o.data?.schemes ?? ''}`.trim());
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.2, 9.2.2 request signatures
// ---------------------------------------------------------------------------------------------

interface RequestSignatureParams {
  level?: SecurityLevel;
  accept?: RequestProtection[];
}

const requestSignature = defineCheck<RequestSignatureParams>({
  name: 'openapi.requestSignature',
  evidence: EVIDENCE,
  description:
    'Operations of the given level carry a required request signature (RFC 9421 Signature, x-jws-signature, a JWS body application/jwt|jose, a required sign field with its sign_type, x-signature, a signature scheme), or a MAC (HMAC-*) when `accept` includes mac (7.2.2, 9.2.2). Defaults: A2 accepts a signature only, A1 a MAC or a signature. Failures are grouped per root cause with every operation as a location.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      level: { enum: ['A1', 'A2'] },
      accept: { type: 'array', items: { enum: ['mac', 'signature'] }, minItems: 1, uniqueItems: true },
    },
  },
  messages: {
    signed: {
      zh: '{{level}} 级接口 {{operation}} 要求请求{{kindZh}}（{{via}}）',
      en: '{{level}} operation {{operation}} requires a request {{kindEn}} ({{via}})',
    },
    unsigned: {
      zh: '描述未为 {{count}} 个 {{level}} 级接口（首个：{{operation}}）声明必需的请求{{acceptedZh}}，报文完整性无从证明（7.2.2、9.2.2）；如在描述之外实施，请提供证明',
      en: 'the description declares no required request {{acceptedEn}} for {{count}} {{level}} operation(s) (first: {{operation}}), so message integrity is not shown (7.2.2, 9.2.2); if it is enforced outside the description, attest it',
    },
    macOnly: {
      zh: '{{count}} 个 {{level}} 级接口（首个：{{operation}}）仅有消息认证码（{{via}}），应采用数字签名（7.2.2、9.2.2）',
      en: '{{count}} {{level}} operation(s) (first: {{operation}}) carry only a MAC ({{via}}); they need a digital signature (7.2.2, 9.2.2)',
    },
    optionalSignature: {
      zh: '{{count}} 个 {{level}} 级接口（首个：{{operation}}）的 {{via}} 为可选参数，未签名的请求仍可被接受（7.2.2、9.2.2）',
      en: '{{count}} {{level}} operation(s) (first: {{operation}}) declare {{via}} as optional, so unsigned requests are accepted (7.2.2, 9.2.2)',
    },
  },
  run(bundle, params, ctx) {
    return groupedPerDocument(bundle.openapi, (doc) => {
      const outcomes: Outcome[] = [];
      for (const op of doc.operations) {
        const level = effectiveLevel(op, ctx.level);
        if (params.level !== undefined && level !== params.level) continue;
        const accept = params.accept ?? (level === 'A2' ? ['signature'] : ['mac', 'signature']);
        const operation = operationName(op);
        const base = { subject: operation, location: op.location };
        const found = requestProtections(op);
        const acceptable = found.find((f) => f.required && accept.includes(f.kind));
        if (acceptable) {
          const sig = acceptable.kind === 'signature';
          outcomes.push({
            status: 'pass',
            messageId: 'signed',
            ...base,
            data: { operation, level, via: acceptable.via, kind: acceptable.kind, kindZh: sig ? '数字签名' : '消息认证码', kindEn: sig ? 'signature' : 'MAC' },
          });
          continue;
        }
        const requiredMac = found.find((f) => f.required && f.kind === 'mac');
        const optional = found.find((f) => !f.required && accept.includes(f.kind));
        if (requiredMac) outcomes.push({ status: 'fail', messageId: 'macOnly', ...base, data: { operation, level, via: requiredMac.via } });
        else if (optional) outcomes.push({ status: 'fail', messageId: 'optionalSignature', ...base, data: { operation, level, via: optional.via } });
        else {
          const withMac = accept.includes('mac');
          outcomes.push({
            status: 'fail',
            messageId: 'unsigned',
            ...base,
            data: {
              operation,
              level,
              acceptedZh: withMac ? '消息认证码或数字签名' : '数字签名',
              acceptedEn: withMac ? 'MAC or signature' : 'signature',
            },
          });
        }
      }
      return outcomes;
    }, (o) => `${o.messageId} ${o.data?.level ?? ''} ${o.data?.via ?? ''}`.trim());
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.2 response data
// ---------------------------------------------------------------------------------------------

const PERSONAL_CATEGORY_TEXT: Record<PersonalCategory, { zh: string; en: string }> = {
  'account-number': { zh: '账号', en: 'account number' },
  'card-number': { zh: '卡号', en: 'card number' },
  'person-name': { zh: '姓名', en: 'name' },
  'id-number': { zh: '证件号码', en: 'ID number' },
  'mobile-number': { zh: '手机号', en: 'mobile number' },
};

const responseMasking = defineCheck<Record<string, never>>({
  name: 'openapi.responseMasking',
  evidence: EVIDENCE,
  description:
    'Response properties that return an account number, card number, name, ID number or mobile number (judged by name and context: type, enum, format, description, extensions, holders, examples) declare them masked: x-masking, a pattern admitting *, format masked, a description saying masked / encrypted / 脱敏 / 加密 / 后四位; and no response example shows a card, ID or mobile number in clear (7.2.2).',
  params: NO_PARAMS,
  messages: {
    masked: {
      zh: '{{operation}} 返回的{{categoryZh}} {{field}} 已声明脱敏（{{how}}）',
      en: '{{operation}} returns {{categoryEn}} {{field}} declared masked ({{how}})',
    },
    maskedByDesign: {
      zh: '{{operation}} 返回的 {{field}} 仅为{{categoryZh}}片段或已脱敏形式',
      en: '{{operation}} returns {{field}}, a masked or partial {{categoryEn}} by design',
    },
    unmasked: {
      zh: '{{operation}} 返回{{categoryZh}} {{field}}，未声明脱敏（x-masking、含 * 的 pattern、format: masked 或说明“脱敏”）（7.2.2）',
      en: '{{operation}} returns {{categoryEn}} {{field}} without declaring it masked (x-masking, a pattern admitting *, format: masked, or a description saying masked) (7.2.2)',
    },
    exampleUnmasked: {
      zh: '{{operation}} 的响应示例 {{field}} 显示了未脱敏的{{categoryZh}}（{{excerpt}}）（7.2.2）',
      en: 'the response example {{field}} of {{operation}} shows {{categoryEn}} in clear ({{excerpt}}) (7.2.2)',
    },
    exampleCut: {
      zh: '{{operation}} 的响应 {{status}} 示例嵌套超过 {{depth}} 层，仅检查了前 {{depth}} 层',
      en: 'the example of response {{status}} of {{operation}} nests deeper than {{depth}} levels; only the first {{depth}} were examined',
    },
    cutByLimit: {
      zh: '{{file}} 中 {{count}} 个响应模式超出遍历限度，限度之外有字段（如 {{field}}）未检查，无法判定为通过',
      en: '{{count}} response schema(s) of {{file}} exceed the walk limits, and fields past them (such as {{field}}) were not examined: this cannot pass',
    },
  },
  run(bundle) {
    const { judged } = judgeResponseProperties(bundle.openapi, mayHavePersonalVerdict, (property, doc) => personalVerdict(property, doc.file));
    const outcomes: Outcome[] = [];
    for (const { op, property, verdict } of judged) {
      const { node } = property;
      const operation = operationName(op);
      const base = { subject: `${operation} → ${node.path}`, location: node.location };
      if (verdict.example) {
        const text = PERSONAL_CATEGORY_TEXT[verdict.example.category];
        const excerpt = maskedValue(verdict.example.category, verdict.example.value);
        outcomes.push({
          status: 'fail',
          messageId: 'exampleUnmasked',
          ...base,
          evidence: excerpt,
          data: { operation, field: node.path, category: verdict.example.category, categoryZh: text.zh, categoryEn: text.en, excerpt },
        });
        continue;
      }
      const match = verdict.match;
      const text = PERSONAL_CATEGORY_TEXT[match.category];
      const data = { operation, field: node.path, category: match.category, categoryZh: text.zh, categoryEn: text.en };
      if (match.maskedByDesign) {
        outcomes.push({ status: 'pass', messageId: 'maskedByDesign', ...base, data });
        continue;
      }
      const how = property.nodes.map((n) => maskingDeclaration(n.schema)).find((h) => h !== undefined);
      if (how) outcomes.push({ status: 'pass', messageId: 'masked', ...base, data: { ...data, how } });
      else outcomes.push({ status: 'fail', messageId: 'unmasked', ...base, data });
    }
    outcomes.push(...responseExampleOutcomes(bundle.openapi));
    // Schemas cut by the collector's limits: a field past the cut whose name is personal data was not examined.
    outcomes.push(...cutSchemaOutcomes(cutResponseSchemas(bundle.openapi, (name) => classifyPersonalField(name) !== undefined)));
    return outcomes;
  },
});

function maskedValue(category: PersonalCategory, value: string): string {
  const digits = value.replace(/[^\dXx]/g, '');
  if (category === 'card-number') return maskPan(digits);
  if (category === 'id-number') return maskIdCard(digits);
  return maskMobile(digits);
}

/** Literal response examples (`example`, `examples`): every leaf showing a card, ID or mobile number in clear. */
function responseExampleOutcomes(docs: readonly OpenApiDocumentEvidence[]): Outcome[] {
  const outcomes: Outcome[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    for (const op of doc.operations) {
      const operation = operationName(op);
      for (const response of op.responses) {
        for (const example of response.examples) {
          const key = locationKey(example.location);
          if (seen.has(key)) continue;
          seen.add(key);
          const { hits, cut } = personalDataInExample(example.value);
          for (const hit of hits) {
            const text = PERSONAL_CATEGORY_TEXT[hit.category];
            const excerpt = maskedValue(hit.category, hit.value);
            const field = hit.path === '' ? 'example' : hit.path;
            outcomes.push({
              status: 'fail',
              messageId: 'exampleUnmasked',
              subject: `${operation} ${response.status} example → ${field}`,
              location: example.location,
              evidence: excerpt,
              data: { operation, field, category: hit.category, categoryZh: text.zh, categoryEn: text.en, excerpt },
            });
          }
          if (cut) {
            outcomes.push({
              status: 'warn',
              messageId: 'exampleCut',
              subject: `${operation} ${response.status} example cut`,
              location: example.location,
              data: { operation, status: response.status, depth: MAX_EXAMPLE_DEPTH },
            });
          }
        }
      }
    }
  }
  return outcomes;
}

const PAYMENT_SENSITIVE_TEXT: Record<PaymentSensitiveCategory, { zh: string; en: string }> = {
  'card-verification-code': { zh: '卡片验证码（CVN/CVV）', en: 'card verification code (CVV/CVC)' },
  password: { zh: '密码', en: 'password' },
  pin: { zh: '个人识别码（PIN）', en: 'PIN' },
  'track-data': { zh: '磁道信息', en: 'track data' },
};

const noPaymentSensitiveInResponse = defineCheck<Record<string, never>>({
  name: 'openapi.noPaymentSensitiveInResponse',
  evidence: EVIDENCE,
  description: 'No response returns a card verification code, password, PIN or track data (7.2.2, 9.3.3).',
  params: NO_PARAMS,
  messages: {
    noSensitiveData: {
      zh: '{{operation}} 的响应不含卡片验证码、密码、PIN 或磁道信息',
      en: '{{operation}} returns no card verification code, password, PIN or track data',
    },
    sensitiveInResponse: {
      zh: '{{operation}} 的响应含{{categoryZh}}字段 {{field}}，此类支付敏感信息不应返回（7.2.2、9.3.3）',
      en: '{{operation}} returns {{categoryEn}} in {{field}}; payment-sensitive data must never be returned (7.2.2, 9.3.3)',
    },
    cutByLimit: {
      zh: '{{file}} 中 {{count}} 个响应模式超出遍历限度，限度之外有字段（如 {{field}}）未检查，无法判定为通过',
      en: '{{count}} response schema(s) of {{file}} exceed the walk limits, and fields past them (such as {{field}}) were not examined: this cannot pass',
    },
  },
  run(bundle) {
    const classify = (property: PropertyView, doc: OpenApiDocumentEvidence): PaymentSensitiveCategory | undefined =>
      judgePaymentSensitiveProperty(property, doc.file);
    const { judged, operationsWithVerdict } = judgeResponseProperties(bundle.openapi, mayBePaymentSensitive, classify);
    const outcomes: Outcome[] = judged.map(({ op, property, verdict: category }) => {
      const operation = operationName(op);
      const text = PAYMENT_SENSITIVE_TEXT[category];
      return {
        status: 'fail',
        messageId: 'sensitiveInResponse',
        subject: `${operation} → ${property.path}`,
        location: property.node.location,
        data: { operation, field: property.path, category, categoryZh: text.zh, categoryEn: text.en },
      };
    });
    outcomes.push(...cutSchemaOutcomes(cutResponseSchemas(bundle.openapi, (name) => classifyPaymentSensitiveField(name) !== undefined)));
    // Operations whose responses were examined and hold none of it pass (one outcome each).
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        if (operationsWithVerdict.has(op) || !op.responses.some((r) => r.content.some((m) => nodeCount(m) > 0))) continue;
        const operation = operationName(op);
        outcomes.push({ status: 'pass', messageId: 'noSensitiveData', subject: operation, location: op.location, data: { operation } });
      }
    }
    return outcomes;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.1 error responses
// ---------------------------------------------------------------------------------------------

const DISCLOSURE_TEXT: Record<DisclosureKind, { zh: string; en: string }> = {
  'stack-trace': { zh: '堆栈信息', en: 'a stack trace' },
  exception: { zh: '异常类名', en: 'an exception name' },
  sql: { zh: 'SQL 语句或数据库错误', en: 'SQL or a database error' },
  host: { zh: '主机名', en: 'a host name' },
  'server-version': { zh: '服务器或中间件版本', en: 'a server or middleware version' },
  'internal-address': { zh: '内网地址', en: 'an internal network address' },
};

function exampleDisclosure(value: unknown, serialised?: string): { kind: DisclosureKind; excerpt: string } | undefined {
  // Serialised as far as it goes: a too-deep example is still examined (and warned about by the caller).
  const text = serialised ?? exampleText(value).text;
  const hit = findDisclosureInText(text);
  if (!hit) return undefined;
  return { kind: hit.kind, excerpt: safeExcerpt(text.slice(Math.max(0, hit.index - 20), hit.index + hit.match.length + 20)) };
}

interface SchemaDisclosure {
  node: SchemaNode;
  kind: DisclosureKind;
  /** Set for a disclosing example; absent for a disclosing property name. */
  excerpt?: string;
}

/** Shared error schemas (Stripe's `error`) are reached from every operation: scan each node array once. */
const disclosuresOf = new WeakMap<readonly SchemaNode[], SchemaDisclosure[]>();

function schemaDisclosures(nodes: readonly SchemaNode[]): SchemaDisclosure[] {
  const cached = disclosuresOf.get(nodes);
  if (cached) return cached;
  const hits: SchemaDisclosure[] = [];
  for (const { propertyName, node } of propertyViews(nodes)) {
    const kind = classifyDisclosureProperty(propertyName);
    if (kind) hits.push({ node, kind });
  }
  for (const node of nodes) {
    if (node.schema.example === undefined || (node.propertyName && classifyDisclosureProperty(node.propertyName))) continue;
    const hit = exampleDisclosure(node.schema.example);
    if (hit) hits.push({ node, ...hit });
  }
  disclosuresOf.set(nodes, hits);
  return hits;
}

const errorDisclosure = defineCheck<Record<string, never>>({
  name: 'openapi.errorDisclosure',
  evidence: EVIDENCE,
  description:
    'Error responses (4xx, 5xx, default) expose no stack traces, exception names, SQL, host names, internal addresses or server/middleware versions, by property name or in examples (7.1).',
  params: NO_PARAMS,
  messages: {
    noDisclosure: {
      zh: '{{operation}} 的错误响应 {{status}} 未暴露系统内部信息',
      en: 'error response {{status}} of {{operation}} exposes no system internals',
    },
    disclosingProperty: {
      zh: '{{operation}} 的错误响应 {{status}} 含字段 {{field}}，会暴露{{kindZh}}（7.1）',
      en: 'error response {{status}} of {{operation}} has property {{field}}, which exposes {{kindEn}} (7.1)',
    },
    disclosingExample: {
      zh: '{{operation}} 的错误响应 {{status}} 示例暴露{{kindZh}}：{{excerpt}}（7.1）',
      en: 'the example of error response {{status}} of {{operation}} exposes {{kindEn}}: {{excerpt}} (7.1)',
    },
    disclosingHeader: {
      zh: '{{operation}} 的错误响应 {{status}} 声明了响应头 {{header}}，会暴露服务器或中间件版本（7.1）',
      en: 'error response {{status}} of {{operation}} declares header {{header}}, which exposes server or middleware versions (7.1)',
    },
    exampleCut: {
      zh: '{{operation}} 的响应 {{status}} 示例嵌套超过 {{depth}} 层或过长，仅检查了可读取的部分',
      en: 'the example of response {{status}} of {{operation}} nests deeper than {{depth}} levels or is too long; only the part read was examined',
    },
    cutByLimit: {
      zh: '{{file}} 中 {{count}} 个响应模式超出遍历限度，限度之外有字段（如 {{field}}）未检查，无法判定为通过',
      en: '{{count}} response schema(s) of {{file}} exceed the walk limits, and fields past them (such as {{field}}) were not examined: this cannot pass',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    const seen = new Set<string>();
    const once = (o: Outcome): boolean => {
      const key = locationKey(o.location!);
      if (seen.has(key)) return true;
      seen.add(key);
      outcomes.push(o);
      return true;
    };
    for (const doc of bundle.openapi) {
      for (const op of doc.operations) {
        const operation = operationName(op);
        for (const response of op.responses) {
          if (!isErrorStatus(response.status)) continue;
          const status = response.status;
          const subjectOf = (what: string): string => `${operation} ${status} → ${what}`;
          let disclosed = false;
          for (const header of response.headers) {
            if (!isDisclosureHeader(header.name)) continue;
            disclosed = once({
              status: 'fail',
              messageId: 'disclosingHeader',
              subject: subjectOf(header.name),
              location: header.location,
              data: { operation, status, header: header.name },
            });
          }
          for (const media of response.content) {
            for (const hit of schemaDisclosures(media.nodes)) {
              const text = DISCLOSURE_TEXT[hit.kind];
              disclosed = once({
                status: 'fail',
                messageId: hit.excerpt === undefined ? 'disclosingProperty' : 'disclosingExample',
                subject: subjectOf(hit.node.path || 'schema'),
                location: hit.node.location,
                ...(hit.excerpt !== undefined ? { evidence: hit.excerpt } : {}),
                data: { operation, status, field: hit.node.path, kind: hit.kind, kindZh: text.zh, kindEn: text.en, ...(hit.excerpt !== undefined ? { excerpt: hit.excerpt } : {}) },
              });
            }
          }
          for (const example of response.examples) {
            const serialised = exampleText(example.value);
            if (serialised.cut) {
              outcomes.push({
                status: 'warn',
                messageId: 'exampleCut',
                subject: `${operation} ${status} example cut`,
                location: example.location,
                data: { operation, status, depth: MAX_EXAMPLE_DEPTH },
              });
            }
            const hit = exampleDisclosure(example.value, serialised.text);
            if (!hit) continue;
            const label = DISCLOSURE_TEXT[hit.kind];
            disclosed = once({
              status: 'fail',
              messageId: 'disclosingExample',
              subject: subjectOf('example'),
              location: example.location,
              evidence: hit.excerpt,
              data: { operation, status, field: 'example', kind: hit.kind, kindZh: label.zh, kindEn: label.en, excerpt: hit.excerpt },
            });
          }
          if (!disclosed) {
            outcomes.push({ status: 'pass', messageId: 'noDisclosure', subject: `${operation} ${status}`, location: response.location, data: { operation, status } });
          }
        }
      }
    }
    // Error schemas cut by a walk limit with a disclosing property name past the cut (only error responses count).
    const anyCut = bundle.openapi.some((doc) => doc.operations.some((op) => op.responses.some((r) => isErrorStatus(r.status) && r.content.some((m) => m.truncated))));
    if (anyCut) {
      const errorOnly = bundle.openapi.map((doc) => ({ ...doc, operations: doc.operations.map((op) => ({ ...op, responses: op.responses.filter((r) => isErrorStatus(r.status)) })) }));
      outcomes.push(...cutSchemaOutcomes(cutResponseSchemas(errorOnly, (name) => classifyDisclosureProperty(name) !== undefined)));
    }
    return outcomes;
  },
});

// ---------------------------------------------------------------------------------------------
// 10.1.2 flow control
// ---------------------------------------------------------------------------------------------

const RATE_LIMIT_HEADER = /^(?:x-)?rate-?limit(?:-|$)|^retry-after$/i;

const rateLimitDeclared = defineCheck<Record<string, never>>({
  name: 'openapi.rateLimitDeclared',
  evidence: EVIDENCE,
  description:
    'The description declares flow control: a 429 response, rate-limit headers (X-RateLimit-*, RateLimit-*, Retry-After) or an x-rate-limit / x-throttling extension (10.1.2). One outcome per document.',
  params: NO_PARAMS,
  messages: {
    rateLimitDeclared: {
      zh: '{{file}} 声明了流量控制（{{operation}}：{{how}}）',
      en: '{{file}} declares flow control ({{operation}}: {{how}})',
    },
    noRateLimit: {
      zh: '{{file}} 的 {{operations}} 个接口均未声明流量控制（429 响应或限流响应头），宜对接口进行流量控制（10.1.2）',
      en: 'none of the {{operations}} operations in {{file}} declares flow control (a 429 response or rate-limit headers) (10.1.2)',
    },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    for (const doc of bundle.openapi) {
      if (doc.operations.length === 0) continue;
      let found: { op: OperationEvidence; how: string; location: SourceLocation } | undefined;
      for (const op of doc.operations) {
        for (const response of op.responses) {
          if (response.status === '429') found = { op, how: '429', location: response.location };
          else {
            const header = response.headers.find((h) => RATE_LIMIT_HEADER.test(h.name));
            if (header) found = { op, how: header.name, location: header.location };
          }
          if (found) break;
        }
        const ext = Object.keys(op.extensions).find((k) => /^x-(?:rate-?limit|throttl)/i.test(k));
        if (!found && ext) found = { op, how: ext, location: op.location };
        if (found) break;
      }
      if (found) {
        outcomes.push({
          status: 'pass',
          messageId: 'rateLimitDeclared',
          subject: doc.file,
          location: found.location,
          data: { file: doc.file, operation: operationName(found.op), how: found.how },
        });
      } else {
        outcomes.push({ status: 'fail', messageId: 'noRateLimit', subject: doc.file, location: docLocation(doc), data: { file: doc.file, operations: doc.operations.length } });
      }
    }
    return outcomes;
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.2 interface version, parameter formats
// ---------------------------------------------------------------------------------------------

/** A server URL with its `{variables}` replaced by their defaults (bunq `https://api.bunq.com/{basePath}`, basePath v1). */
function resolvedServerUrl(server: ServerEvidence): string {
  return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name] ?? whole);
}

/** `application/vnd.dwolla.v1.hal+json`, `application/json; version=2`, `application/vnd.github.v3+json`. */
const VERSIONED_MEDIA_TYPE = /^[^;]*\bvnd\.[^;]*?[.+-]v\d+(?:[.+-]|$)|;\s*(?:api-?)?version\s*=|;\s*v\s*=\s*\d/i;
/** A header the description says carries the version (Mojaloop: "The `Content-Type` header indicates the specific version of the API"). */
const SAYS_VERSION = /\b(?:(?:specific|api|interface) version|version of the (?:api|interface|service)|api-version)\b|接口版本|版本号/i;

function operationVersion(op: OperationEvidence): { messageId: string; data: Record<string, string>; location?: SourceLocation } | undefined {
  const operation = operationName(op);
  if (hasVersionInPath(op.path)) return { messageId: 'versionInPath', data: { operation } };
  const param = op.parameters.find((p) => p.in !== 'body' && (isVersionParameterName(p.name) || (p.in === 'header' && SAYS_VERSION.test(p.description ?? ''))));
  if (param) return { messageId: 'versionParameter', data: { operation, parameter: `${param.in} ${param.name}` }, location: param.location };
  const media = [...op.responses.flatMap((r) => r.content), ...(op.requestBody?.content ?? [])].find((m) => VERSIONED_MEDIA_TYPE.test(m.mediaType));
  if (media) return { messageId: 'versionInMediaType', data: { operation, mediaType: media.mediaType }, location: media.location };
  // A version header declared as an apiKey scheme (`X-Api-Version`) that the operation's security sends.
  const scheme = (op.security ?? []).flatMap((alt) => alt.schemes).map((s) => s.scheme).find((sc) => sc?.type === 'apiKey' && sc.in === 'header' && sc.paramName !== undefined && isVersionParameterName(sc.paramName))
;
  if (scheme) return { messageId: 'versionParameter', data: { operation, parameter: `header ${scheme.paramName} (scheme ${scheme.name})` }, location: scheme.location };
  return undefined;
}

const versionIdentifiable = defineCheck<Record<string, never>>({
  name: 'openapi.versionIdentifiable',
  evidence: EVIDENCE,
  description:
    'The interface version is identifiable: info.version is present, and every server URL (variables at their defaults, or a Swagger 2.0 basePath) carries a version (/v1/), or else each operation has one in its path, a version header or parameter (also an apiKey scheme such as X-Api-Version, or a header described as carrying the version), or a versioned media type (7.2.2).',
  params: NO_PARAMS,
  messages: {
    infoVersion: { zh: '{{file}} 声明了接口版本 {{version}}', en: '{{file}} declares interface version {{version}}' },
    noInfoVersion: {
      zh: '{{file}} 未声明 info.version，接口版本无法识别（7.2.2）',
      en: '{{file}} has no info.version; the interface version cannot be identified (7.2.2)',
    },
    versionInServer: { zh: '服务地址 {{url}} 含版本号', en: 'server {{url}} carries a version' },
    versionInPath: { zh: '{{operation}} 的路径含版本号', en: 'the path of {{operation}} carries a version' },
    versionParameter: { zh: '{{operation}} 通过参数 {{parameter}} 指定版本', en: '{{operation}} selects its version with parameter {{parameter}}' },
    versionInMediaType: { zh: '{{operation}} 的媒体类型 {{mediaType}} 含版本号', en: 'the media type {{mediaType}} of {{operation}} carries a version' },
    noInterfaceVersion: {
      zh: '{{count}} 个接口（首个：{{operation}}）的服务地址、路径、参数和媒体类型均不含版本号，调用方无法识别接口版本（7.2.2）',
      en: 'for {{count}} operation(s) (first: {{operation}}), neither the server URL, the path, a parameter nor the media type carries a version; callers cannot tell which interface version they call (7.2.2)',
    },
  },
  run(bundle) {
    return groupedPerDocument(bundle.openapi, (doc) => {
      const outcomes: Outcome[] = [];
      if (doc.apiVersion && doc.apiVersion.trim() !== '') {
        outcomes.push({ status: 'pass', messageId: 'infoVersion', subject: `${doc.file} info.version`, location: docLocation(doc, '/info/version'), data: { file: doc.file, version: doc.apiVersion } });
      } else {
        outcomes.push({ status: 'fail', messageId: 'noInfoVersion', subject: `${doc.file} info.version`, location: docLocation(doc, '/info'), data: { file: doc.file } });
      }
      const absolute = doc.servers;
      if (absolute.length > 0 && absolute.every((s) => hasVersionInPath(resolvedServerUrl(s)))) {
        for (const s of absolute) outcomes.push({ status: 'pass', messageId: 'versionInServer', subject: s.url, location: s.location, data: { url: resolvedServerUrl(s) } });
        return outcomes;
      }
      // Swagger 2.0 without `host` (or `schemes`): the basePath still names the version for every operation.
      if (absolute.length === 0 && doc.basePath !== undefined && hasVersionInPath(doc.basePath)) {
        outcomes.push({ status: 'pass', messageId: 'versionInServer', subject: doc.basePath, location: docLocation(doc, '/basePath'), data: { url: doc.basePath } });
        return outcomes;
      }
      for (const op of doc.operations) {
        const operation = operationName(op);
        const found = operationVersion(op);
        if (found) outcomes.push({ status: 'pass', messageId: found.messageId, subject: operation, location: found.location ?? op.location, data: found.data });
        else outcomes.push({ status: 'fail', messageId: 'noInterfaceVersion', subject: operation, location: op.location, data: { operation } });
      }
      return outcomes;
    }, (o) => (o.messageId === 'noInterfaceVersion' ? o.messageId : `${o.messageId} ${o.subject}`));
  },
});

type ConstraintVerdict = 'constrained' | 'noType' | 'unconstrainedString';

function typesOf(schema: Record<string, unknown>): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string' && x !== 'null');
  return [];
}

/** 7.3.2 format constraints: strings need maxLength, pattern, enum, const or format; numbers need a type. */
function constraintVerdict(schema: Record<string, unknown> | undefined, depth = 0): ConstraintVerdict {
  if (!schema || depth > 5) return 'noType';
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const verdicts = branches.map((b) => constraintVerdict(b as Record<string, unknown>, depth + 1));
      // allOf: one constraining branch binds the value; oneOf/anyOf: every branch a client may pick must.
      const ok = key === 'allOf' ? verdicts.includes('constrained') : verdicts.every((v) => v === 'constrained');
      if (ok) return 'constrained';
      if (typesOf(schema).length === 0) return verdicts.find((v) => v !== 'constrained')!;
    }
  }
  const types = typesOf(schema);
  if (types.length === 0) return schema.enum !== undefined || schema.const !== undefined ? 'constrained' : 'noType';
  for (const type of types) {
    if (type === 'string') {
      const bounded = ['maxLength', 'pattern', 'enum', 'const', 'format'].some((k) => schema[k] !== undefined);
      if (!bounded) return 'unconstrainedString';
    } else if (type === 'array') {
      const items = schema.items;
      if (items && typeof items === 'object' && !Array.isArray(items)) {
        const v = constraintVerdict(items as Record<string, unknown>, depth + 1);
        if (v !== 'constrained') return v;
      } else return 'noType';
    }
  }
  return 'constrained';
}

const parameterConstraints = defineCheck<Record<string, never>>({
  name: 'openapi.parameterConstraints',
  evidence: EVIDENCE,
  description:
    'Every parameter carries format constraints: a type, and for strings maxLength, pattern, enum or format; array items likewise (7.2.2, 7.3.2). One outcome per parameter.',
  params: NO_PARAMS,
  messages: {
    constrained: { zh: '{{operation}} 的参数 {{parameter}} 有格式约束', en: 'parameter {{parameter}} of {{operation}} is format-constrained' },
    noType: {
      zh: '参数 {{parameter}} 未声明类型，涉及 {{count}} 处（首个：{{operation}}）（7.2.2、7.3.2）',
      en: 'parameter {{parameter}} declares no type, in {{count}} place(s) (first: {{operation}}) (7.2.2, 7.3.2)',
    },
    unconstrainedString: {
      zh: '字符串参数 {{parameter}} 未限定长度、格式、取值范围或正则（maxLength、format、enum、pattern），涉及 {{count}} 处（首个：{{operation}}）（7.2.2、7.3.2）',
      en: 'string parameter {{parameter}} has no maxLength, pattern, enum or format, in {{count}} place(s) (first: {{operation}}) (7.2.2, 7.3.2)',
    },
  },
  run(bundle) {
    const seen = new Set<string>();
    return groupedPerDocument(bundle.openapi, (doc) => {
      const outcomes: Outcome[] = [];
      for (const op of doc.operations) {
        const operation = operationName(op);
        for (const p of op.parameters) {
          const key = locationKey(p.location);
          if (seen.has(key)) continue;
          seen.add(key);
          const parameter = `${p.in} ${p.name}`;
          const verdict = constraintVerdict(p.schema);
          outcomes.push({
            status: verdict === 'constrained' ? 'pass' : 'fail',
            messageId: verdict,
            subject: `${operation} ${parameter}`,
            location: p.location,
            data: { operation, parameter },
          });
        }
      }
      return outcomes;
    }, (o) => `${o.messageId} ${o.data?.parameter ?? ''}`);
  },
});

// ---------------------------------------------------------------------------------------------
// 7.2.2 structural validity
// ---------------------------------------------------------------------------------------------

const specValid = defineCheck<Record<string, never>>({
  name: 'openapi.specValid',
  evidence: EVIDENCE,
  description: 'The interface description is structurally valid: each schema violation or unresolved reference is a finding (7.2.2).',
  params: NO_PARAMS,
  messages: {
    specValid: { zh: '{{file}} 结构有效', en: '{{file}} is structurally valid' },
    specProblem: { zh: '{{file}} 结构问题：{{problem}}', en: '{{file}} structural problem: {{problem}}' },
  },
  run(bundle) {
    const outcomes: Outcome[] = [];
    for (const doc of bundle.openapi) {
      // A part the reader could not read (a remote $ref not fetched, a missing file) is not a defect of the description:
      // it is a report warning, and the engine turns every would-be pass on this document into `error`.
      const defects = doc.problems.filter((p) => !p.hidesEvidence);
      if (defects.length === 0) {
        outcomes.push({ status: 'pass', messageId: 'specValid', subject: doc.file, location: docLocation(doc), data: { file: doc.file } });
        continue;
      }
      for (const problem of defects) {
        const text = safeExcerpt(problem.message, 200);
        outcomes.push({
          status: 'fail',
          messageId: 'specProblem',
          subject: `${doc.file} ${problem.location.pointer ?? problem.location.line ?? ''} ${text}`,
          location: problem.location,
          data: { file: doc.file, problem: text },
        });
      }
    }
    return outcomes;
  },
});

/** Checks of the `openapi` family (see DESIGN.md "Checks and messages"). */
export const openapiChecks: AnyCheck[] = [
  serversHttps,
  operationAuthentication,
  mutualAuthentication,
  requestSignature,
  responseMasking,
  noPaymentSensitiveInResponse,
  errorDisclosure,
  rateLimitDeclared,
  versionIdentifiable,
  parameterConstraints,
  specValid,
];
