/**
 * Shared reading of OpenAPI evidence for the checks: operation names, effective levels, response schema
 * nodes with their parent names, and what a schema says about masking.
 */
import type {
  MediaTypeEvidence,
  OpenApiDocumentEvidence,
  OperationEvidence,
  RelatedLocation,
  SchemaNode,
  SecurityLevel,
  SourceLocation,
} from '../../model/evidence.js';
import type { Outcome } from '../../model/outcome.js';
import { clip, maskDigitRuns } from '../../mask.js';
import { parentNameOfPath } from '../../collectors/openapi/schema-walk.js';

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
 * Name of the property holding this node's object (array and composition levels skipped). The collector computes it
 * once per holding object during the walk (`SchemaNode.parentName`); nodes built otherwise are read from their path.
 */
export function parentPropertyName(node: SchemaNode): string | undefined {
  if (node.parentName !== undefined) return node.parentName ?? undefined;
  return parentNameOfPath(node.path);
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
  // Nodes of one value share a slot (collector) — the same grouping as by path, without hashing path strings. Slots
  // are small dense numbers within one node list: an array indexes them; a node without one is grouped by its path.
  const views: PropertyView[] = [];
  const bySlot: (PropertyView | undefined)[] = [];
  let byPath: Map<string, PropertyView> | undefined;
  for (const node of nodes) {
    if (node.propertyName === undefined) continue;
    const view = node.slot !== undefined ? bySlot[node.slot] : byPath?.get(node.path);
    if (view) {
      view.nodes.push(node);
      view.scalar ||= isScalarValue(node.schema);
      continue;
    }
    const parentName = parentPropertyName(node);
    const scalar = isScalarValue(node.schema);
    // Two literals rather than a spread: one object per property, no intermediate one.
    const created: PropertyView =
      parentName !== undefined
        ? { propertyName: node.propertyName, path: node.path, node, nodes: [node], parentName, scalar }
        : { propertyName: node.propertyName, path: node.path, node, nodes: [node], scalar };
    if (node.slot !== undefined) bySlot[node.slot] = created;
    else (byPath ??= new Map()).set(node.path, created);
    views.push(created);
  }
  return views;
}

/**
 * Tells whether a property may get a verdict, from one of its nodes: a view none of whose nodes passes has none (the
 * gate must say so whenever `classify` could answer anything but undefined). Name and parent name are the view's.
 */
export type PropertyGate = (propertyName: string, parentName: string | undefined, schema: Record<string, unknown>) => boolean;

/** Nodes in a media type (without building them). */
export function nodeCount(media: MediaTypeEvidence): number {
  return media.table ? media.table.length : media.nodes.length;
}

/**
 * The property views of a media type that `gate` lets through, in the order `propertyViews` lists them. From the
 * collector's table only those views' nodes are built: Stripe's response walks hold ~160,000 nodes, of which a few
 * thousand pass a name gate. Nodes built by hand (no table) are grouped whole, then filtered.
 */
export function gatedViews(media: MediaTypeEvidence, gate: PropertyGate): PropertyView[] {
  const table = media.table;
  if (!table) return propertyViews(media.nodes).filter((view) => view.nodes.some((n) => gate(view.propertyName, view.parentName, n.schema)));
  // Slots that pass, then the nodes of those slots in order: the views groupProperties would make of them.
  const passes: boolean[] = [];
  let any = false;
  for (let i = 0; i < table.length; i++) {
    const name = table.propertyName(i);
    if (name === undefined) continue;
    const slot = table.slot(i);
    if (passes[slot] || !gate(name, table.parentName(i) ?? undefined, table.schema(i))) continue;
    passes[slot] = any = true;
  }
  if (!any) return [];
  const nodes: SchemaNode[] = [];
  for (let i = 0; i < table.length; i++) if (passes[table.slot(i)] && table.propertyName(i) !== undefined) nodes.push(table.node(i));
  return groupProperties(nodes);
}

/** Numbers for the objects a node is made of (its schema, its location), as parts of a key. */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
const objectId = (o: object): number => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
};

/**
 * What `classify` may read of a property, as a key: the description's file, the property's name, holder name and path
 * (its enclosing names), and its nodes (schema objects and where each is written).
 */
