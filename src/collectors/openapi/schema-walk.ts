/**
 * Every schema node reachable from one media type's schema, each with the location where that
 * schema object is really written (a `$ref` is followed to its target's file and pointer).
 *
 * Real specs share component schemas widely (Stripe's `error`, GitHub's `simple-user`), so the node
 * list of a schema reached through `$ref` is computed once and the same (read-only) array is handed
 * to every media type that uses it. Cycles are cut on the current path; node count and depth are capped.
 */
import type { SchemaNode } from '../../model/evidence.js';
import { isObject } from './pointer.js';
import { DocumentSet, type Cursor } from './refs.js';

export const MAX_NODES_PER_SCHEMA = 5000;
export const MAX_SCHEMA_DEPTH = 12;
/**
 * Past those limits the walk goes on reading property NAMES only (no nodes, no paths: cheap), to any depth, so that a
 * check can tell whether the cut hid a field it looks for (issue 11: a limit never turns a failing field into a pass).
 * This bounds that names walk per schema; past it even the names are unknown and the checks report `error`.
 */
export const MAX_NAME_VISITS_PER_SCHEMA = 200_000;

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;

/**
 * Segments that stand for array items or map values, not property names. The walk writes array items as
 * `name[]` / `name[0]` and map values as `*`; `items` is a real property name (GitHub search results).
 */
const STRUCTURAL_SEGMENT = /^(\[\d*\]|\*|\d+)$/;

/** Only a segment starting with `[`, `*` or a digit can be STRUCTURAL_SEGMENT. */
const mayBeStructural = (c: number): boolean => c === 0x5b || c === 0x2a || (c >= 0x30 && c <= 0x39);

/**
 * Name of the property holding the object at dotted `path` (its last segment is the node's own name): the nearest
 * earlier segment that is a property name, array and map levels skipped. Walks backwards without splitting.
 */
export function parentNameOfPath(path: string): string | undefined {
  let end = path.lastIndexOf('.');
  while (end > 0) {
    const start = path.lastIndexOf('.', end - 1) + 1;
    let segment = path.slice(start, end);
    // The regular expressions only when they can match: most segments are plain names.
    if (segment.charCodeAt(segment.length - 1) === 0x5d) segment = segment.replace(/\[\d*\]$/, '');
    if (segment !== '' && (!mayBeStructural(segment.charCodeAt(0)) || !STRUCTURAL_SEGMENT.test(segment))) return segment;
    end = start - 1;
  }
  return undefined;
}

export class SchemaWalker {
  private readonly cache = new Map<string, SchemaNode[]>();
  /** Node lists cut short by the node or depth limit: what lies past the limit was not examined. */
  readonly truncated = new WeakSet<readonly SchemaNode[]>();
  /** Property names past the limits of a truncated node list (absent when the names walk was cut too). */
  readonly namesPastLimit = new WeakMap<readonly SchemaNode[], string[]>();

  constructor(private readonly documents: DocumentSet) {}

