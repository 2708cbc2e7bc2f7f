/**
 * Swagger 2.0 / OpenAPI 3.0 / 3.1 → OpenApiDocumentEvidence, one shape for every version so that
 * checks never branch on it. Every item keeps the file and JSON pointer where it is written.
 */
import type {
  AuthenticationFactor,
  MediaTypeEvidence,
  OAuthFlowEvidence,
  OpenApiDocumentEvidence,
  OpenApiVersion,
  OperationEvidence,
  ParameterEvidence,
  ResponseEvidence,
  SecurityLevel,
  SecurityRequirementEvidence,
  SecuritySchemeEvidence,
  ServerEvidence,
  SourceLocation,
} from '../../model/evidence.js';
import { isObject } from './pointer.js';
import { DocumentSet, type Cursor } from './refs.js';
import { mediaTypeOver, type NodeTable } from './node-table.js';
import { SchemaWalker } from './schema-walk.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** 2.0 parameter/header fields that describe the value, copied into the schema built for it. */
const SWAGGER2_SCHEMA_FIELDS = [
  'type',
  'format',
  'items',
  'collectionFormat',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
] as const;

const AUTHENTICATION_FACTORS: readonly string[] = ['certificate', 'keypair', 'secret'];

export function normaliseDocument(documents: DocumentSet, rootFile: string, version: OpenApiVersion): OpenApiDocumentEvidence {
  return new Normaliser(documents, rootFile, version).run();
}

class Normaliser {
  private readonly walker: SchemaWalker;
  private readonly root: Cursor;
  private readonly schemes = new Map<string, SecuritySchemeEvidence>();
  private readonly swagger2: boolean;

  constructor(
    private readonly documents: DocumentSet,
    private readonly rootFile: string,
    private readonly version: OpenApiVersion,
  ) {
    this.walker = new SchemaWalker(documents);
    this.root = { file: rootFile, pointer: '', value: documents.sources.get(rootFile)!.value };
    this.swagger2 = version === '2.0';
  }

  private get doc(): Record<string, unknown> {
    return this.root.value as Record<string, unknown>;
  }

  run(): OpenApiDocumentEvidence {
    const info = isObject(this.doc.info) ? this.doc.info : undefined;
    if (!info) this.documents.addProblem('the document has no `info` object', this.rootFile, '');
    const infoCursor = this.child(this.root, 'info');
    const evidence: OpenApiDocumentEvidence = {
      kind: 'openapi',
      file: this.rootFile,
      version: this.version,
      title: typeof info?.title === 'string' ? info.title : undefined,
      apiVersion: info?.version !== undefined && info.version !== null ? String(info.version) : undefined,
      declaredLevel: this.level(this.child(infoCursor, 'x-security-level')),
      servers: [],
      securitySchemes: [],
      operations: [],
      problems: this.documents.problems,
      digests: {},
    };
    this.collectSecuritySchemes();
    evidence.securitySchemes = [...this.schemes.values()];
    if (this.swagger2) {
      const { servers, schemes } = this.swagger2Servers();
      evidence.servers = servers;
      if (schemes) evidence.schemes = schemes;
      if (typeof this.doc.basePath === 'string' && this.doc.basePath !== '') evidence.basePath = this.doc.basePath;
    } else {
      evidence.servers = this.servers(this.child(this.root, 'servers'));
    }
    evidence.operations = this.operations();
    // Path- and operation-level servers override the document's for those operations: judge them too.
    evidence.servers.push(...this.overridingServers);
    for (const [file, source] of this.documents.sources) evidence.digests[file] = source.sha256;
    return evidence;
  }

  private child(cursor: Cursor, key: string | number): Cursor {
    return this.documents.child(cursor, key);
  }

  private problem(message: string, cursor: Cursor): void {
    this.documents.addProblem(message, cursor.file, cursor.pointer);
  }

