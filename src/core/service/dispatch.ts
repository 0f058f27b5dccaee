/**
 * What both transports do with a call once the caller is authenticated: check the method name,
 * validate the argument, call the service. Errors cross transports as plain values (classes do not
 * survive IPC or JSON): expected failures as `{ok:false,error}`, bugs as a generic failure whose
 * details stay in the privileged process.
 */
import { catchInput, InputError, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { SceauApi } from './api.js';
import { isApiMethod } from './methods.js';
import { API_VALIDATORS } from './validators.js';

export async function dispatch(service: SceauApi, method: string, argument: unknown, onBug: (e: unknown) => void): Promise<Result<unknown>> {
  if (!isApiMethod(method)) {
    return fail('api.unknown-method', `Méthode inconnue\u00a0: ${method}.`, `Unknown method: ${method}.`);
  }
  const checked = catchInput(() => API_VALIDATORS[method](argument, method));
  if (!checked.ok) return checked;
  try {
    const call = service[method] as (arg: unknown) => Promise<Result<unknown>>;
    return await call(checked.value);
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.failure };
    onBug(e);
    return fail('internal', 'Erreur interne du logiciel\u00a0; elle a été journalisée.', 'Internal software error; it has been logged.');
  }
}
