/**
 * One walk's schema nodes as columns (SchemaNodeTable): what the walk knows of each node, without an object and a
 * path string per node. Stripe's 223 response walks list ~160,000 nodes, of which the checks report a few hundred;
 * building every SchemaNode (and every dotted path) and grouping them all cost Stripe's run ~0.3 s with its garbage
 * collection (CPU profiles before and after: test/openapi-judgement-shortcuts.test.ts holds the answers equal).
 * A node's path is kept as the node it extends plus how (see PathStep), and joined only when the node is built.
 */
import type { MediaTypeEvidence, SchemaNode, SchemaNodeTable, SourceLocation } from '../../model/evidence.js';

/**
 * How a node's path extends the path of the node it was reached from (`base`), exactly as the walk once built the
 * strings: the root is ''; a composition member keeps its holder's path; a property is `base.name` (`name` at the
 * root); an array item appends `[]` or `[i]`; a map value is `base.*` (`*` at the root).
 */
export const PathStep = { Root: 0, Same: 1, Property: 2, Append: 3, MapValue: 4 } as const;
export type PathStep = (typeof PathStep)[keyof typeof PathStep];

/** `[0]`, `[1]`, …: the path and slot segments of positional items, built once. */
const INDEX_SEGMENTS: string[] = [];
export const indexSegment = (i: number): string => (INDEX_SEGMENTS[i] ??= `[${i}]`);

/** What a node lists: a schema object and where it is written (the walk's record of that object). */
export interface NodeSource {
  schema: Record<string, unknown>;
  location: SourceLocation;
}

/** Integers per node in `ints`: its slot, the node its path extends, and the step (low 3 bits) with an item's index + 1. */
const INTS = 3;

export class NodeTable implements SchemaNodeTable {
  length = 0;
  /** Set when the walk stopped at a limit; `namesPastLimit` then lists the names past it, when they were all read. */
  truncated = false;
  namesPastLimit: string[] | undefined;
  // Columns by node index: small integers (unboxed in a plain array: most walks are a few nodes, and a typed array's
  // separate buffer costs more to make than it saves), strings and objects shared with the walk, not copied.
  private readonly names: (string | undefined)[] = [];
  private readonly parents: (string | null)[] = [];
  private readonly sources: NodeSource[] = [];
  private readonly ints: number[] = [];
  private readonly paths: (string | undefined)[] = [];
  private readonly built: (SchemaNode | undefined)[] = [];
  private all: SchemaNode[] | undefined;

  /**
   * Appends a node; returns its index. `item`: for an Append step, the index of a positional item, or -1 for `[]`;
   * a Property step's segment is `propertyName`.
   */
  add(propertyName: string | undefined, base: number, step: PathStep, item: number, slot: number, parentName: string | null, source: NodeSource): number {
    const i = this.length++;
    this.names.push(propertyName);
    this.parents.push(parentName);
    this.sources.push(source);
    this.ints.push(slot, base, step | ((item + 1) << 3));
    return i;
  }

  propertyName(i: number): string | undefined {
    return this.names[i];
  }

  parentName(i: number): string | null {
    return this.parents[i]!;
  }

  slot(i: number): number {
    return this.ints[i * INTS]!;
  }

  schema(i: number): Record<string, unknown> {
    return this.sources[i]!.schema;
  }

  /** The dotted path of node `i`, joined once per node: from the nearest node on its chain whose path is known. */
  path(i: number): string {
    const known = this.paths[i];
    if (known !== undefined) return known;
    const ints = this.ints;
    const chain: number[] = [];
    let at = i;
    while (at >= 0 && this.paths[at] === undefined && (ints[at * INTS + 2]! & 7) !== PathStep.Root) {
      chain.push(at);
      at = ints[at * INTS + 1]!;
    }
    let path = at < 0 ? '' : this.paths[at] ?? '';
    if (at >= 0) this.paths[at] = path;
    for (let k = chain.length - 1; k >= 0; k--) {
      const n = chain[k]!;
      const code = ints[n * INTS + 2]!;
      switch (code & 7) {
        case PathStep.Property:
          path = path === '' ? this.names[n]! : `${path}.${this.names[n]}`;
          break;
        case PathStep.Append:
          path += code >> 3 === 0 ? '[]' : indexSegment((code >> 3) - 1);
          break;
        case PathStep.MapValue:
          path = path === '' ? '*' : `${path}.*`;
          break;
        default:
          break;
      }
      this.paths[n] = path;
    }
    return path;
  }

  node(i: number): SchemaNode {
    let node = this.built[i];
    if (node === undefined) {
      const source = this.sources[i]!;
      node = { propertyName: this.names[i], path: this.path(i), slot: this.slot(i), parentName: this.parents[i]!, schema: source.schema, location: source.location };
      this.built[i] = node;
    }
    return node;
  }

  nodes(): SchemaNode[] {
    if (this.all) return this.all;
    const all: SchemaNode[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) all[i] = this.node(i);
    return (this.all = all);
  }
}

/**
 * A media type's evidence over a walk's table: `nodes` is built on first read, and `table` is there for the checks
 * that read columns. Both are accessors (the other fields are the object's own), so that every media type keeps one
 * fast shape; `toJSON` writes the keys in the order the collector always wrote them.
 */
class WalkedMediaType implements MediaTypeEvidence {
  readonly mediaType: string;
  declare truncated?: boolean;
  declare namesPastLimit?: string[];
  readonly location: SourceLocation;
  readonly #table: NodeTable;
  #nodes: SchemaNode[] | undefined;

  constructor(mediaType: string, table: NodeTable, location: SourceLocation) {
    this.mediaType = mediaType;
    if (table.truncated) {
      this.truncated = true;
      if (table.namesPastLimit) this.namesPastLimit = table.namesPastLimit;
    }
    this.location = location;
    this.#table = table;
  }

  get table(): NodeTable {
    return this.#table;
  }

  get nodes(): SchemaNode[] {
    return (this.#nodes ??= this.#table.nodes());
  }

  set nodes(nodes: SchemaNode[]) {
    this.#nodes = nodes;
  }

  toJSON(): Record<string, unknown> {
    const { truncated, namesPastLimit } = this;
    return { mediaType: this.mediaType, nodes: this.nodes, ...(truncated ? { truncated } : {}), ...(namesPastLimit ? { namesPastLimit } : {}), location: this.location };
  }
}

export function mediaTypeOver(mediaType: string, table: NodeTable, location: SourceLocation): MediaTypeEvidence {
  return new WalkedMediaType(mediaType, table, location);
}
