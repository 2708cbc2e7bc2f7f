/**
 * Shared reading of OpenAPI evidence for the checks: operation names, effective levels, response schema
 * nodes with their parent names, and what a schema says about masking.
 */
import type {
  OpenApiDocumentEvidence,
  OperationEvidence,
  ResponseEvidence,
  SchemaNode,
  SecurityLevel,
  SourceLocation,
} from '../../model/evidence.js';
import { clip, maskPan } from '../../mask.js';

/** `GET /accounts/{id}`: the stable subject of everything said about one operation. */
export function operationName(op: OperationEvidence): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

/** The operation's own level (x-security-level on the operation or info) else the profile's. */
export function effectiveLevel(op: OperationEvidence, profileLevel: SecurityLevel): SecurityLevel {
  return op.declaredLevel ?? profileLevel;
}

export function isErrorStatus(status: string): boolean {
  return /^[45]/.test(status) || status.toLowerCase() === 'default';
}

/** Identity of a location for de-duplication: a shared component reached from many operations is one item. */
export function locationKey(location: SourceLocation): string {
  return `${location.file}#${location.pointer ?? ''}#${location.line ?? ''}`;
}

/**
 * Segments that stand for array items or map values, not property names. The collector writes array items as
 * `name[]` / `name[0]` and map values as `*`; `items` is a real property name (GitHub search results).
 */
const STRUCTURAL_SEGMENT = /^(\[\d*\]|\*|\d+)$/;

/** Name of the property holding this node's object (array and composition levels skipped). */
export function parentPropertyName(node: SchemaNode): string | undefined {
  const segments = node.path.split('.').map((s) => s.replace(/\[\d*\]$/, ''));
  segments.pop();
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const s = segments[i]!;
    if (s !== '' && !STRUCTURAL_SEGMENT.test(s)) return s;
  }
  return undefined;
}

/**
 * One property of a response body: the node where the property is written plus the nodes describing the same
 * value (composition members and a `$ref` target keep the property's path), so that a `description: 脱敏` next
 * to an `allOf: [$ref]` counts for the referenced schema.
 */
export interface PropertyView {
  propertyName: string;
  path: string;
  /** The first node: where the property is written. */
  node: SchemaNode;
  nodes: SchemaNode[];
  /** Name of the property holding this one's object (see parentPropertyName). */
  parentName?: string;
  /** Some node describes a text or number value (not only objects, arrays or flags). */
  scalar: boolean;
}

/** The collector hands one node array to every media type using a shared schema: group each array once. */
const viewsOf = new WeakMap<readonly SchemaNode[], PropertyView[]>();

export function propertyViews(nodes: readonly SchemaNode[]): PropertyView[] {
  const cached = viewsOf.get(nodes);
  if (cached) return cached;
  const views = groupProperties(nodes);
  viewsOf.set(nodes, views);
  return views;
}

function groupProperties(nodes: readonly SchemaNode[]): PropertyView[] {
  const byPath = new Map<string, PropertyView>();
  for (const node of nodes) {
    if (node.propertyName === undefined) continue;
    const view = byPath.get(node.path);
    if (view) {
      view.nodes.push(node);
      view.scalar ||= isScalarValue(node.schema);
    } else {
      const parentName = parentPropertyName(node);
      byPath.set(node.path, {
        propertyName: node.propertyName,
        path: node.path,
        node,
        nodes: [node],
        ...(parentName !== undefined ? { parentName } : {}),
        scalar: isScalarValue(node.schema),
      });
    }
  }
  return [...byPath.values()];
}

export interface ResponsePropertyVisit {
  doc: OpenApiDocumentEvidence;
  op: OperationEvidence;
  response: ResponseEvidence;
  property: PropertyView;
}

/**
 * Response properties judged by `classify`, one per location (a shared component is one item), each named by
 * the shortest path that reaches it and the operation of that path, in order of first encounter. `classify`
 * results are cached per property view, so a component reached from 400 operations is classified once.
 */
