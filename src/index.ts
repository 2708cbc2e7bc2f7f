/** Public API of jrt0185: the CLI and tests call these. */
export { assess, assessEvidence, loadBaseline, type AssessOptions } from './assess.js';
export { loadRulebook, type LoadRulebookOptions } from './rulebook/load.js';
export { renderReport, FORMATS, FORMAT_NAMES } from './report/index.js';
export { defaultRegistry, CheckRegistry, defineCheck } from './checks/index.js';
export { collectInputs } from './collect.js';
export { InputError, InputErrors, UsageError } from './errors.js';
export type * from './model/evidence.js';
export type * from './model/outcome.js';
export type * from './model/rulebook.js';
export type * from './model/result.js';
export { SCHEMA_VERSION } from './model/result.js';
export { mergeShards, type ShardFile, type MergeOptions } from './portfolio/merge.js';
export { expandInputs } from './portfolio/expand.js';
export { compileGlob, globMatch } from './input/glob.js';
export type * from './model/shard.js';
