/**
 * User-facing errors. Anything thrown as one of these is printed as one clear line and exits 2;
 * anything else is a bug and is reported as an internal error (exit 3).
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly hint: string,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${hint}`);
    this.name = 'InputError';
  }
}

/** Several input problems found at once (e.g. every invalid rule of a rulebook). */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isUserError(e: unknown): e is InputError | InputErrors | UsageError {
  return e instanceof InputError || e instanceof InputErrors || e instanceof UsageError;
}
