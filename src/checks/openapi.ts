import type { AnyCheck } from './registry.js';

/** Checks of the `openapi` family (see DESIGN.md "Checks and messages"). */
export const openapiChecks: AnyCheck[] = [];
