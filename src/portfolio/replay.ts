/**
 * Check runs recorded and replayed, so that results of parts of an assessment (one OpenAPI description in a worker
 * thread, one shard on another machine) combine into exactly the result one run over all inputs gives.
 *
 * WHY replay rather than combine requirement statuses: the engine's rules for turning outcomes into a requirement's
 * outcome (fail beats error beats pass, `covers: part` checks that need an answer, evidence lost by a reader,
 * waivers) are the engine's alone. A part records, for every check it ran, the outcomes that check returned; the
 * combined result is the engine run once more over the recorded outcomes of all parts, concatenated in input
 * order. Checks read each evidence item on its own (a check that joins two kinds of evidence, such as the 12.1
 * route inventory, is the exception and is kept within one part: see `splitJoins`), so the outcomes of a check over
 * all inputs are the concatenation of its outcomes over each part's inputs, and the engine gives the same answer.
 */
import type { EvidenceBundle, EvidenceKind, Locator, SourceLocation } from '../model/evidence.js';
import type { Outcome } from '../model/outcome.js';
import type { Finding } from '../model/result.js';
import type { CheckRunRecord, EvidenceItemRecord, PartRecord, PositionRecord } from '../model/shard.js';

export type { CheckRunRecord, EvidenceItemRecord, PartRecord, PositionRecord };
import { CheckRegistry, type AnyCheck } from '../checks/registry.js';
import { MAX_EXAMINED_LOCATIONS } from '../engine/examined.js';
import { runKey } from '../engine/evaluate.js';

/** A registry whose checks are the given ones, each run written down as it happens. */
export function recordingRegistry(real: CheckRegistry): { registry: CheckRegistry; runs: CheckRunRecord[] } {
  const runs: CheckRunRecord[] = [];
  const wrap = (def: AnyCheck): AnyCheck => ({
    ...def,
    run(bundle, params, ctx) {
      try {
        const outcomes = def.run(bundle, params, ctx);
        runs.push({ fn: def.name, params: params as Record<string, unknown>, outcomes });
        return outcomes;
      } catch (e) {
        runs.push({ fn: def.name, params: params as Record<string, unknown>, outcomes: [], error: (e as Error)?.message ?? String(e) });
        throw e;
      }
    },
  });
  return { registry: new CheckRegistry().register(...real.all().map(wrap)), runs };
}

/**
 * A registry whose checks return what the parts recorded, concatenated in part order; a check that threw in any
 * part throws again (one run over all inputs would have thrown too, losing that check's outcomes).
 */
export function replayRegistry(real: CheckRegistry, parts: readonly PartRecord[]): CheckRegistry {
  const byKey = new Map<string, { outcomes: Outcome[]; error?: string }>();
  for (const part of parts) {
    for (const run of part.runs) {
      const key = runKey(run.fn, run.params);
      const slot = byKey.get(key) ?? { outcomes: [] };
      slot.outcomes.push(...run.outcomes);
      if (run.error !== undefined && slot.error === undefined) slot.error = run.error;
      byKey.set(key, slot);
    }
  }
  const replay = (def: AnyCheck): AnyCheck => ({
    ...def,
    run(_bundle, params) {
      const slot = byKey.get(runKey(def.name, params));
      if (slot?.error !== undefined) throw new Error(slot.error);
      return slot ? [...slot.outcomes] : [];
    },
  });
  return new CheckRegistry().register(...real.all().map(replay));
}

/**
 * What a bundle's items are, for replay: no check reads them then; the engine reads their kinds and problems, and
 * what its summaries of a pass count (operations, routes, records…).
 */
export function itemsOf(bundle: EvidenceBundle): EvidenceItemRecord[] {
  return [
    ...bundle.openapi.map((d) => ({
      kind: 'openapi' as const,
      file: d.file,
      problems: d.problems,
      operations: d.operations.map((o) => ({ method: o.method, path: o.path, location: o.location })),
      servers: d.servers.map((x) => ({ url: x.url })),
    })),
    ...bundle.gateway.map((g) => ({
      kind: 'gateway' as const,
      file: g.file,
      problems: g.problems,
      routes: g.routes.map((r) => ({ ...(r.name !== undefined ? { name: r.name } : {}), hosts: r.hosts, paths: r.paths, location: r.location })),
      listeners: g.listeners.map((l) => ({ address: l.address, location: l.location })),
    })),
    ...bundle.logs.map((l) => ({ kind: 'logs' as const, file: l.file, problems: l.problems, records: l.records, lines: l.lines, format: l.format })),
    ...bundle.probe.map((p) => ({ kind: 'probe' as const, file: p.target, target: p.target, probe: p.probe, problems: p.problems, requests: p.requests })),
  ];
}

