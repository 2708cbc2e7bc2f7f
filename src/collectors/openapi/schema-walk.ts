/**
 * Every schema node reachable from one media type's schema, each with the location where that
 * schema object is really written (a `$ref` is followed to its target's file and pointer).
 *
 * Real specs share component schemas widely (Stripe's `error`, GitHub's `simple-user`), so the walk of a schema
 * reached through `$ref` is made once and the same (read-only) NodeTable is handed to every media type that uses it;
 * the table keeps the nodes as columns and builds SchemaNode objects only when asked (node-table.ts). Cycles are cut
 * on the current path; node count and depth are capped.
 * What a schema object contributes to any walk (its children, their resolution, its location) is read once per
 * object for all walks (`Expansion`); each media type's walk still lists its own nodes, with their paths from its
 * root, so its limits cut exactly where they did (schema-walk.test.ts compares it with the plain recursive walk).
 */
import { indexSegment, NodeTable, PathStep } from './node-table.js';
import { appendPointer, isObject } from './pointer.js';
import { DocumentSet, ownValue, type Cursor } from './refs.js';

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

/**
 * What one schema object contributes to any walk that enters it, read once per object (issue 17: "classify each
 * component schema once"): its location, and its children in the order the walks take them. A component reached
 * from 400 media types is read here once; each walk then only follows these lists. A child remembers what it
 * resolved to once the resolution succeeded (a successful `$ref` lookup is cached and records nothing); one that
 * fails is resolved again by every walk reaching it, so its problem is recorded where and when it was before. The
 * walks, their limits and their cuts are exactly what they were.
 */
interface Expansion {
  schema: Record<string, unknown>;
  /**
   * The expansion that stands for this schema object in every walk (the first made; itself, unless the object is also
   * written elsewhere), and on it the number of the last walk that expanded the object: a walk's set of expanded
   * objects, without a set to build and grow per media type.
   */
  owner: Expansion;
  expandedBy: number;
  /** Where the object is written: one object for every node listing it (the engine copies what it resolves). */
  location: { file: string; pointer: string };
  /** `properties` and `additionalProperties` hold values: the children's parent name is this node's property. */
  holds: boolean;
  properties: Child[] | undefined;
  names: string[] | undefined;
  /** Some property name has a dot of its own (read once here, not per walk per property). */
  dottedNames: boolean;
  prefixItems: Child[] | undefined;
  /** `items` as one schema (`itemsIsList` false) or a list of schemas. */
  items: Child[] | undefined;
  itemsIsList: boolean;
  compositions: Child[] | undefined;
  additionalProperties: Child | undefined;
}

/** A child schema where it is written (a cursor: one object per child) and, once resolved to an object, its expansion. */
interface Child extends Cursor {
  expansion: Expansion | undefined;
  /** The slot the current walk gave this property (see `ownsSlots` in `walk`). */
  slot: number;
}

/** The child at `key` of the container at `at`, as DocumentSet.child reads it. */
const childOf = (at: Cursor, key: string | number): Child => ({
  file: at.file,
  pointer: appendPointer(at.pointer, key),
  value: ownValue(at.value, key),
  expansion: undefined,
  slot: 0,
});

/**
 * A path's last segment that parentNameOfPath returns as it is: not empty, no `[…]` to strip at its end, not an array
 * or map level (and, known to the caller, without a dot).
 */
function isPlainSegment(segment: string): boolean {
  return segment !== '' && segment.charCodeAt(segment.length - 1) !== 0x5d && (!mayBeStructural(segment.charCodeAt(0)) || !STRUCTURAL_SEGMENT.test(segment));
}

export class SchemaWalker {
  private readonly cache = new Map<string, NodeTable>();
  /** Expansions by schema object; an object written at two places (a YAML alias) keeps the first, checked on use. */
  private readonly expansions = new Map<object, Expansion>();

  /** Numbers the walks (see Expansion.expandedBy). */
  private walks = 0;
  /** For each property name, the last walk that listed it past a limit (see `notePastLimit` in `table`). */
  private readonly namesListedBy = new Map<string, number>();

