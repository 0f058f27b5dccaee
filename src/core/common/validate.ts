/**
 * Small validators for untrusted arguments (IPC calls, HTTP bodies). A validator returns the value
 * typed, or throws InputError naming the offending field; boundaries turn that into a Result.
 */
import { InputError, ok, type Result } from './result.js';
import { inputError } from './failures.js';

export type Validator<T> = (value: unknown, where: string) => T;

function reject(where: string, fr: string, en: string): never {
  throw inputError('argument.invalid', `Argument invalide\u00a0: ${fr}.`, `Invalid argument: ${en}.`, where);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export function string(options: { maxLength?: number; pattern?: RegExp } = {}): Validator<string> {
  const maxLength = options.maxLength ?? 4096;
  return (value, where) => {
    if (typeof value !== 'string') reject(where, 'une chaîne de caractères est attendue', 'a string is expected');
    if (value.length > maxLength) reject(where, `au plus ${maxLength} caractères`, `at most ${maxLength} characters`);
    if (options.pattern && !options.pattern.test(value)) reject(where, 'format inattendu', 'unexpected format');
    return value;
  };
}

export const boolean: Validator<boolean> = (value, where) => {
  if (typeof value !== 'boolean') reject(where, 'un booléen est attendu', 'a boolean is expected');
  return value;
};

export function integer(min: number, max: number): Validator<number> {
  return (value, where) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      reject(where, `un entier de ${min} à ${max} est attendu`, `an integer from ${min} to ${max} is expected`);
    return value;
  };
}

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  return (value, where) => {
    if (typeof value !== 'string' || !values.includes(value)) reject(where, `une valeur parmi ${values.join(', ')} est attendue`, `one of ${values.join(', ')} is expected`);
    return value as T[number];
  };
}

export function list<T>(item: Validator<T>, maxItems: number): Validator<readonly T[]> {
  return (value, where) => {
    if (!Array.isArray(value)) reject(where, 'une liste est attendue', 'a list is expected');
    if (value.length > maxItems) reject(where, `au plus ${maxItems} éléments`, `at most ${maxItems} items`);
    return value.map((v, i) => item(v, `${where}[${i}]`));
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (value, where) => (value === null ? null : inner(value, where));
}

/** Any JSON value, checked later by the format's own validator (an election definition...). */
export const unknownJson: Validator<unknown> = (value) => value;

/** A field that may be absent: absent in the checked value too, never present as `undefined`. */
type OptionalValidator<T> = Validator<T | undefined> & { readonly optional: true };

export function optional<T>(inner: Validator<T>): OptionalValidator<T> {
  return Object.assign((value: unknown, where: string) => (value === undefined ? undefined : inner(value, where)), { optional: true as const });
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : never }[keyof S];
type Shaped<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: ReturnType<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<ReturnType<S[K]>, undefined> };

/** An object with exactly these keys (unknown keys are refused: a typo must not pass silently). */
export function object<S extends Shape>(shape: S): Validator<Shaped<S>> {
  return (value, where) => {
    if (!isPlainObject(value)) reject(where, 'un objet est attendu', 'an object is expected');
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) reject(`${where}.${key}`, 'champ inconnu', 'unknown field');
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const field = check(value[key], `${where}.${key}`);
      if (field !== undefined) out[key] = field;
    }
    return out as Shaped<S>;
  };
}

/** The argument of a method that takes none: `{}`. */
export const empty: Validator<Record<string, never>> = object({}) as Validator<Record<string, never>>;

/** Lower-case hexadecimal of exactly `digits` digits: keys and digests (64), signatures (128). */
export function hex(digits: number): Validator<string> {
  const pattern = new RegExp(`^[0-9a-f]{${digits}}$`);
  return (value, where) => {
    if (typeof value !== 'string' || !pattern.test(value)) reject(where, `${digits} chiffres hexadécimaux en minuscules sont attendus`, `${digits} lower-case hexadecimal digits are expected`);
    return value;
  };
}

/** Any JSON value, but present: an absent field is refused; the value is judged later by its own reader (a DKG message...). */
export const requiredJson: Validator<unknown> = (value, where) => {
  if (value === undefined) reject(where, 'une valeur est attendue', 'a value is expected');
  return value;
};

/**
 * Checks `value` at `where` (`payload`, `body`…): the value typed, or the refusal as a failure whose `where` is
 * the field at fault (`payload.partials[0].digest`) and whose message is only the reason (`an integer from 1
 * to 255 is expected`), for a caller that words its own refusal. Anything but a validator's refusal is a bug
 * and propagates.
 */
export function validate<T>(validator: Validator<T>, value: unknown, where: string): Result<T> {
  try {
    return ok(validator(value, where));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const { code, message } = e.failure;
    // The wording `reject` wraps each reason in, taken off again.
    const reason = (text: string, prefix: string) => (text.startsWith(prefix) && text.endsWith('.') ? text.slice(prefix.length, -1) : text);
    return { ok: false, error: { code, message: { fr: reason(message.fr, 'Argument invalide\u00a0: '), en: reason(message.en, 'Invalid argument: ') }, where: e.failure.where ?? where } };
  }
}
