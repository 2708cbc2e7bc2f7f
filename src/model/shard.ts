/**
 * What a shard's JSON result carries beyond the report (`assess --shard`), so that `jrt0185 merge` can give exactly
 * the result one run over all the shards' inputs gives: per part of the assessment, every check's outcomes, the
 * evidence items and their readers' problems, and the positions its findings resolved to (see src/portfolio/replay.ts).
 */
import type { EvidenceKind, InputProblem, SourceLocation } from './evidence.js';
import type { LocalizedText, Outcome } from './outcome.js';
import type { AttestationRecord, WaiverRecord } from './result.js';

export interface CheckRunRecord {
  fn: string;
  params: Record<string, unknown>;
  outcomes: Outcome[];
  /** The check threw: its message (the engine turns it into an error finding). */
  error?: string;
}

/** An evidence item as the engine sees it outside the checks: what it is and the problems its reader had. */
export interface EvidenceItemRecord {
  kind: EvidenceKind;
  file: string;
  /** Probes: what was contacted, and the probe family. */
  target?: string;
  probe?: string;
  problems: InputProblem[];
  /**
   * What the engine's summaries of a pass ("examined N operations in M descriptions") count, per kind: operations
   * (method, path, location) and server URLs of a description, routes and listeners of a gateway, records and lines
   * of a log file, requests of a probe.
   */
  operations?: { method: string; path: string; location: SourceLocation }[];
  servers?: { url: string }[];
  routes?: { name?: string; hosts: string[]; paths: string[]; location: SourceLocation }[];
  listeners?: { address: string; location: SourceLocation }[];
  records?: number;
  lines?: number;
  format?: string;
  requests?: number;
}

/** The line and column every JSON pointer of a finding resolved to, per file: [pointer, line, column]. */
export interface PositionRecord {
  file: string;
  at: [string, number, number][];
}

/** What one part of an assessment contributes to the combined result. */
export interface PartRecord {
  /** Position of the part's OpenAPI description among all of the run's (absent: a part of the other inputs). */
  order?: number;
  runs: CheckRunRecord[];
  items: EvidenceItemRecord[];
  positions: PositionRecord[];
  /** Warnings the readers gave for this part's inputs (the engine's own are made again on replay). */
  warnings: LocalizedText[];
}

export interface ShardRecord {
  /** `--shard I/N`: this shard's index and the shard count (absent: a shard made by choosing its inputs). */
  index?: number;
  count?: number;
  /** OpenAPI descriptions in the whole portfolio the shards split (with --shard I/N). */
  total?: number;
  parts: PartRecord[];
  /** The run's attestation answers and waivers, as loaded (with their matching rules and expiry verdicts). */
  attestations?: [string, AttestationRecord][];
  waivers?: (WaiverRecord & { match?: { file?: string; pointer?: string; host?: string }; expired: boolean })[];
  /** With --baseline: what the gate compares with (failed requirement ids, finding fingerprints). */
  baseline?: { file: string; failed: string[]; fingerprints: string[] };
}
