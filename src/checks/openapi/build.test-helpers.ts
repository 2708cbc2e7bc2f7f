/**
 * Builders of OpenApiDocumentEvidence for check tables: short specs in, the collector's normalised shape out,
 * with JSON pointers placed where a real collector would put them (so tables can assert locations).
 * Test-only (imported by *.test.ts); it does not import vitest so it type-checks with the build.
 */
import type {
  MediaTypeEvidence,
  OpenApiDocumentEvidence,
  OperationEvidence,
  ParameterEvidence,
  ResponseEvidence,
  SchemaNode,
  SecurityLevel,
  SecuritySchemeEvidence,
  ServerEvidence,
} from '../../model/evidence.js';

export const FILE = 'openapi.yaml';

const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

export type Schema = Record<string, unknown>;

/**
 * Every node of `schema` the way the collector lists them (src/collectors/openapi/schema-walk.ts): properties
 * get `parent.name` paths, array items `name[]` and keep the array's property name, composition members keep
 * their parent's name and path.
 */
export function schemaNodes(schema: Schema, pointer: string, file = FILE): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  const visit = (s: Schema, ptr: string, propertyName: string | undefined, path: string): void => {
    nodes.push({ ...(propertyName !== undefined ? { propertyName } : {}), path, schema: s, location: { file, pointer: ptr } });
    for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      visit(child, `${ptr}/properties/${esc(name)}`, name, path === '' ? name : `${path}.${name}`);
    }
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) visit(s.items as Schema, `${ptr}/items`, propertyName, `${path}[]`);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const members = s[key];
      if (Array.isArray(members)) members.forEach((m, i) => visit(m as Schema, `${ptr}/${key}/${i}`, propertyName, path));
    }
  };
  visit(schema, pointer, undefined, '');
  return nodes;
}

export interface ResponseSpec {
  schema?: Schema;
  /** Pointer of the schema when it is a shared component (`/components/schemas/Account`). */
  schemaPointer?: string;
  headers?: (string | { name: string; schema?: Schema })[];
  examples?: unknown[];
  description?: string;
}

export interface ParamSpec {
  name: string;
  in?: string;
  required?: boolean;
  schema?: Schema;
  /** Pointer when the parameter is a shared component. */
  pointer?: string;
}

export interface OperationSpec {
  level?: SecurityLevel;
  uApiId?: string;
  /** Alternatives of scheme names; [] = security: [], [[]] = optional ({}); omitted = none declared. */
  security?: string[][];
  params?: (ParamSpec | string)[];
  responses?: Record<string, ResponseSpec>;
  extensions?: Record<string, unknown>;
  /** A request body: one media type with its schema. */
  requestBody?: { mediaType?: string; schema?: Schema; required?: boolean };
  /** Media type of the responses' content (default application/json). */
  responseMediaType?: string;
  file?: string;
}

