import type { AnyCheck } from './registry.js';

/** Checks of the `probe` family (see DESIGN.md "Checks and messages"). */
export const probeChecks: AnyCheck[] = [];