function viewKey(doc: OpenApiDocumentEvidence, view: PropertyView): string {
  let key = `${doc.file}\u0000${view.propertyName}\u0000${view.parentName ?? '\u0001'}\u0000${view.path}`;
  for (const node of view.nodes) key += `\u0000${objectId(node.schema)}:${objectId(node.location)}`;
  return key;
}

/**
 * Response properties judged by `classify`, one per location (a shared component is one item), each named by
 * the shortest path that reaches it and the operation of that path, in order of first encounter. Each shared walk is
 * judged once, and only its properties that pass `gate` are grouped and classified.
 */
export function judgeResponseProperties<T>(
  docs: readonly OpenApiDocumentEvidence[],
  gate: PropertyGate,
  /** Reads of a property only what viewKey keys: its file, name, holder name, path and nodes. */
  classify: (property: PropertyView, doc: OpenApiDocumentEvidence) => T | undefined,
): { judged: { op: OperationEvidence; property: PropertyView; verdict: T }[]; operationsWithVerdict: Set<OperationEvidence> } {
  // Judge each shared walk once: Stripe's 417 operations reach about a million (operation, property) pairs but only
  // some 200 distinct walks, and only the few properties with a verdict need the per-operation pass. Each hit keeps
  // its location key: a shared walk's hits are met once per media type using it (Stripe: ~10^4 times).
  const verdictsOf = new Map<object, { property: PropertyView; verdict: T; key: string }[]>();
  // Walks from different roots meet the same properties by the same paths (Stripe: 4,685 gated properties, 1,800
  // distinct): a property with the same name, holder, path and nodes gets the verdict `classify` gave it before.
  const known = new Map<string, T | undefined>();
  const judged = new Map<string, { op: OperationEvidence; property: PropertyView; verdict: T }>();
  const operationsWithVerdict = new Set<OperationEvidence>();
  for (const doc of docs) {
    for (const op of doc.operations) {
      for (const response of op.responses) {
        for (const media of response.content) {
          const walk = media.table ?? media.nodes;
          let hits = verdictsOf.get(walk);
          if (!hits) {
            hits = [];
            for (const property of gatedViews(media, gate)) {
              const key = viewKey(doc, property);
              let verdict = known.get(key);
              if (verdict === undefined && !known.has(key)) known.set(key, (verdict = classify(property, doc)));
              if (verdict !== undefined) hits.push({ property, verdict, key: locationKey(property.node.location) });
            }
            verdictsOf.set(walk, hits);
          }
          for (const { property, verdict, key } of hits) {
            operationsWithVerdict.add(op);
            const earlier = judged.get(key);
            if (earlier && earlier.property.path.length <= property.path.length) continue;
            judged.set(key, { op, property, verdict });
          }
        }
      }
    }
  }
  return { judged: [...judged.values()], operationsWithVerdict };
}

const isScalarType = (t: string): boolean => t === 'string' || t === 'integer' || t === 'number';

/** A value the client reads as text or number (not an object, array or flag). Runs once per schema node: no arrays. */
export function isScalarValue(schema: Record<string, unknown>): boolean {
  const t = schema.type;
  if (typeof t === 'string') return isScalarType(t);
  if (Array.isArray(t)) {
    // The types written, `null` aside; when there are none, the value is judged by its shape as if untyped.
    let typed = false;
    for (const x of t) {
      if (typeof x !== 'string' || x === 'null') continue;
      if (isScalarType(x)) return true;
      typed = true;
    }
    if (typed) return false;
  }
  return schema.properties === undefined && schema.items === undefined && schema.allOf === undefined
    && schema.oneOf === undefined && schema.anyOf === undefined;
}

export type MaskingDeclaration = 'x-masking' | 'pattern' | 'format' | 'description' | 'example';

function isTruthyFlag(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'string' && /^(false|no|none|off|plain|clear)$/i.test(v.trim())) return false;
  return true;
}

