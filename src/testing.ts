/** Test helpers shared across folders (not built into dist/: tsconfig.build.json leaves out every testing.ts). */
import { InputError, InputErrors } from './errors.js';

/** The input-error messages `run` ends with (every one of an InputErrors), or none when it succeeds. */
export async function inputProblems(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => x.message);
    if (e instanceof InputError) return [e.message];
    throw e;
  }
  return [];
}