  private level(cursor: Cursor): SecurityLevel | undefined {
    if (cursor.value === undefined || cursor.value === null) return undefined;
    const level = String(cursor.value).trim().toUpperCase();
    if (level === 'A1' || level === 'A2') return level;
    this.problem(`x-security-level '${String(cursor.value)}' is neither A1 nor A2`, cursor);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Security schemes and requirements
  // ---------------------------------------------------------------------------------------------

  private collectSecuritySchemes(): void {
    const container = this.swagger2
      ? this.child(this.root, 'securityDefinitions')
      : this.child(this.child(this.root, 'components'), 'securitySchemes');
    if (container.value === undefined) return;
    if (!isObject(container.value)) {
      this.problem('security schemes must be an object', container);
      return;
    }
    for (const name of Object.keys(container.value)) {
      const at = this.documents.deref(this.child(container, name));
      if (!at) continue;
      if (!isObject(at.value)) {
        this.problem(`security scheme '${name}' is not an object`, at);
        continue;
      }
      const s = at.value;
      const scheme: SecuritySchemeEvidence = {
        name,
        type: typeof s.type === 'string' ? s.type : 'unknown',
        location: { file: at.file, pointer: at.pointer },
      };
      if (typeof s.scheme === 'string') scheme.httpScheme = s.scheme.toLowerCase();
      if (typeof s.in === 'string') scheme.in = s.in;
      if (typeof s.name === 'string') scheme.paramName = s.name;
      const factor = typeof s['x-authentication'] === 'string' ? s['x-authentication'].trim().toLowerCase() : undefined;
      if (factor !== undefined) {
        if (AUTHENTICATION_FACTORS.includes(factor)) scheme.authentication = factor as AuthenticationFactor;
        else this.problem(`x-authentication '${factor}' is not one of certificate, keypair, secret`, this.child(at, 'x-authentication'));
      }
      if (typeof s.description === 'string') scheme.description = s.description;
      const flows = oauthFlows(s, at.file, at.pointer);
      if (flows.length > 0) scheme.flows = flows;
      if (typeof s.openIdConnectUrl === 'string') scheme.openIdConnectUrl = s.openIdConnectUrl;
      if (typeof s.type !== 'string') this.problem(`security scheme '${name}' has no type`, at);
      this.schemes.set(name, scheme);
    }
  }

  private securityRequirements(cursor: Cursor): SecurityRequirementEvidence[] | undefined {
    if (cursor.value === undefined) return undefined;
    if (!Array.isArray(cursor.value)) {
      this.problem('`security` must be an array of security requirements', cursor);
      return [];
    }
    const requirements: SecurityRequirementEvidence[] = [];
    cursor.value.forEach((item, i) => {
      const at = this.child(cursor, i);
      if (!isObject(item)) {
        this.problem('a security requirement must be an object', at);
        return;
      }
      const schemes = Object.keys(item).map((name) => {
        const scopes = Array.isArray(item[name]) ? (item[name] as unknown[]).map(String) : [];
        const scheme = this.schemes.get(name);
        if (!scheme) this.problem(`security requirement names '${name}', which is not a declared security scheme`, this.child(at, name));
        return scheme ? { name, scheme, scopes } : { name, scopes };
      });
      requirements.push({ schemes, location: { file: at.file, pointer: at.pointer } });
    });
    return requirements;
  }

  // ---------------------------------------------------------------------------------------------
  // Servers
  // ---------------------------------------------------------------------------------------------

  private servers(cursor: Cursor): ServerEvidence[] {
    if (cursor.value === undefined) return [];
    if (!Array.isArray(cursor.value)) {
      this.problem('`servers` must be an array', cursor);
      return [];
    }
    const servers: ServerEvidence[] = [];
    cursor.value.forEach((_, i) => {
      const at = this.documents.deref(this.child(cursor, i));
      if (!at) return;
      if (!isObject(at.value) || typeof at.value.url !== 'string') {
        this.problem('a server must be an object with a `url` string', at);
        return;
      }
      const server: ServerEvidence = { url: at.value.url, location: { file: at.file, pointer: `${at.pointer}/url` } };
      if (isObject(at.value.variables)) {
        const variables: Record<string, string> = {};
        for (const [name, v] of Object.entries(at.value.variables)) {
          if (isObject(v) && (typeof v.default === 'string' || typeof v.default === 'number')) variables[name] = String(v.default);
        }
        if (Object.keys(variables).length > 0) server.variables = variables;
      }
      servers.push(server);
    });
    return servers;
  }

  private swagger2Servers(): { servers: ServerEvidence[]; schemes?: string[] } {
    const schemesAt = this.child(this.root, 'schemes');
    const host = typeof this.doc.host === 'string' ? this.doc.host : '';
    const basePath = typeof this.doc.basePath === 'string' ? this.doc.basePath : '';
    if (schemesAt.value === undefined) return { servers: [] };
    if (!Array.isArray(schemesAt.value)) {
      this.problem('`schemes` must be an array', schemesAt);
      return { servers: [] };
    }
    const schemes = schemesAt.value.map(String);
    // Without `host` the API is served from wherever the document is: no absolute URL can be built
    // (a check still sees the schemes as written).
    if (host === '') return { servers: [], schemes };
    const servers = schemes.map((scheme, i) => ({
      url: `${scheme}://${host}${basePath}`,
      location: { file: this.rootFile, pointer: `/schemes/${i}` },
    }));
    return { servers, schemes };
  }

  // ---------------------------------------------------------------------------------------------
  // Operations
  // ---------------------------------------------------------------------------------------------

  private readonly overridingServers: ServerEvidence[] = [];

  private operations(): OperationEvidence[] {
    const pathsAt = this.child(this.root, 'paths');
    if (pathsAt.value === undefined) {
      if (this.version !== '3.1') this.problem('the document has no `paths` object', this.root);
      return [];
    }
    if (!isObject(pathsAt.value)) {
      this.problem('`paths` must be an object', pathsAt);
      return [];
    }
    const globalSecurity = this.securityRequirements(this.child(this.root, 'security'));
    const operations: OperationEvidence[] = [];
    for (const path of Object.keys(pathsAt.value)) {
      if (path.startsWith('x-')) continue;
      const written = this.child(pathsAt, path);
      if (!path.startsWith('/')) this.problem(`path '${path}' does not start with '/'`, written);
      const item = this.documents.deref(written);
      if (!item) continue;
      if (!isObject(item.value)) {
        this.problem(`path item '${path}' must be an object`, item);
        continue;
      }
      const pathParameters = this.child(item, 'parameters');
      if (!this.swagger2) this.overridingServers.push(...this.servers(this.child(item, 'servers')));
      for (const method of HTTP_METHODS) {
        if (item.value[method] === undefined) continue;
        const op = this.documents.deref(this.child(item, method));
        if (!op) continue;
        if (!isObject(op.value)) {
          this.problem(`operation ${method.toUpperCase()} ${path} must be an object`, op);
          continue;
        }
        if (!this.swagger2) this.overridingServers.push(...this.servers(this.child(op, 'servers')));
        operations.push(this.operation(path, method, op, pathParameters, globalSecurity));
      }
    }
    return operations;
  }

  private operation(
    path: string,
    method: string,
    op: Cursor,
    pathParameters: Cursor,
    globalSecurity: SecurityRequirementEvidence[] | undefined,
  ): OperationEvidence {
    const o = op.value as Record<string, unknown>;
    const extensions: Record<string, unknown> = {};
    for (const key of Object.keys(o)) if (key.startsWith('x-')) extensions[key] = o[key];
    const operation: OperationEvidence = {
      file: op.file,
      method,
      path,
      parameters: [],
      responses: [],
      extensions,
      location: { file: op.file, pointer: op.pointer },
    };
    if (typeof o.operationId === 'string') operation.operationId = o.operationId;
    if (typeof o.summary === 'string') operation.summary = o.summary;
    if (typeof o.description === 'string') operation.description = o.description;
    const level = this.level(this.child(op, 'x-security-level'));
    const documentLevel = this.level(this.child(this.child(this.root, 'info'), 'x-security-level'));
    if (level ?? documentLevel) operation.declaredLevel = level ?? documentLevel;
    const uApiId = o['x-u-api-id'];
    if (typeof uApiId === 'string' || typeof uApiId === 'number') operation.uApiId = String(uApiId);
    const security = o.security !== undefined ? this.securityRequirements(this.child(op, 'security')) : globalSecurity;
    if (security) operation.security = security;

    const parameters = this.mergedParameters(pathParameters, this.child(op, 'parameters'));
    for (const parameter of parameters) {
      const p = parameter.value as Record<string, unknown>;
      if (this.swagger2 && p.in === 'body') {
        operation.requestBody = {
          required: p.required === true,
          content: this.swagger2Content(this.child(parameter, 'schema'), this.mediaTypes(o, 'consumes'), parameter),
          location: { file: parameter.file, pointer: parameter.pointer },
        };
        continue;
      }
      operation.parameters.push(this.parameter(parameter));
    }
    if (!this.swagger2 && o.requestBody !== undefined) {
      const body = this.documents.deref(this.child(op, 'requestBody'));
      if (body && isObject(body.value)) {
        operation.requestBody = {
          required: body.value.required === true,
          content: this.content(this.child(body, 'content')).content,
          location: { file: body.file, pointer: body.pointer },
        };
      } else if (body) this.problem('`requestBody` must be an object', body);
    }

    const responsesAt = this.child(op, 'responses');
    if (isObject(responsesAt.value)) {
      for (const status of Object.keys(responsesAt.value)) {
        if (status.startsWith('x-')) continue;
        const response = this.response(status, this.child(responsesAt, status), o);
        if (response) operation.responses.push(response);
      }
    } else if (responsesAt.value !== undefined) {
      this.problem('`responses` must be an object', responsesAt);
    } else if (this.version !== '3.1') {
      this.problem(`operation ${method.toUpperCase()} ${path} has no \`responses\``, op);
    }
    return operation;
  }

  /** Path-level parameters overridden by operation-level ones with the same name and location. */
  private mergedParameters(pathLevel: Cursor, operationLevel: Cursor): Cursor[] {
    const merged = new Map<string, Cursor>();
    for (const list of [pathLevel, operationLevel]) {
      if (list.value === undefined) continue;
      if (!Array.isArray(list.value)) {
        this.problem('`parameters` must be an array', list);
        continue;
      }
      list.value.forEach((_, i) => {
        const at = this.documents.deref(this.child(list, i));
        if (!at) return;
        if (!isObject(at.value) || typeof at.value.name !== 'string' || typeof at.value.in !== 'string') {
          this.problem('a parameter must be an object with `name` and `in`', at);
          return;
        }
        merged.set(`${at.value.in}\u0000${at.value.name}`, at);
      });
    }
    return [...merged.values()];
  }

  private parameter(at: Cursor): ParameterEvidence {
    const p = at.value as Record<string, unknown>;
    const evidence: ParameterEvidence = {
      name: p.name as string,
      in: p.in as string,
      required: p.required === true || p.in === 'path',
      location: { file: at.file, pointer: at.pointer },
    };
    const schema = this.swagger2 ? this.swagger2Schema(p) : this.parameterSchema(at);
    if (schema) evidence.schema = schema;
    if (typeof p.description === 'string') evidence.description = p.description;
    return evidence;
  }

  private parameterSchema(at: Cursor): Record<string, unknown> | undefined {
    const p = at.value as Record<string, unknown>;
    if (p.schema !== undefined) {
      const schema = this.documents.deref(this.child(at, 'schema'));
      return schema && isObject(schema.value) ? schema.value : undefined;
    }
    if (isObject(p.content)) {
      const first = Object.keys(p.content)[0];
      if (first === undefined) return undefined;
      const media = this.documents.deref(this.child(this.child(at, 'content'), first));
      if (!media || !isObject(media.value)) return undefined;
      const schema = this.documents.deref(this.child(media, 'schema'));
      return schema && isObject(schema.value) ? schema.value : undefined;
    }
    return undefined;
  }

  /** 2.0 parameters and headers describe their value inline; give checks the same schema shape as 3.x. */
  private swagger2Schema(p: Record<string, unknown>): Record<string, unknown> | undefined {
    const schema: Record<string, unknown> = {};
    for (const field of SWAGGER2_SCHEMA_FIELDS) if (p[field] !== undefined) schema[field] = p[field];
    return Object.keys(schema).length > 0 ? schema : undefined;
  }

  /** A media type's evidence over the walk of its schema (none, or not a schema object: no nodes). */
  private mediaType(mediaType: string, table: NodeTable | undefined, location: SourceLocation): MediaTypeEvidence {
    return table ? mediaTypeOver(mediaType, table, location) : { mediaType, nodes: [], location };
  }

  private mediaTypes(o: Record<string, unknown>, field: 'consumes' | 'produces'): string[] {
    const own = o[field];
    const global = this.doc[field];
    const list = Array.isArray(own) ? own : Array.isArray(global) ? global : ['application/json'];
    const types = list.filter((t): t is string => typeof t === 'string');
    return types.length > 0 ? types : ['application/json'];
  }

  private swagger2Content(schemaAt: Cursor, mediaTypes: string[], owner: Cursor): MediaTypeEvidence[] {
    if (schemaAt.value === undefined) return [];
    const table = this.walker.table(schemaAt);
    return mediaTypes.map((mediaType) => this.mediaType(mediaType, table, { file: owner.file, pointer: schemaAt.pointer }));
  }

  private content(contentAt: Cursor): { content: MediaTypeEvidence[]; examples: ResponseEvidence['examples'] } {
    const content: MediaTypeEvidence[] = [];
    const examples: ResponseEvidence['examples'] = [];
    if (contentAt.value === undefined) return { content, examples };
    if (!isObject(contentAt.value)) {
      this.problem('`content` must be an object', contentAt);
      return { content, examples };
    }
    for (const mediaType of Object.keys(contentAt.value)) {
      const media = this.documents.deref(this.child(contentAt, mediaType));
      if (!media || !isObject(media.value)) continue;
      const m = media.value;
      const table = m.schema !== undefined ? this.walker.table(this.child(media, 'schema')) : undefined;
      content.push(this.mediaType(mediaType, table, { file: media.file, pointer: media.pointer }));
      if (m.example !== undefined) {
        const at = this.child(media, 'example');
        examples.push({ value: m.example, location: { file: at.file, pointer: at.pointer } });
      }
      if (isObject(m.examples)) {
        const list = this.child(media, 'examples');
        for (const name of Object.keys(m.examples)) {
          const example = this.documents.deref(this.child(list, name));
          if (!example || !isObject(example.value) || example.value.value === undefined) continue;
          const at = this.child(example, 'value');
          examples.push({ value: example.value.value, location: { file: at.file, pointer: at.pointer } });
        }
      }
    }
    return { content, examples };
  }

  private response(status: string, written: Cursor, o: Record<string, unknown>): ResponseEvidence | undefined {
    const at = this.documents.deref(written);
    if (!at) return { status, headers: [], content: [], examples: [], location: { file: written.file, pointer: written.pointer } };
    if (!isObject(at.value)) {
      this.problem(`response '${status}' must be an object`, at);
      return undefined;
    }
    const r = at.value;
    const response: ResponseEvidence = {
      status,
      headers: [],
      content: [],
      examples: [],
      location: { file: at.file, pointer: at.pointer },
    };
    if (typeof r.description === 'string') response.description = r.description;
    const headersAt = this.child(at, 'headers');
    if (isObject(headersAt.value)) {
      for (const name of Object.keys(headersAt.value)) {
        const header = this.documents.deref(this.child(headersAt, name));
        if (!header || !isObject(header.value)) continue;
        const h = header.value;
        const schema = this.swagger2 ? this.swagger2Schema(h) : this.parameterSchema(header);
        response.headers.push({
          name,
          ...(schema ? { schema } : {}),
          ...(typeof h.description === 'string' ? { description: h.description } : {}),
          location: { file: header.file, pointer: header.pointer },
        });
      }
    }
    if (this.swagger2) {
      response.content = this.swagger2Content(this.child(at, 'schema'), this.mediaTypes(o, 'produces'), at);
      const examplesAt = this.child(at, 'examples');
      if (isObject(examplesAt.value)) {
        for (const mediaType of Object.keys(examplesAt.value)) {
          const example = this.child(examplesAt, mediaType);
          response.examples.push({ value: example.value, location: { file: example.file, pointer: example.pointer } });
        }
      }
    } else {
      const { content, examples } = this.content(this.child(at, 'content'));
      response.content = content;
      response.examples = examples;
    }
    return response;
  }
}

const SWAGGER2_FLOWS: Record<string, OAuthFlowEvidence['type']> = { implicit: 'implicit', password: 'password', application: 'clientCredentials', accessCode: 'authorizationCode' };
const OAUTH_FLOWS: readonly OAuthFlowEvidence['type'][] = ['implicit', 'password', 'clientCredentials', 'authorizationCode'];

/** An OAuth2 scheme's flows, from 3.x `flows` or 2.0 `flow` + `authorizationUrl` / `tokenUrl`, in 3.x names. */
function oauthFlows(s: Record<string, unknown>, file: string, pointer: string): OAuthFlowEvidence[] {
  const urls = (f: Record<string, unknown>) => ({
    ...(typeof f.authorizationUrl === 'string' ? { authorizationUrl: f.authorizationUrl } : {}),
    ...(typeof f.tokenUrl === 'string' ? { tokenUrl: f.tokenUrl } : {}),
  });
  if (typeof s.flow === 'string' && SWAGGER2_FLOWS[s.flow]) return [{ type: SWAGGER2_FLOWS[s.flow]!, ...urls(s), location: { file, pointer: `${pointer}/flow` } }];
  if (!isObject(s.flows)) return [];
  const flows = s.flows;
  return OAUTH_FLOWS.filter((type) => isObject(flows[type])).map((type) => ({ type, ...urls(flows[type] as Record<string, unknown>), location: { file, pointer: `${pointer}/flows/${type}` } }));
}
