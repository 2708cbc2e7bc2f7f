/**
 * The schema walk reads each schema object once for all walks (issue 17: its children, their resolution and its
 * location are remembered per object). That must not change a single node, cut or problem: the walk here is
 * compared, on random component graphs ($ref chains and cycles, compositions, arrays, maps, broken and
 * self-referring `$ref`s, one object written at two places as a YAML alias makes), with the plain recursive
 * definition it replaced (kept below as the reference): the same nodes in the same order with the same paths, slots,
 * parent names and locations, the same `truncated` and `namesPastLimit`, the same problems in the same order. The walk
 * keeps its nodes as columns (NodeTable) and builds them on demand: the columns must say what the built nodes say.
 */
import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '../../model/evidence.js';
import { isObject } from './pointer.js';
import { DocumentSet, type Cursor } from './refs.js';
import { MAX_NAME_VISITS_PER_SCHEMA, MAX_NODES_PER_SCHEMA, MAX_SCHEMA_DEPTH, SchemaWalker, parentNameOfPath } from './schema-walk.js';
import type { SourceFile } from './source.js';

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;

interface Walked {
  nodes: SchemaNode[];
  truncated: boolean;
  namesPastLimit?: string[];
}

/** The walk as it was defined before the per-object memo: every child resolved and read again by every walk. */
function referenceWalk(documents: DocumentSet, start: Cursor): Walked {
  const target = documents.deref(start);
  if (!target || !isObject(target.value)) return { nodes: [], truncated: false };
  const nodes: SchemaNode[] = [];
  const expanded = new Set<object>();
  let slots = 1;
  const children = new Map<number, Map<string, number>>();
  const slotFor = (parent: number, segment: string): number => {
    let bySegment = children.get(parent);
    if (!bySegment) children.set(parent, (bySegment = new Map()));
    let slot = bySegment.get(segment);
    if (slot === undefined) bySegment.set(segment, (slot = slots++));
    return slot;
  };
  let cut = false;
  const pastLimit = new Set<string>();
  let nameVisits = 0;
  const visitNames = (first: Cursor): void => {
    const stack: Cursor[] = [first];
    while (stack.length > 0) {
      if (++nameVisits > MAX_NAME_VISITS_PER_SCHEMA) return;
      const resolved = documents.deref(stack.pop()!);
      if (!resolved || !isObject(resolved.value) || expanded.has(resolved.value)) continue;
      const schema = resolved.value;
      expanded.add(schema);
      if (isObject(schema.properties)) {
        const properties = documents.child(resolved, 'properties');
        for (const name of Object.keys(schema.properties)) {
          pastLimit.add(name);
          stack.push(documents.child(properties, name));
        }
      }
      if (isObject(schema.items)) stack.push(documents.child(resolved, 'items'));
      else if (Array.isArray(schema.items)) schema.items.forEach((_, i) => stack.push(documents.child(documents.child(resolved, 'items'), i)));
      if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((_, i) => stack.push(documents.child(documents.child(resolved, 'prefixItems'), i)));
      for (const keyword of COMPOSITIONS) {
        const members = schema[keyword];
        if (Array.isArray(members)) members.forEach((_, i) => stack.push(documents.child(documents.child(resolved, keyword), i)));
      }
      if (isObject(schema.additionalProperties)) stack.push(documents.child(resolved, 'additionalProperties'));
    }
  };
  const visit = (at: Cursor, propertyName: string | undefined, path: string, depth: number, slot: number): void => {
    if (nodes.length >= MAX_NODES_PER_SCHEMA || depth > MAX_SCHEMA_DEPTH) {
      cut = true;
      if (propertyName !== undefined) pastLimit.add(propertyName);
      visitNames(at);
      return;
    }
    const resolved = documents.deref(at);
    if (!resolved || !isObject(resolved.value)) return;
    const schema = resolved.value;
    const parentName = path === '' ? null : parentNameOfPath(path) ?? null;
    nodes.push({ propertyName, path, slot, parentName, schema, location: { file: resolved.file, pointer: resolved.pointer } });
    if (expanded.has(schema)) return;
    expanded.add(schema);
    if (isObject(schema.properties)) {
      const properties = documents.child(resolved, 'properties');
      for (const name of Object.keys(schema.properties)) {
        visit(documents.child(properties, name), name, path === '' ? name : `${path}.${name}`, depth + 1, slotFor(slot, name));
      }
    }
    if (Array.isArray(schema.prefixItems)) {
      const prefix = documents.child(resolved, 'prefixItems');
      schema.prefixItems.forEach((_, i) => visit(documents.child(prefix, i), propertyName, `${path}[${i}]`, depth + 1, slotFor(slot, `[${i}]`)));
    }
    if (isObject(schema.items)) visit(documents.child(resolved, 'items'), propertyName, `${path}[]`, depth + 1, slotFor(slot, '[]'));
    else if (Array.isArray(schema.items)) {
      const items = documents.child(resolved, 'items');
      schema.items.forEach((_, i) => visit(documents.child(items, i), propertyName, `${path}[${i}]`, depth + 1, slotFor(slot, `[${i}]`)));
    }
    for (const keyword of COMPOSITIONS) {
      const members = schema[keyword];
      if (!Array.isArray(members)) continue;
      const list = documents.child(resolved, keyword);
      members.forEach((_, i) => visit(documents.child(list, i), propertyName, path, depth, slot));
    }
    if (isObject(schema.additionalProperties)) {
      visit(documents.child(resolved, 'additionalProperties'), undefined, path === '' ? '*' : `${path}.*`, depth + 1, slotFor(slot, '*'));
    }
  };
  visit(target, undefined, '', 0, 0);
  return cut ? { nodes, truncated: true, ...(nameVisits <= MAX_NAME_VISITS_PER_SCHEMA ? { namesPastLimit: [...pastLimit] } : {}) } : { nodes, truncated: false };
}

