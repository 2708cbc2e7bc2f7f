import type { AnyCheck } from './registry.js';

/** Checks of the `logs` family (see DESIGN.md "Checks and messages"). */
export const logChecks: AnyCheck[] = [];
