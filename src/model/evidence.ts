/**
 * Evidence: what collectors read from inputs, in typed form, never judged.
 *
 * Every item that a finding can point at carries a SourceLocation. Collectors that know lines
 * (gateway configs, logs) fill `line`/`column` directly; the OpenAPI collector fills `file` and
 * `pointer` and registers a Locator so the engine resolves pointer → line/column only for the
 * items a finding actually points at (a full position map of a 13 MB spec costs more than the
 * whole assessment, see DESIGN.md).
 */

export type SecurityLevel = 'A1' | 'A2';
export type Role = 'bank' | 'app';

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** RFC 6901 JSON pointer inside `file` (OpenAPI, YAML/JSON gateway configs). */
  pointer?: string;
  /** For probes: the URL or host:port that was contacted. */
  target?: string;
}

/**
 * One of the several places a finding concerns (an affected operation, property, route or log line).
 * A finding about many places carries them all as data (JSON `locations[]`, SARIF `relatedLocations`),
 * never as text inside its message.
 */
export interface RelatedLocation extends SourceLocation {
  /** Masked excerpt of what stands at this place. */
  excerpt?: string;
  /** Stable identity of the thing at this place (e.g. `GET /accounts`, a property path). */
  subject?: string;
}

/** Resolves JSON pointers of one file to line/column, lazily and in batches. */
export interface Locator {
  file: string;
  /** Returns a location for every pointer given; unknown pointers get the nearest existing ancestor. */
  locate(pointers: readonly string[]): Map<string, { line: number; column: number }>;
}

/**
 * A problem an input had that did not stop the collector (a broken spec is a finding, not a crash): a missing
 * include, an unreadable file, malformed lines, a timeout, a gateway file that yields no route and no listener, a
 * schema cut by a walk limit. Every problem reaches the report as a warning. One that `hidesEvidence` means the
 * reader lost part of what it was asked to read: evidence it lost cannot vouch for anything, so a rule checked on
 * that evidence item cannot pass (the engine turns its would-be pass into `error`: nothing breaks into a pass).
 */