/** A bundle standing for the recorded items of all parts, in part order. */
export function stubBundle(parts: readonly PartRecord[]): EvidenceBundle {
  const bundle: EvidenceBundle = { openapi: [], gateway: [], logs: [], probe: [] };
  for (const part of parts) for (const item of part.items) (bundle[item.kind] as unknown[]).push({ ...item });
  return bundle;
}

/**
 * Line and column of every JSON pointer the part's findings resolved, and of the places a summary of the part's
 * evidence may name (each item's operations, routes and problems), so the replay resolves them all alike.
 */
export function positionsOf(findings: readonly Finding[], items: readonly EvidenceItemRecord[] = [], locators: readonly Locator[] = []): PositionRecord[] {
  const byFile = new Map<string, Map<string, [number, number]>>();
  const add = (loc: SourceLocation | undefined) => {
    if (!loc || loc.pointer === undefined || loc.line === undefined) return;
    const map = byFile.get(loc.file) ?? new Map<string, [number, number]>();
    map.set(loc.pointer, [loc.line, loc.column ?? 1]);
    byFile.set(loc.file, map);
  };
  for (const f of findings) for (const loc of [f.location, ...(f.locations ?? [])]) add(loc);
  const wanted = new Map<string, Set<string>>();
  for (const item of items) {
    // A summary lists its first places only: the first of all parts' are among the first of each part's.
    const first = <T>(list: T[] | undefined) => (list ?? []).slice(0, MAX_EXAMINED_LOCATIONS);
    for (const loc of [...item.problems.map((p) => p.location), ...first(item.operations).map((o) => o.location), ...first(item.routes).map((r) => r.location), ...first(item.listeners).map((l) => l.location)]) {
      if (loc?.pointer === undefined || loc.line !== undefined || byFile.get(loc.file)?.has(loc.pointer)) continue;
      const set = wanted.get(loc.file) ?? new Set<string>();
      set.add(loc.pointer);
      wanted.set(loc.file, set);
    }
  }
  for (const [file, pointers] of wanted) {
    const locator = locators.find((l) => l.file === file);
    if (!locator) continue;
    for (const [pointer, pos] of locator.locate([...pointers])) add({ file, pointer, line: pos.line, column: pos.column });
  }
  return [...byFile].map(([file, map]) => ({ file, at: [...map].map(([pointer, [line, column]]) => [pointer, line, column]) }));
}

/** Locators answering from the recorded positions. */
export function replayLocators(parts: readonly PartRecord[]): Locator[] {
  const byFile = new Map<string, Map<string, { line: number; column: number }>>();
  for (const part of parts) {
    for (const p of part.positions) {
      const map = byFile.get(p.file) ?? new Map();
      for (const [pointer, line, column] of p.at) map.set(pointer, { line, column });
      byFile.set(p.file, map);
    }
  }
  return [...byFile].map(([file, map]) => ({
    file,
    locate(pointers: readonly string[]) {
      const out = new Map<string, { line: number; column: number }>();
      for (const pointer of pointers) {
        const pos = map.get(pointer);
        if (pos) out.set(pointer, pos);
      }
      return out;
    },
  }));
}

/**
 * Checks that join evidence of several kinds (each item of one kind is compared with every item of another), and
 * so give a different answer when those inputs are split between parts.
 */
export function joiningChecks(registry: CheckRegistry): { name: string; kinds: EvidenceKind[] }[] {
  return registry
    .all()
    .filter((c) => new Set(c.evidence).size > 1)
    .map((c) => ({ name: c.name, kinds: [...new Set(c.evidence)] }));
}

/**
 * The joining checks the parts would split: all their kinds are present in the whole, and inputs of those kinds are
 * in more than one part. Empty when parts combine exactly.
 */
export function splitJoins(registry: CheckRegistry, partKinds: readonly ReadonlySet<EvidenceKind>[]): { name: string; kinds: EvidenceKind[] }[] {
  const all = new Set(partKinds.flatMap((k) => [...k]));
  return joiningChecks(registry).filter((j) => j.kinds.every((k) => all.has(k)) && partKinds.filter((p) => j.kinds.some((k) => p.has(k))).length > 1);
}