  constructor(private readonly documents: DocumentSet) {}

  /** The expansion of what `child` resolves to, or undefined (not an object, or a `$ref` that fails: not remembered). */
  private resolve(child: Child): Expansion | undefined {
    if (child.expansion) return child.expansion;
    const resolved = this.documents.deref(child);
    if (!resolved || !isObject(resolved.value)) return undefined;
    return (child.expansion = this.expansion(resolved));
  }

  private expansion(resolved: Cursor): Expansion {
    const schema = resolved.value as Record<string, unknown>;
    const known = this.expansions.get(schema);
    if (known && known.location.pointer === resolved.pointer && known.location.file === resolved.file) return known;
    const documents = this.documents;
    const expansion: Expansion = {
      schema,
      owner: undefined as unknown as Expansion,
      expandedBy: 0,
      location: { file: resolved.file, pointer: resolved.pointer },
      holds: isObject(schema.properties) || isObject(schema.additionalProperties),
      properties: undefined,
      names: undefined,
      dottedNames: false,
      prefixItems: undefined,
      items: undefined,
      itemsIsList: false,
      compositions: undefined,
      additionalProperties: undefined,
    };
    if (isObject(schema.properties)) {
      const properties = documents.child(resolved, 'properties');
      const names = Object.keys(schema.properties);
      expansion.names = names;
      expansion.dottedNames = names.some((name) => name.includes('.'));
      expansion.properties = names.map((name) => childOf(properties, name));
    }
    if (Array.isArray(schema.prefixItems)) {
      const prefix = documents.child(resolved, 'prefixItems');
      expansion.prefixItems = schema.prefixItems.map((_, i) => childOf(prefix, i));
    }
    if (isObject(schema.items)) expansion.items = [childOf(resolved, 'items')];
    else if (Array.isArray(schema.items)) {
      const items = documents.child(resolved, 'items');
      expansion.items = schema.items.map((_, i) => childOf(items, i));
      expansion.itemsIsList = true;
    }
    for (const keyword of COMPOSITIONS) {
      const members = schema[keyword];
      if (!Array.isArray(members)) continue;
      const list = documents.child(resolved, keyword);
      const children = (expansion.compositions ??= []);
      for (let i = 0; i < members.length; i++) children.push(childOf(list, i));
    }
    if (isObject(schema.additionalProperties)) expansion.additionalProperties = childOf(resolved, 'additionalProperties');
    expansion.owner = known ?? expansion;
    if (!known) this.expansions.set(schema, expansion);
    return expansion;
  }