export interface InputProblem {
  message: string;
  location: SourceLocation;
  hidesEvidence?: boolean;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI (Swagger 2.0, OpenAPI 3.0, 3.1) — normalised so that checks never branch on version.
// ---------------------------------------------------------------------------------------------

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

/** x-authentication values recognised on a security scheme (see README "Recognised OpenAPI conventions"). */
export type AuthenticationFactor = 'certificate' | 'keypair' | 'secret';

export interface SecuritySchemeEvidence {
  name: string;
  /** OpenAPI type: apiKey | http | oauth2 | openIdConnect | mutualTLS | basic (2.0) | unknown strings kept as is. */
  type: string;
  /** For http schemes: basic, bearer, digest, or a custom value such as `payone-hmac-sha256`. */
  httpScheme?: string;
  /** For apiKey: where the key travels and its name. */
  in?: string;
  paramName?: string;
  /** Value of the `x-authentication` extension, when present and recognised. */
  authentication?: AuthenticationFactor;
  description?: string;
  /** OAuth2 flows (3.x `flows`, 2.0 `flow`, named in 3.x terms), for where user authentication happens (7.2.1 b2, 9.3.1). */
  flows?: OAuthFlowEvidence[];
  /** openIdConnect: the discovery document URL. */
  openIdConnectUrl?: string;
  location: SourceLocation;
}

export interface OAuthFlowEvidence {
  /** 3.x flow names; Swagger 2.0 `application` is `clientCredentials`, `accessCode` is `authorizationCode`. */
  type: 'implicit' | 'password' | 'clientCredentials' | 'authorizationCode';
  authorizationUrl?: string;
  tokenUrl?: string;
  location: SourceLocation;
}

/** One alternative of an operation's security: all schemes listed must be satisfied together. */
export interface SecurityRequirementEvidence {
  schemes: { name: string; scheme?: SecuritySchemeEvidence; scopes: string[] }[];
  location: SourceLocation;
}

/** A JSON Schema node reached while walking a schema, with where it really stands in its file. */
export interface SchemaNode {
  /** Property name that leads to this node (undefined for the root of a schema). */
  propertyName?: string;
  /** Dotted path from the schema root, e.g. `data.items.cardNo` (for messages). */
  path: string;
  /**
   * Nodes describing the same value (a property's schema, its composition members, a `$ref` target) share a slot,
   * numbered within one node list: grouping by it is grouping by `path`, without hashing long path strings.
   */
  slot?: number;
  /**
   * Name of the property holding this node's object (array and composition levels skipped), as the OpenAPI
   * collector computed it once per holding object: null = none; absent = not computed (read it from `path`).
   */
  parentName?: string | null;
  schema: Record<string, unknown>;
  location: SourceLocation;
}

export interface ParameterEvidence {
  name: string;
  in: string; // query | header | path | cookie | body | formData
  required: boolean;
  /** The parameter's schema (2.0 non-body parameters are given as a schema built from their fields). */
  schema?: Record<string, unknown>;
  description?: string;
  location: SourceLocation;
}

/**
 * The schema nodes of one walk as the OpenAPI collector keeps them: columns by node index (0 … length-1, the order of
 * `nodes`), each node's SchemaNode built only when asked for. A check that reads every node of every media type (Stripe:
 * ~160,000) but judges only a few of them reads the columns and builds only those it reports (issue 17).
 */
export interface SchemaNodeTable {
  readonly length: number;
  propertyName(i: number): string | undefined;
  /** SchemaNode.parentName: null = none. */
  parentName(i: number): string | null;
  slot(i: number): number;
  schema(i: number): Record<string, unknown>;
  /** The node itself: the same object `nodes()` holds at `i`. */
  node(i: number): SchemaNode;
  /** Every node, built once (the array every media type sharing this walk holds as `nodes`). */
  nodes(): SchemaNode[];
}

export interface MediaTypeEvidence {
  mediaType: string;
  /**
   * All schema nodes reachable from this media type's schema (refs followed once, cycles cut). From the OpenAPI
   * collector this is built from `table` on first read.
   */
  nodes: SchemaNode[];
  /** The same nodes as columns (not enumerable: not part of the evidence's JSON), when the collector walked them. */
  readonly table?: SchemaNodeTable;
  /** Set when the schema is larger or deeper than the collector walks (its limits): what lies past them was not examined. */
  truncated?: boolean;
  /**
   * When truncated: the property names past the limits, found by a names-only walk (cheap), so that a check can tell
   * whether the cut hid anything it looks for. Absent on a truncated media type when even the names walk was cut.
   */
  namesPastLimit?: string[];
  location: SourceLocation;
}

export interface ResponseEvidence {
  status: string; // "200", "4XX", "default"
  description?: string;
  headers: { name: string; schema?: Record<string, unknown>; description?: string; location: SourceLocation }[];
  content: MediaTypeEvidence[];
  /** Literal examples found under this response (example/examples), as raw values. */
  examples: { value: unknown; location: SourceLocation }[];
  location: SourceLocation;
}

export interface OperationEvidence {
  file: string;
  method: string; // lower-case
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  /** x-security-level on the operation, else on info; undefined when neither says. */
  declaredLevel?: SecurityLevel;
  /** x-u-api-id on the operation. */
  uApiId?: string;
  /** Effective security: operation-level if present, else the document's; undefined when none declared at all. */
  security?: SecurityRequirementEvidence[];
  parameters: ParameterEvidence[];
  requestBody?: { required: boolean; content: MediaTypeEvidence[]; location: SourceLocation };
  responses: ResponseEvidence[];
  /** All `x-*` keys of the operation object. */
  extensions: Record<string, unknown>;
  location: SourceLocation;
}

export interface ServerEvidence {
  url: string;
  /** Defaults of the URL's `{variables}` (3.x `servers[].variables[].default`). */
  variables?: Record<string, string>;
  location: SourceLocation;
}

export interface OpenApiDocumentEvidence {
  kind: 'openapi';
  file: string;
  version: OpenApiVersion;
  title?: string;
  /** info.version */
  apiVersion?: string;
  /** x-security-level in info */
  declaredLevel?: SecurityLevel;
  /** 3.x servers, or for 2.0 one entry per scheme built from schemes + host + basePath. */
  servers: ServerEvidence[];
  /** 2.0 only: `schemes` as written (absent means the scheme used to fetch the spec). */
  schemes?: string[];
  /** 2.0 only: `basePath` as written, kept when no absolute server can be built (no `host` or no `schemes`). */
  basePath?: string;
  securitySchemes: SecuritySchemeEvidence[];
  operations: OperationEvidence[];
  /** Structural validation problems (schema violations, unresolved refs). */
  problems: InputProblem[];
  /** SHA-256 of every file read for this document (the spec and the files its $refs reach). */
  digests: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Gateway configurations (Kong, APISIX, nginx, Spring Cloud Gateway) — one normalised model.
// ---------------------------------------------------------------------------------------------

export type GatewayFormat = 'kong' | 'apisix' | 'nginx' | 'spring' | 'kubernetes';

export interface TlsSettingsEvidence {
  enabled: boolean;
  /** Protocol names as the gateway spells them normalised to: SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2 TLSv1.3 */
  protocols?: string[];
  ciphers?: string;
  certificate?: string;
  /** Client-certificate verification: 'required' | 'optional' | 'off' */
  clientCertificate?: 'required' | 'optional' | 'off';
  /** Where the cipher list is set (nginx `ssl_ciphers`), when not at `location`. */
  ciphersLocation?: SourceLocation;
  /** Where client-certificate verification is set (nginx `ssl_verify_client`), when not at `location`. */
  clientCertificateLocation?: SourceLocation;
  /** Settings above that the file does not set and were filled with the gateway's documented default (e.g. `ssl_protocols`). */
  defaults?: string[];
  location: SourceLocation;
}

export interface ListenerEvidence {
  /** e.g. "443", "0.0.0.0:8443", "[::]:80" */
  address: string;
  port?: number;
  tls: TlsSettingsEvidence;
  /** A plaintext listener that only redirects to https (nginx `return 301 https://…`, APISIX redirect http_to_https). */
  redirectsToHttps?: boolean;
  location: SourceLocation;
}

export type GatewayAuthKind =
  | 'key' // api key / App_Secret style shared secret
  | 'basic'
  | 'jwt'
  | 'oauth2'
  | 'hmac' // MAC over the request
  | 'signature' // asymmetric request signature
  | 'mtls' // client certificate
  | 'oidc'
  | 'custom';

export interface GatewayPluginEvidence {
  /** Plugin / filter / directive name as written (e.g. `key-auth`, `limit-req`, `RequestRateLimiter`). */
  name: string;
  config: Record<string, unknown>;
  location: SourceLocation;
}

export interface GatewayAuthEvidence {
  kind: GatewayAuthKind;
  plugin: string;
  /** Token/session lifetime in seconds when the config bounds it. */
  maxLifetimeSeconds?: number;
  location: SourceLocation;
}

export interface RateLimitEvidence {
  plugin: string;
  /** Requests per second if derivable, for messages. */
  ratePerSecond?: number;
  concurrency?: number;
  location: SourceLocation;
}

export interface AccessListEvidence {
  plugin: string;
  mode: 'allow' | 'deny';
  entries: string[];
  location: SourceLocation;
}

export interface AccessLogEvidence {
  enabled: boolean;
  plugin: string;
  /** Where the log is written (nginx `access_log PATH`, Kong `file-log` path), when the config says. */
  path?: string;
  /** The log format string or the list of field names, when the config shows it. */
  format?: string;
  fields?: string[];
  location: SourceLocation;
}

export interface RouteEvidence {
  name?: string;
  hosts: string[];
  paths: string[];
  methods: string[];
  /** Accepted client protocols: http, https, grpc, grpcs, tcp, tls… */
  protocols: string[];
  upstream?: string;
  /** Security level from tags / labels (e.g. tag `A2`, `x-security-level: A2`). */
  declaredLevel?: SecurityLevel;
  tags: string[];
  auth: GatewayAuthEvidence[];
  rateLimits: RateLimitEvidence[];
  accessLists: AccessListEvidence[];
  logging: AccessLogEvidence[];
  plugins: GatewayPluginEvidence[];
  location: SourceLocation;
}

export interface InlineCredentialEvidence {
  /** What it is: app-secret, private-key, password, api-key, token, hmac-secret … */
  kind: string;
  /** Dotted key path or directive name, e.g. `consumers[0].keyauth_credentials[0].key`. */
  key: string;
  /** Masked excerpt; the clear value never leaves the collector. */
  excerpt: string;
  location: SourceLocation;
}

export interface GatewayConfigEvidence {
  kind: 'gateway';
  file: string;
  format: GatewayFormat;
  listeners: ListenerEvidence[];
  routes: RouteEvidence[];
  /** Plugins applied to every route (Kong global plugins, APISIX global_rules, nginx http-level directives). */
  globalPlugins: GatewayPluginEvidence[];
  credentials: InlineCredentialEvidence[];
  /** Server/version disclosure settings: server_tokens on, X-Powered-By passed through… */
  disclosures: { setting: string; value: string; location: SourceLocation }[];
  problems: InputProblem[];
  digests: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

export type LogFormat = 'jsonl' | 'json' | 'logfmt' | 'combined' | 'custom-nginx' | 'w3c' | 'zeek' | 'text';

/** One detector's hits in one file: counts plus the first few locations, already masked. */
export interface LogDetectionEvidence {
  /** Detector name: pan, cvv, expiry, id-card, mobile, email, person-name, password, pin, app-secret, private-key, bearer-token, jwt, masked-pan … */
  detector: string;
  count: number;
  samples: { excerpt: string; field?: string; location: SourceLocation }[];
}

export interface LogFieldCoverageEvidence {
  /** One of the six 7.3.3 fields: serial-number, app-id, u-api-id, duration, timestamp, result */
  field: string;
  /** Records that have it / records examined (structured records only). */
  present: number;
  examined: number;
  /** Source field names recognised for it, e.g. ["traceId"]. */
  matchedNames: string[];
  /** First records missing it. */
  missingSamples: SourceLocation[];
}

export interface LogFileEvidence {
  kind: 'logs';
  file: string;
  format: LogFormat;
  /** Which party's log this is when the user said so (--logs-role) — else undefined. */
  party?: Role;
  lines: number;
  records: number;
  structuredRecords: number;
  malformedLines: number;
  bytes: number;
  detections: LogDetectionEvidence[];
  fields: LogFieldCoverageEvidence[];
  problems: InputProblem[];
  digests: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Live probes
// ---------------------------------------------------------------------------------------------

export interface ProbeResultEvidence {
  kind: 'probe';
  /** Probe family: tls | http | signature | masking */
  probe: string;
  /** What was contacted: https://host:port/path or host:port. */
  target: string;
  /** Probe-specific facts, e.g. { protocols: {...}, weakCiphers: [...] } — documented per probe. */
  facts: Record<string, unknown>;
  /** Requests actually sent. */
  requests: number;
  problems: InputProblem[];
}

export type EvidenceKind = 'openapi' | 'gateway' | 'logs' | 'probe';

/** All evidence of one assessment. Immutable once built; checks receive it read-only. */
export interface EvidenceBundle {
  openapi: OpenApiDocumentEvidence[];
  gateway: GatewayConfigEvidence[];
  logs: LogFileEvidence[];
  probe: ProbeResultEvidence[];
}

export function emptyBundle(): EvidenceBundle {
  return { openapi: [], gateway: [], logs: [], probe: [] };
}