const SAYS_MASKED = /\bmask(?:ed|ing)?\b|\bredacted\b|\bencrypted\b|\bciphertext\b|\bcipher text\b|\blast (?:4|four) (?:digits|characters)\b|\bonly (?:includes|contains|returns|shows) the last\b|脱敏|掩码|屏蔽|打码|遮蔽|后四位|后4位|尾号|加密|密文/i;
const SAYS_UNMASKED = /\bun-?masked\b|\bnot (?:be )?(?:masked|encrypted)\b|\bin (?:the )?clear\b|\bplain ?text\b|\bdecrypted\b|未脱敏|不脱敏|明文|解密后/i;
const MASKED_EXAMPLE = /\*{2,}|•{2,}|X{4,}|x{4,}/;

/**
 * How a property declares its value masked, if it does (README "Recognised OpenAPI conventions"):
 * `x-masking` truthy; a `pattern` that admits `*` (escaped, or inside a character class) unless the example shows
 * a clear value (a free-text pattern that happens to allow `*`); `format` naming a mask (`masked`, `masked-pan`);
 * a description or title saying masked, encrypted, last four digits / 脱敏, 加密, 密文, 后四位; an example showing `**`.
 */
export function maskingDeclaration(schema: Record<string, unknown>): MaskingDeclaration | undefined {
  for (const key of ['x-masking', 'x-masked', 'x-mask']) if (isTruthyFlag(schema[key])) return 'x-masking';
  const examples = [schema.example, ...(Array.isArray(schema.examples) ? schema.examples : [])].filter((e) => typeof e === 'string' || typeof e === 'number');
  const clearExample = examples.length > 0 && examples.every((e) => !MASKED_EXAMPLE.test(String(e)));
  const pattern = schema.pattern;
  if (typeof pattern === 'string' && !clearExample && (/\\\*|\\x2a|\\u002a/i.test(pattern) || /\[[^\]]*\*[^\]]*\]/.test(pattern))) {
    return 'pattern';
  }
  if (typeof schema.format === 'string' && /mask|truncat|encrypt/i.test(schema.format)) return 'format';
  const text = [schema.description, schema.title].filter((x): x is string => typeof x === 'string').join(' ');
  if (SAYS_MASKED.test(text) && !SAYS_UNMASKED.test(text)) return 'description';
  if (examples.some((e) => typeof e === 'string' && MASKED_EXAMPLE.test(e))) return 'example';
  return undefined;
}

/** Masks what an excerpt may carry (card-like digit runs, internal addresses' host part) and clips it. */
export function safeExcerpt(text: string, max = 120): string {
  const masked = maskDigitRuns(text).replace(/\b(\d{1,3}\.\d{1,3})\.\d{1,3}\.\d{1,3}\b/g, '$1.*.*');
  return clip(masked.replace(/\s+/g, ' ').trim(), max);
}

// ---------------------------------------------------------------------------------------------
// Grouping: one finding per rule and root cause, every affected place as a structured location
// ---------------------------------------------------------------------------------------------

/**
 * Folds the failing outcomes that share a root cause (`key`) into one: the first keeps its location and message,
 * gains `locations` (each place with its own subject, e.g. the operation) and `data.count`, the exact number of places.
 * Passes and outcomes without a key are kept as they are.
 */