/** Deterministic pseudo-random numbers (a test that fails must fail again the same way). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s % n;
  };
}

const NAMES = ['id', 'name', 'cardNumber', 'data', 'items', 'owner', 'a.b', 'account', '*', '[]', 'phone', 'x~y', 'p/q', 'n[2]', '7', '', 'a.[]'];

/** A document of `count` components referring to each other at random, and the media-type schemas to walk. */
function randomDocument(seed: number, count: number): { value: Record<string, unknown>; starts: string[] } {
  const pick = random(seed);
  const schemas: Record<string, unknown> = {};
  const shared: Record<string, unknown> = { type: 'object', properties: { shared: { type: 'string' } } };
  const ref = (): Record<string, unknown> => {
    const r = pick(20);
    if (r === 0) return { $ref: '#/components/schemas/missing' };
    if (r === 1) return shared; // one object at many places, as a YAML alias makes
    return { $ref: `#/components/schemas/c${pick(count)}` };
  };
  const schema = (depth: number): Record<string, unknown> => {
    const kind = pick(depth > 2 ? 3 : 8);
    if (kind === 0) return ref();
    if (kind === 1) return { type: 'string', description: 'leaf' };
    if (kind === 2) return { type: 'array', items: depth > 3 ? ref() : schema(depth + 1) };
    if (kind === 3) return { allOf: [ref(), schema(depth + 1)] };
    if (kind === 4) return { oneOf: [schema(depth + 1), ref()], anyOf: [ref()] };
    if (kind === 5) return { type: 'object', additionalProperties: schema(depth + 1) };
    if (kind === 6) return { type: 'array', prefixItems: [ref(), schema(depth + 1)], items: [ref()] };
    const properties: Record<string, unknown> = {};
    for (let i = pick(5) + 1; i > 0; i--) properties[NAMES[pick(NAMES.length)]!] = schema(depth + 1);
    return { type: 'object', properties };
  };
  for (let i = 0; i < count; i++) schemas[`c${i}`] = pick(15) === 0 ? { $ref: `#/components/schemas/c${i}` } : schema(0);
  const media: Record<string, unknown> = {};
  const starts: string[] = [];
  for (let i = 0; i < 12; i++) {
    media[`m${i}`] = pick(2) === 0 ? ref() : schema(0);
    starts.push(`/media/m${i}`);
  }
  return { value: { components: { schemas }, media, shared }, starts };
}

function source(value: unknown): SourceFile {
  return { file: 'spec.json', text: JSON.stringify(value), format: 'json', value, sha256: '' };
}

const plain = (w: Walked) => ({
  nodes: w.nodes.map((n) => [n.propertyName, n.path, n.slot, n.parentName, n.location.file, n.location.pointer, n.schema]),
  truncated: w.truncated,
  namesPastLimit: w.namesPastLimit,
});

function compare(value: Record<string, unknown>, starts: string[]): number {
  const ours = new DocumentSet(source(value));
  const theirs = new DocumentSet(source(value));
  const walker = new SchemaWalker(ours);
  let cut = 0;
  // Each start twice: the second walk of a `$ref` comes from the walker's cache, of an inline schema from the memo.
  for (const pointer of [...starts, ...starts]) {
    const at = (documents: DocumentSet): Cursor => documents.child(documents.child({ file: 'spec.json', pointer: '', value }, 'media'), pointer.split('/').pop()!);
    const table = walker.table(at(ours));
    const nodes = table?.nodes() ?? [];
    const got: Walked = { nodes, truncated: table?.truncated ?? false, ...(table?.namesPastLimit ? { namesPastLimit: table.namesPastLimit } : {}) };
    const expected = referenceWalk(theirs, at(theirs));
    expect(plain(got)).toEqual(plain(expected));
    // The columns the checks read without building nodes say what the built nodes say.
    const columns = nodes.map((_, i) => [table!.propertyName(i), table!.slot(i), table!.parentName(i), table!.schema(i)]);
    expect(columns).toEqual(nodes.map((n) => [n.propertyName, n.slot, n.parentName, n.schema]));
    if (got.truncated) cut++;
  }
  expect(ours.problems).toEqual(theirs.problems);
  return cut;
}

describe('schema walk: identical to the plain recursive walk it replaced', () => {
  it('on 60 random component graphs (refs, cycles, compositions, arrays, maps, broken refs, shared objects)', () => {
    let cut = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { value, starts } = randomDocument(seed, 10 + (seed % 40));
      cut += compare(value, starts);
    }
    // The depth and node limits were reached in some of them: the cuts and names past them were compared too.
    expect(cut).toBeGreaterThan(0);
  });

  it('at the node limit, past which only names are read', () => {
    const properties = Object.fromEntries(Array.from({ length: MAX_NODES_PER_SCHEMA + 20 }, (_, i) => [`f${i}`, i % 7 === 0 ? { $ref: '#/components/schemas/deep' } : { type: 'string' }]));
    let deep: Record<string, unknown> = { type: 'object', properties: { cardNumber: { type: 'string' } } };
    for (let i = 0; i < 30; i++) deep = { type: 'object', properties: { [`level${i}`]: deep } };
    const value = { components: { schemas: { deep } }, media: { wide: { type: 'object', properties }, deep: { $ref: '#/components/schemas/deep' } } };
    expect(compare(value, ['/media/wide', '/media/deep'])).toBeGreaterThan(0);
  });
});