  /** The walk of `start` as a NodeTable (undefined when it is not a schema object); one table per `$ref` target. */
  table(start: Cursor): NodeTable | undefined {
    const target = this.documents.deref(start);
    if (!target || !isObject(target.value)) return undefined;
    const viaRef = target !== start;
    const key = DocumentSet.key(target);
    if (viaRef) {
      const cached = this.cache.get(key);
      if (cached) return cached;
    }
    const nodes = new NodeTable();
    // Each schema object is expanded at most once per walk: `owner.expandedBy === walk` says it was.
    const walk = ++this.walks;
    const expansions = this.expansions;
    // A slot stands for a path: the slot of `path.segment` is found from the parent's slot and the segment (short
    // strings), so composition members, which keep their parent's path, keep its slot too.
    let slots = 1;
    // Slots are dense small numbers: arrays index the parents. Most parents get their children from one object with
    // only `properties` (names unique): those children take new slots in order, remembered on the children themselves
    // (`owner`), not in a map per parent. A parent reached by a second object (a composition member) or by segments that
    // may repeat (`[]`, `[0]`, `*` beside property names) gets the map, seeded with what its first object was given.
    const children: (Map<string, number> | undefined)[] = [];
    const owner: (Expansion | undefined)[] = [];
    const bySegment = (parent: number): Map<string, number> => {
      let map = children[parent];
      if (map) return map;
      children[parent] = map = new Map();
      const first = owner[parent];
      if (first) first.names!.forEach((name, i) => map!.set(name, first.properties![i]!.slot));
      return map;
    };
    const slotFor = (parent: number, segment: string): number => {
      const map = bySegment(parent);
      let slot = map.get(segment);
      if (slot === undefined) map.set(segment, (slot = slots++));
      return slot;
    };
    /** Whether the properties of `e`, entered at `parent`, take new slots in order (see above); claims the parent. */
    const ownsSlots = (e: Expansion, parent: number): boolean => {
      if (children[parent] || owner[parent] || e.prefixItems || e.items || e.additionalProperties) return false;
      owner[parent] = e;
      return true;
    };

    let cut = false;
    // The names past the limit, in the order first met: a name is listed once per walk (`namesListedBy`, kept across
    // the walks of one description, says by which walk it was last listed), without a set to grow per walk.
    const pastLimit: string[] = [];
    const listed = this.namesListedBy;
    const notePastLimit = (name: string): void => {
      if (listed.get(name) === walk) return;
      listed.set(name, walk);
      pastLimit.push(name);
    };
    let nameVisits = 0;
    // Iterative (no recursion depth to exhaust); each schema object is read once per walk, as in `visit`. Most children
    // popped are schemas this walk has already expanded (Stripe's names walk pops ~10^5 of them per schema), skipped
    // before any lookup, and each still counts as one visit, exactly as before.
    // One stack for the walk's names walks (~10^4 on Stripe, most of them a few visits long).
    const stack: Child[] = [];
    const visitNames = (start: Child): void => {
      stack.length = 0;
      stack.push(start);
      let first = true;
      while (stack.length > 0) {
        if (++nameVisits > MAX_NAME_VISITS_PER_SCHEMA) return;
        const child = stack.pop()!;
        let e = child.expansion;
        if (e === undefined) {
          if (!first) {
            const value = child.value;
            // What `deref` would hand back unchanged (no `$ref`), and what the check below would skip: skip it now.
            if (!isObject(value) || (typeof value.$ref !== 'string' && expansions.get(value)?.owner.expandedBy === walk)) continue;
          }
          e = this.resolve(child);
          if (e === undefined) continue;
        }
        first = false;
        if (e.owner.expandedBy === walk) continue;
        e.owner.expandedBy = walk;
        // The order of the pushes is the order before (properties, items, prefixItems, compositions,
        // additionalProperties): the visit cap cuts the same visits.
        if (e.properties) {
          const names = e.names!;
          const properties = e.properties;
          for (let i = 0; i < names.length; i++) notePastLimit(names[i]!);
          for (let i = 0; i < properties.length; i++) stack.push(properties[i]!);
        }
        if (e.items) for (let i = 0; i < e.items.length; i++) stack.push(e.items[i]!);
        if (e.prefixItems) for (let i = 0; i < e.prefixItems.length; i++) stack.push(e.prefixItems[i]!);
        if (e.compositions) for (let i = 0; i < e.compositions.length; i++) stack.push(e.compositions[i]!);
        if (e.additionalProperties) stack.push(e.additionalProperties);
      }
    };
    // `parentName` is the node's SchemaNode.parentName. A child one level down (`path.name`, `path.*`) is held by this
    // node's property: its parent name is the same for all of them, computed once per holding object (as
    // parentNameOfPath would from each child's path). Array items and composition members keep their path's segments
    // before the last, hence this node's own parent name. `named`: 0 = the last segment of the node's path is
    // `propertyName` as written, without a dot (a property's node and its composition members); 1 = the same with one
    // `[]`/`[i]` appended (the property's array items, which parentNameOfPath reads back to the name); -1 = neither.
    // When named and plain, that name is the holding name: no path to join and cut per holding object. The node's
    // path is not joined here: the table records the node it extends (`base`, -1 for none) and how (`step`, and
    // `item`: a positional item's index, -1 for `[]`); `rootPath` says the path is ''.
    const visit = (
      at: Child,
      propertyName: string | undefined,
      base: number,
      step: PathStep,
      item: number,
      rootPath: boolean,
      depth: number,
      slot: number,
      parentName: string | null,
      named: -1 | 0 | 1,
    ): void => {
      if (nodes.length >= MAX_NODES_PER_SCHEMA || depth > MAX_SCHEMA_DEPTH) {
        cut = true;
        if (propertyName !== undefined) notePastLimit(propertyName);
        visitNames(at);
        return;
      }
      const e = at.expansion ?? this.resolve(at);
      if (e === undefined) return;
      const index = nodes.add(propertyName, base, step, item, slot, parentName, e);
      // A recursive schema (Account.parent → Account) is listed where it recurs but not entered again; nor is a
      // schema already expanded elsewhere in this walk (Stripe's `customer` under every expandable field): its
      // properties are the same locations, already listed once, and re-expanding them only exhausts the node cap
      // before distinct properties are reached. Object identity suffices: one file and pointer, one object.
      // (Every schema on the current path is marked too: one mark answers both.)
      if (e.owner.expandedBy === walk) return;
      e.owner.expandedBy = walk;

      // Computed once per holding object, not per property (nor as a closure per node: this runs ~10^5 times).
      const held = !e.holds || rootPath ? null : named >= 0 && isPlainSegment(propertyName!) ? propertyName! : parentNameOfPath(`${nodes.path(index)}.*`) ?? null;
      const itemNamed = named === 0 ? 1 : -1;
      if (e.properties) {
        const names = e.names!;
        const properties = e.properties;
        const own = ownsSlots(e, slot);
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          // A name with a dot of its own adds segments: read that one from its full path.
          const dotted = e.dottedNames && name.includes('.');
          const childParent = dotted ? parentNameOfPath(rootPath ? name : `${nodes.path(index)}.${name}`) ?? null : held;
          const child = properties[i]!;
          // Taken before the child is visited, as slotFor would: the numbering is the same.
          const childSlot = own ? (child.slot = slots++) : slotFor(slot, name);
          visit(child, name, index, PathStep.Property, -1, rootPath && name === '', depth + 1, childSlot, childParent, dotted ? -1 : 0);
        }
      }
      if (e.prefixItems) {
        const prefix = e.prefixItems;
        for (let i = 0; i < prefix.length; i++) {
          const segment = indexSegment(i);
          visit(prefix[i]!, propertyName, index, PathStep.Append, i, false, depth + 1, slotFor(slot, segment), parentName, itemNamed);
        }
      }
      if (e.items) {
        if (!e.itemsIsList) visit(e.items[0]!, propertyName, index, PathStep.Append, -1, false, depth + 1, slotFor(slot, '[]'), parentName, itemNamed);
        else {
          const items = e.items;
          for (let i = 0; i < items.length; i++) {
            const segment = indexSegment(i);
            visit(items[i]!, propertyName, index, PathStep.Append, i, false, depth + 1, slotFor(slot, segment), parentName, itemNamed);
          }
        }
      }
      if (e.compositions) {
        // Members describe the same value, so they keep the parent's name and path.
        for (const member of e.compositions) visit(member, propertyName, index, PathStep.Same, -1, rootPath, depth, slot, parentName, named);
      }
      if (e.additionalProperties) {
        visit(e.additionalProperties, undefined, index, PathStep.MapValue, -1, false, depth + 1, slotFor(slot, '*'), held, -1);
      }
    };

    visit({ file: target.file, pointer: target.pointer, value: target.value, expansion: undefined, slot: 0 }, undefined, -1, PathStep.Root, -1, true, 0, 0, null, -1);
    if (cut) {
      nodes.truncated = true;
      if (nameVisits <= MAX_NAME_VISITS_PER_SCHEMA) nodes.namesPastLimit = pastLimit;
    }
    if (viaRef) this.cache.set(key, nodes);
    return nodes;
  }
}