/** `op('get /accounts/{id}', {...})`: an operation with its children's pointers under /paths/…/get. */
export function op(route: string, spec: OperationSpec = {}): OperationEvidence {
  const [method, path] = route.split(' ') as [string, string];
  const file = spec.file ?? FILE;
  const ptr = `/paths/${esc(path)}/${method}`;
  const parameters: ParameterEvidence[] = (spec.params ?? []).map((p, i) => {
    const ps: ParamSpec = typeof p === 'string' ? { name: p, schema: { type: 'string', maxLength: 32 } } : p;
    const where = ps.in ?? 'header';
    return {
      name: ps.name,
      in: where,
      required: ps.required ?? where === 'path',
      ...(ps.schema ? { schema: ps.schema } : {}),
      location: { file, pointer: ps.pointer ?? `${ptr}/parameters/${i}` },
    };
  });
  const responses: ResponseEvidence[] = Object.entries(spec.responses ?? { '200': {} }).map(([status, r]) => {
    const rPtr = `${ptr}/responses/${status}`;
    const mediaType = spec.responseMediaType ?? 'application/json';
    const mediaPtr = `${rPtr}/content/${esc(mediaType)}`;
    const content: MediaTypeEvidence[] = r.schema
      ? [{ mediaType, nodes: schemaNodes(r.schema, r.schemaPointer ?? `${mediaPtr}/schema`, file), location: { file, pointer: mediaPtr } }]
      : [];
    return {
      status,
      ...(r.description ? { description: r.description } : {}),
      headers: (r.headers ?? []).map((h) => {
        const hs = typeof h === 'string' ? { name: h } : h;
        return { name: hs.name, ...(hs.schema ? { schema: hs.schema } : {}), location: { file, pointer: `${rPtr}/headers/${esc(hs.name)}` } };
      }),
      content,
      examples: (r.examples ?? []).map((value, i) => ({ value, location: { file, pointer: `${mediaPtr}/examples/e${i}/value` } })),
      location: { file, pointer: rPtr },
    };
  });
  return {
    file,
    method,
    path,
    ...(spec.level ? { declaredLevel: spec.level } : {}),
    ...(spec.uApiId !== undefined ? { uApiId: spec.uApiId } : {}),
    ...(spec.security
      ? {
          security: spec.security.map((names, i) => ({
            schemes: names.map((name) => ({ name, scopes: [] })),
            location: { file, pointer: `${ptr}/security/${i}` },
          })),
        }
      : {}),
    parameters,
    ...(spec.requestBody
      ? {
          requestBody: {
            required: spec.requestBody.required ?? true,
            content: [{
              mediaType: spec.requestBody.mediaType ?? 'application/json',
              nodes: spec.requestBody.schema ? schemaNodes(spec.requestBody.schema, `${ptr}/requestBody/content/${esc(spec.requestBody.mediaType ?? 'application/json')}/schema`, file) : [],
              location: { file, pointer: `${ptr}/requestBody/content/${esc(spec.requestBody.mediaType ?? 'application/json')}` },
            }],
            location: { file, pointer: `${ptr}/requestBody` },
          },
        }
      : {}),
    responses,
    extensions: spec.extensions ?? {},
    location: { file, pointer: ptr },
  };
}

export function scheme(name: string, type: string, extra: Partial<SecuritySchemeEvidence> = {}, file = FILE): SecuritySchemeEvidence {
  return { name, type, ...extra, location: { file, pointer: `/components/securitySchemes/${esc(name)}` } };
}

export interface DocumentSpec {
  file?: string;
  version?: OpenApiDocumentEvidence['version'];
  apiVersion?: string;
  servers?: (string | { url: string; variables: Record<string, string> })[];
  schemes?: string[];
  basePath?: string;
  securitySchemes?: SecuritySchemeEvidence[];
  operations?: OperationEvidence[];
  problems?: OpenApiDocumentEvidence['problems'];
}

/** A document; security requirements of its operations are resolved against its schemes, as the collector does. */
export function doc(spec: DocumentSpec = {}): OpenApiDocumentEvidence {
  const file = spec.file ?? FILE;
  const securitySchemes = spec.securitySchemes ?? [];
  const byName = new Map(securitySchemes.map((s) => [s.name, s]));
  const servers: ServerEvidence[] = (spec.servers ?? []).map((s, i) => ({
    ...(typeof s === 'string' ? { url: s } : s),
    location: { file, pointer: spec.version === '2.0' ? '/host' : `/servers/${i}/url` },
  }));
  return {
    kind: 'openapi',
    file,
    version: spec.version ?? '3.0',
    ...(spec.apiVersion !== undefined ? { apiVersion: spec.apiVersion } : { apiVersion: '1.0.0' }),
    servers,
    ...(spec.schemes ? { schemes: spec.schemes } : {}),
    ...(spec.basePath !== undefined ? { basePath: spec.basePath } : {}),
    securitySchemes,
    operations: (spec.operations ?? []).map((o) => ({
      ...o,
      ...(o.security
        ? {
            security: o.security.map((alt) => ({
              ...alt,
              schemes: alt.schemes.map((s) => (byName.has(s.name) ? { ...s, scheme: byName.get(s.name)! } : s)),
            })),
          }
        : {}),
    })),
    problems: spec.problems ?? [],
    digests: {},
  };
}

/** A bundle with one document, for `bundle:` in a table row. */
export function spec(s: DocumentSpec = {}): { openapi: OpenApiDocumentEvidence[] } {
  return { openapi: [doc(s)] };
}

/** An object schema from `{name: schema}` pairs. */
export function obj(properties: Record<string, Schema>): Schema {
  return { type: 'object', properties };
}

export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
