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

/** An expected failure: `code` is stable (tests and logs key on it), `message` is for people. */
export interface Failure {
  readonly code: string;
  readonly message: Bilingual;
  /** Where it happened, when that helps a person act: a file, a line, a ballot, a member. */
  readonly where?: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, fr: string, en: string, where?: string): Result<T> {
  return { ok: false, error: where === undefined ? { code, message: { fr, en } } : { code, message: { fr, en }, where } };
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
export class InputError extends Error {
  readonly failure: Failure;
  constructor(code: string, fr: string, en: string, where?: string) {
    super(`${code}: ${en}${where === undefined ? '' : ` (${where})`}`);
    this.name = 'InputError';
    this.failure = where === undefined ? { code, message: { fr, en } } : { code, message: { fr, en }, where };
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
