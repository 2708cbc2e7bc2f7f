/**
 * The alias budget every YAML input gets, whatever its flow style.
 *
 * WHY: an alias costs nothing to write and a whole subtree to expand; nine lines of `&a [*b, *b, …]` make a
 * "billion laughs" document that exhausts any reader that expands it, and a reader that keeps shared references hands
 * the blow-up to whoever walks the value. Counting alias nodes in the parsed document is independent of how the
 * anchors are spelled (block, flow, after a JSON-like key), unlike a text pattern.
 */
import type { Document, LineCounter } from 'yaml';
import { InputError } from '../errors.js';

/** More aliases than any hand-written configuration uses; the `yaml` package's own default is 100 too. */
export const MAX_YAML_ALIASES = 100;

/** Counts alias nodes (`*name`) without following them; stops at the first one over the budget. */
export function firstAliasOverBudget(doc: Document, max = MAX_YAML_ALIASES): { offset: number; count: number } | undefined {
  let count = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop() as { items?: unknown[]; key?: unknown; value?: unknown; range?: number[] } | null;
    if (!node || typeof node !== 'object') continue;
    if (isAlias(node)) {
      count++;
      if (count > max) return { offset: node.range?.[0] ?? 0, count };
      continue;
    }
    // Children pushed last-first, so they are visited in document order and the line reported is the first over.
    if (Array.isArray(node.items)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    if ('key' in node) stack.push(node.value, node.key);
  }
  return undefined;
}

function isAlias(node: object): boolean {
  // The `yaml` package tags every node with this symbol (its own isAlias is the same test; importing it here
  // would load the package for callers on the js-yaml fast path).
  return (node as Record<symbol, unknown>)[Symbol.for('yaml.node.type')] === Symbol.for('yaml.alias');
}

export function assertAliasBudget(file: string, doc: Document, lines: LineCounter, what = 'file', max = MAX_YAML_ALIASES): void {
  const over = firstAliasOverBudget(doc, max);
  if (!over) return;
  const pos = lines.linePos(over.offset);
  throw new InputError(file, pos.line, `${what} uses more than ${max} YAML aliases (*name); refusing to expand it (an alias bomb?)`, pos.col);
}