export function groupFailures(
  outcomes: readonly Outcome[],
  key: (o: Outcome) => string | undefined,
  subject: (o: Outcome) => string,
): Outcome[] {
  const kept: Outcome[] = [];
  const groups = new Map<string, Outcome & { locations: RelatedLocation[]; data: Record<string, string | number> }>();
  for (const o of outcomes) {
    const k = o.status === 'fail' && o.location ? key(o) : undefined;
    if (k === undefined) {
      kept.push(o);
      continue;
    }
    const place: RelatedLocation = { ...o.location!, ...(o.subject !== undefined ? { subject: o.subject } : {}) };
    const group = groups.get(k);
    if (group) {
      group.locations.push(place);
      group.data.count = group.locations.length;
      continue;
    }
    const first = { ...o, subject: subject(o), locations: [place], data: { ...(o.data ?? {}), count: 1 } };
    groups.set(k, first);
    kept.push(first);
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Walk limits (issue 11): a schema cut by a limit never passes what lies past the cut
// ---------------------------------------------------------------------------------------------

export interface CutSchema {
  op: OperationEvidence;
  media: MediaTypeEvidence;
  /** A property name past the limit that the check looks for; undefined when even the names are unknown. */
  name?: string;
}

/**
 * Response media types whose schema the collector cut at a limit, where the names past the cut (read by its names-only
 * walk) include one `suspect` would judge, or are unknown: the check cannot pass those; it reports them as `error`.
 */
export function cutResponseSchemas(docs: readonly OpenApiDocumentEvidence[], suspect: (name: string) => boolean): Map<OpenApiDocumentEvidence, CutSchema[]> {
  const byDoc = new Map<OpenApiDocumentEvidence, CutSchema[]>();
  const seen = new Set<string>();
  // The collector hands one names list to every media type sharing a schema: judge each list once.
  const suspectIn = new Map<readonly string[], string | undefined>();
  for (const doc of docs) {
    for (const op of doc.operations) {
      for (const response of op.responses) {
        for (const media of response.content) {
          if (!media.truncated) continue;
          const key = locationKey(media.location);
          if (seen.has(key)) continue;
          seen.add(key);
          const names = media.namesPastLimit;
          let name: string | undefined;
          if (names !== undefined) {
            if (!suspectIn.has(names)) suspectIn.set(names, names.find(suspect));
            name = suspectIn.get(names);
          }
          if (media.namesPastLimit !== undefined && name === undefined) continue;
          let list = byDoc.get(doc);
          if (!list) byDoc.set(doc, (list = []));
          list.push({ op, media, ...(name !== undefined ? { name } : {}) });
        }
      }
    }
  }
  return byDoc;
}

/** One `error` outcome per document for the cut schemas `cutResponseSchemas` found (messageId `cutByLimit`). */
export function cutSchemaOutcomes(cut: Map<OpenApiDocumentEvidence, CutSchema[]>): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const [doc, list] of cut) {
    const first = list[0]!;
    const field = first.name ?? '?';
    outcomes.push({
      status: 'error',
      messageId: 'cutByLimit',
      subject: `${doc.file} schemas cut by a walk limit`,
      location: first.media.location,
      locations: list.map((c) => ({ ...c.media.location, subject: `${operationName(c.op)} ${c.media.mediaType}${c.name !== undefined ? ` → ${c.name}` : ''}` })),
      data: { file: doc.file, count: list.length, field },
    });
  }
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Examples: serialised as far as they go, never silently skipped
// ---------------------------------------------------------------------------------------------

export const MAX_EXAMPLE_DEPTH = 64;
export const MAX_EXAMPLE_CHARS = 1_000_000;

/**
 * JSON text of an example, cut at a depth and a length instead of failing (JSON.stringify throws on deep nesting and
 * would leave the example unexamined): `cut` says the rest was not read.
 */
export function exampleText(value: unknown): { text: string; cut: boolean } {
  if (typeof value === 'string') return value.length > MAX_EXAMPLE_CHARS ? { text: value.slice(0, MAX_EXAMPLE_CHARS), cut: true } : { text: value, cut: false };
  try {
    // The fast path for every ordinary example; it throws only on nesting too deep for the stack.
    const text = JSON.stringify(value) ?? '';
    return text.length > MAX_EXAMPLE_CHARS ? { text: text.slice(0, MAX_EXAMPLE_CHARS), cut: true } : { text, cut: false };
  } catch {
    return boundedExampleText(value);
  }
}

function boundedExampleText(value: unknown): { text: string; cut: boolean } {
  const parts: string[] = [];
  let size = 0;
  let cut = false;
  // Iterative: a hostile example 100 000 levels deep must not exhaust the stack.
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    if (size > MAX_EXAMPLE_CHARS) {
      cut = true;
      break;
    }
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') {
      const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
      parts.push(s);
      size += s.length + 1;
      continue;
    }
    if (depth >= MAX_EXAMPLE_DEPTH) {
      cut = true;
      continue;
    }
    const entries = Array.isArray(v) ? v.map((x) => [undefined, x] as const) : Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ value: x, depth: depth + 1 });
      if (k !== undefined) stack.push({ value: `${k}:`, depth: depth + 1 });
    }
  }
  return { text: parts.join(' '), cut };
}