  walk(start: Cursor): SchemaNode[] {
    const target = this.documents.deref(start);
    if (!target || !isObject(target.value)) return [];
    const viaRef = target !== start;
    const key = DocumentSet.key(target);
    if (viaRef) {
      const cached = this.cache.get(key);
      if (cached) return cached;
    }
    const nodes: SchemaNode[] = [];
    const expanded = new Set<object>();
    // A slot stands for a path: the slot of `path.segment` is found from the parent's slot and the segment (short
    // strings), so composition members, which keep their parent's path, keep its slot too.
    let slots = 1;
    // Slots are dense small numbers: an array indexes the parents.
    const children: (Map<string, number> | undefined)[] = [];
    const slotFor = (parent: number, segment: string): number => {
      let bySegment = children[parent];
      if (!bySegment) children[parent] = bySegment = new Map();
      let slot = bySegment.get(segment);
      if (slot === undefined) bySegment.set(segment, (slot = slots++));
      return slot;
    };

    let cut = false;
    const pastLimit = new Set<string>();
    let nameVisits = 0;
    // Iterative (no recursion depth to exhaust); each schema object is read once per walk, as in `visit`. The stack
    // holds (container cursor, key) pairs: a child's cursor, and its pointer string, is only built when the child
    // must be resolved or expanded — most children are schemas this walk has already expanded (Stripe's names walk
    // pops ~10^5 of them per schema), and each still counts as one visit, exactly as before.
    const visitNames = (start: Cursor): void => {
      const parents: Cursor[] = [start];
      const keys: (string | number | undefined)[] = [undefined];
      const push = (container: Cursor, k: string | number): void => {
        parents.push(container);
        keys.push(k);
      };
      while (parents.length > 0) {
        if (++nameVisits > MAX_NAME_VISITS_PER_SCHEMA) return;
        const from = parents.pop()!;
        const key = keys.pop();
        if (key !== undefined) {
          const container = from.value as Record<string | number, unknown>;
          const value = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
          // What `deref` would hand back unchanged (no `$ref`), and what the checks below would skip: skip it now.
          if (!isObject(value) || (typeof value.$ref !== 'string' && expanded.has(value))) continue;
        }
        const resolved = this.documents.deref(key === undefined ? from : this.documents.child(from, key));
        if (!resolved || !isObject(resolved.value) || expanded.has(resolved.value)) continue;
        const schema = resolved.value;
        expanded.add(schema);
        if (isObject(schema.properties)) {
          const properties = this.documents.child(resolved, 'properties');
          for (const name of Object.keys(schema.properties)) {
            pastLimit.add(name);
            push(properties, name);
          }
        }
        if (isObject(schema.items)) push(resolved, 'items');
        else if (Array.isArray(schema.items)) {
          const items = this.documents.child(resolved, 'items');
          for (let i = 0; i < schema.items.length; i++) push(items, i);
        }
        if (Array.isArray(schema.prefixItems)) {
          const prefix = this.documents.child(resolved, 'prefixItems');
          for (let i = 0; i < schema.prefixItems.length; i++) push(prefix, i);
        }
        for (const keyword of COMPOSITIONS) {
          const members = schema[keyword];
          if (!Array.isArray(members)) continue;
          const list = this.documents.child(resolved, keyword);
          for (let i = 0; i < members.length; i++) push(list, i);
        }
        if (isObject(schema.additionalProperties)) push(resolved, 'additionalProperties');
      }
    };
    // `parentName` is the node's SchemaNode.parentName. A child one level down (`path.name`, `path.*`) is held by this
    // node's property: its parent name is the same for all of them, computed once per holding object from `path`
    // (as parentNameOfPath would from each child's path). Array items and composition members keep their path's
    // segments before the last, hence this node's own parent name.
    const visit = (at: Cursor, propertyName: string | undefined, path: string, depth: number, slot: number, parentName: string | null): void => {
      if (nodes.length >= MAX_NODES_PER_SCHEMA || depth > MAX_SCHEMA_DEPTH) {
        cut = true;
        if (propertyName !== undefined) pastLimit.add(propertyName);
        visitNames(at);
        return;
      }
      const resolved = this.documents.deref(at);
      if (!resolved || !isObject(resolved.value)) return;
      const schema = resolved.value;
      nodes.push({ propertyName, path, slot, parentName, schema, location: { file: resolved.file, pointer: resolved.pointer } });
      // A recursive schema (Account.parent → Account) is listed where it recurs but not entered again; nor is a
      // schema already expanded elsewhere in this walk (Stripe's `customer` under every expandable field): its
      // properties are the same locations, already listed once, and re-expanding them only exhausts the node cap
      // before distinct properties are reached. Object identity suffices: one file and pointer, one object.
      // (Every schema on the current path is in `expanded` too: one set answers both.)
      if (expanded.has(schema)) return;
      expanded.add(schema);
      const documents = this.documents;

      // Computed once per holding object, not per property (nor as a closure per node: this runs ~10^5 times).
      const held = (isObject(schema.properties) || isObject(schema.additionalProperties)) && path !== '' ? parentNameOfPath(`${path}.*`) ?? null : null;
      if (isObject(schema.properties)) {
        const properties = documents.child(resolved, 'properties');
        for (const name of Object.keys(schema.properties)) {
          const childPath = path === '' ? name : `${path}.${name}`;
          // A name with a dot of its own adds segments: read that one from its full path.
          const childParent = name.includes('.') ? parentNameOfPath(childPath) ?? null : held;
          visit(documents.child(properties, name), name, childPath, depth + 1, slotFor(slot, name), childParent);
        }
      }
      if (Array.isArray(schema.prefixItems)) {
        const prefix = documents.child(resolved, 'prefixItems');
        schema.prefixItems.forEach((_, i) => visit(documents.child(prefix, i), propertyName, `${path}[${i}]`, depth + 1, slotFor(slot, `[${i}]`), parentName));
      }
      if (isObject(schema.items)) visit(documents.child(resolved, 'items'), propertyName, `${path}[]`, depth + 1, slotFor(slot, '[]'), parentName);
      else if (Array.isArray(schema.items)) {
        const items = documents.child(resolved, 'items');
        schema.items.forEach((_, i) => visit(documents.child(items, i), propertyName, `${path}[${i}]`, depth + 1, slotFor(slot, `[${i}]`), parentName));
      }
      for (const keyword of COMPOSITIONS) {
        const members = schema[keyword];
        if (!Array.isArray(members)) continue;
        const list = documents.child(resolved, keyword);
        // Members describe the same value, so they keep the parent's name and path.
        members.forEach((_, i) => visit(documents.child(list, i), propertyName, path, depth, slot, parentName));
      }
      if (isObject(schema.additionalProperties)) {
        visit(documents.child(resolved, 'additionalProperties'), undefined, path === '' ? '*' : `${path}.*`, depth + 1, slotFor(slot, '*'), held);
      }
    };

    visit(target, undefined, '', 0, 0, null);
    if (cut) {
      this.truncated.add(nodes);
      if (nameVisits <= MAX_NAME_VISITS_PER_SCHEMA) this.namesPastLimit.set(nodes, [...pastLimit]);
    }
    if (viaRef) this.cache.set(key, nodes);
    return nodes;
  }
}
