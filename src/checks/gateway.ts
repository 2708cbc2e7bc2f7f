import type { AnyCheck } from './registry.js';

/** Checks of the `gateway` family (see DESIGN.md "Checks and messages"). */
export const gatewayChecks: AnyCheck[] = [];