export function judgeResponseProperties<T>(
  docs: readonly OpenApiDocumentEvidence[],
  classify: (property: PropertyView) => T | undefined,
): { judged: { op: OperationEvidence; property: PropertyView; verdict: T }[]; operationsWithVerdict: Set<OperationEvidence> } {
  const cache = new Map<PropertyView, T | undefined>();
  const judged = new Map<string, { op: OperationEvidence; property: PropertyView; verdict: T }>();
  const operationsWithVerdict = new Set<OperationEvidence>();
  for (const { op, property } of responseProperties(docs)) {
    let verdict: T | undefined;
    if (cache.has(property)) verdict = cache.get(property);
    else {
      verdict = classify(property);
      cache.set(property, verdict);
    }
    if (verdict === undefined) continue;
    operationsWithVerdict.add(op);
    const key = locationKey(property.node.location);
    const earlier = judged.get(key);
    if (earlier && earlier.property.path.length <= property.path.length) continue;
    judged.set(key, { op, property, verdict });
  }
  return { judged: [...judged.values()], operationsWithVerdict };
}

/** Every property of every response body of every operation, in document order. */
export function* responseProperties(docs: readonly OpenApiDocumentEvidence[]): Generator<ResponsePropertyVisit> {
  for (const doc of docs) {
    for (const op of doc.operations) {
      for (const response of op.responses) {
        for (const media of response.content) {
          for (const property of propertyViews(media.nodes)) yield { doc, op, response, property };
        }
      }
    }
  }
}

function schemaTypes(schema: Record<string, unknown>): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string' && x !== 'null');
  return [];
}

/** A value the client reads as text or number (not an object, array or flag). */
export function isScalarValue(schema: Record<string, unknown>): boolean {
  const types = schemaTypes(schema);
  if (types.length > 0) return types.some((t) => t === 'string' || t === 'integer' || t === 'number');
  return schema.properties === undefined && schema.items === undefined && schema.allOf === undefined
    && schema.oneOf === undefined && schema.anyOf === undefined;
}

export type MaskingDeclaration = 'x-masking' | 'pattern' | 'format' | 'description' | 'example';

function isTruthyFlag(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'string' && /^(false|no|none|off|plain|clear)$/i.test(v.trim())) return false;
  return true;
}

const SAYS_MASKED = /\bmask(?:ed|ing)?\b|\bredacted\b|脱敏|掩码|屏蔽|打码|遮蔽/i;
const SAYS_UNMASKED = /\bun-?masked\b|\bnot (?:be )?masked\b|\bin (?:the )?clear\b|\bplain ?text\b|未脱敏|不脱敏|明文/i;

/**
 * How a property declares its value masked, if it does (README "Recognised OpenAPI conventions"):
 * `x-masking` truthy; a `pattern` that admits `*` (escaped, or inside a character class); `format` naming a
 * mask (`masked`, `masked-pan`); a description saying masked / 脱敏 / 掩码 / 屏蔽; an example showing `**`.
 */
export function maskingDeclaration(schema: Record<string, unknown>): MaskingDeclaration | undefined {
  for (const key of ['x-masking', 'x-masked', 'x-mask']) if (isTruthyFlag(schema[key])) return 'x-masking';
  const pattern = schema.pattern;
  if (typeof pattern === 'string' && (/\\\*|\\x2a|\\u002a/i.test(pattern) || /\[[^\]]*\*[^\]]*\]/.test(pattern))) {
    return 'pattern';
  }
  if (typeof schema.format === 'string' && /mask/i.test(schema.format)) return 'format';
  const text = [schema.description, schema.title].filter((x): x is string => typeof x === 'string').join(' ');
  if (SAYS_MASKED.test(text) && !SAYS_UNMASKED.test(text)) return 'description';
  const examples = [schema.example, ...(Array.isArray(schema.examples) ? schema.examples : [])];
  if (examples.some((e) => typeof e === 'string' && /\*{2,}|•{2,}|X{4,}/.test(e))) return 'example';
  return undefined;
}

/** Masks what an excerpt may carry (card-like digit runs, internal addresses' host part) and clips it. */
export function safeExcerpt(text: string, max = 120): string {
  const masked = text
    .replace(/\d[\d -]{10,}\d/g, (m) => maskPan(m))
    .replace(/\b(\d{1,3}\.\d{1,3})\.\d{1,3}\.\d{1,3}\b/g, '$1.*.*');
  return clip(masked.replace(/\s+/g, ' ').trim(), max);
}
