/** A screen's calls to the API: their Results, and a failure of the bridge itself as one. */
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { Result } from '../core/common/result.js';
import { failure } from './failures.js';

/** A call that did not reach the privileged process (the bridge threw) as the failure the screens show. */
export const transportFailure = (e: unknown) => ({
  ok: false as const,
  error: failure(
    'transport',
    `Le service du poste n'a pas répondu\u00a0: relancez l'application si cela se reproduit (détails\u00a0: ${String(e)}).`,
    `The workstation's service did not answer: restart the application if it happens again (details: ${String(e)}).`,
  ),
});

/** Calls one API method, exposing its Result (or "loading") and a way to call it again. */
export function useResult<T>(call: () => Promise<Result<T>>): { result: Result<T> | null; reload: () => void } {
  const [result, setResult] = useState<Result<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  // `call` is recreated on each render; the generation counter is what asks for a new call.
  const callNow = useEffectEvent(call);
  useEffect(() => {
    let live = true;
    setResult(null);
    callNow().then(
      (r) => live && setResult(r),
      (e: unknown) => live && setResult(transportFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, reload };
}
