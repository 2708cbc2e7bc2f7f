import type { AnyCheck } from './registry.js';

/** Checks of the `uapi` family (see DESIGN.md "Checks and messages"). */
export const uapiChecks: AnyCheck[] = [];
