/**
 * Expected failures are values, not exceptions (VxSuite's `Result`, Signal's `{ok, error}`).
 * Every failure a person may see carries a stable reason code and a message in French and English.
 * Only bugs throw.
 */

/** A sentence in both languages of the application. French first: the board is French. */
export interface Bilingual {
  readonly fr: string;
  readonly en: string;
}

/**
 * An expected failure: `code` is stable (tests and logs key on it), `message` is for people. `Code` narrows
 * the code to a module's list (see {@link failureMakers}); a failure passed on from elsewhere keeps `string`.
 */
export interface Failure<Code extends string = string> {
  readonly code: Code;
  readonly message: Bilingual;
  /** Where it happened, when that helps a person act: a file, a line, a ballot, a member. */
  readonly where?: string;
}

export type Result<T, Code extends string = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Failure<Code> };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never, Code extends string = string>(code: Code, fr: string, en: string, where?: string): Result<T, Code> {
  return { ok: false, error: failureOf(code, fr, en, where) };
}

function failureOf<Code extends string>(code: Code, fr: string, en: string, where: string | undefined): Failure<Code> {
  return where === undefined ? { code, message: { fr, en } } : { code, message: { fr, en }, where };
}

/** A programming error: never raised for user input (VS Code's `BugIndicatingError`). */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

/** For the `default` branch of an exhaustive `switch`: a new case breaks the build where it is unhandled. */
export function missingCase(value: never): never {
  throw new BugError(`unhandled case: ${JSON.stringify(value)}`);
}

/**
 * Raised while decoding untrusted input deep inside a parser, where threading a `Result` through every
 * call would bury the logic; boundaries convert it back with {@link catchInput}. Never used for bugs.
 */
export class InputError<Code extends string = string> extends Error {
  readonly failure: Failure<Code>;
  constructor(code: Code, fr: string, en: string, where?: string) {
    super(`${code}: ${en}${where === undefined ? '' : ` (${where})`}`);
    this.name = 'InputError';
    this.failure = failureOf(code, fr, en, where);
  }
}

/** Runs a parser and turns its {@link InputError} into a failed {@link Result}; anything else is a bug and propagates. */
export function catchInput<T>(parse: () => T): Result<T> {
  try {
    return ok(parse());
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.failure };
    throw e;
  }
}

/**
 * Binds the makers of failures to one module's `as const` list of codes: each module (a folder of
 * src/core, or a process's shell) declares in its `failures.ts` the codes it can make and makes them only
 * through these, so that a misspelt or unlisted code is a type error, and a reader finds every code a module
 * can produce in one place.
 */
// The return type is inferred, not declared, so that a call resolves to these functions (the failure-code
// scan of test/docs/ follows a call to the function that makes the failure).
export function failureMakers<const Codes extends readonly string[]>(codes: Codes) {
  type Code = Codes[number];
  return {
    /** The module's codes, as listed; docs/ documents each (test/docs/failure-codes.test.ts). */
    codes,
    /** A failed {@link Result}. */
    fail: <T = never>(code: Code, fr: string, en: string, where?: string): Result<T, Code> => fail<T, Code>(code, fr, en, where),
    /** A {@link Failure} value, for a result built by hand or a list of refusals. */
    failure: (code: Code, fr: string, en: string, where?: string): Failure<Code> => failureOf(code, fr, en, where),
    /** An {@link InputError} to throw from deep inside a parser. */
    inputError: (code: Code, fr: string, en: string, where?: string): InputError<Code> => new InputError<Code>(code, fr, en, where),
  };
}
