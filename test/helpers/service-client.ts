/**
 * Calls the service as both transports (IPC, loopback HTTP) reach it, through `dispatch`'s argument checks,
 * and keeps the JSON text of every answer the page would receive (to look for secrets in them).
 */
import type { Result } from '../../src/core/common/result.js';
import type { ApiMethod, ApiValue, SceauApi } from '../../src/core/service/api.js';
import { dispatch } from '../../src/core/service/dispatch.js';

export function transportClient(
  api: SceauApi,
  onBug: (e: unknown) => void = (e) => {
    throw e;
  },
) {
  const seen: string[] = [];
  async function call<M extends ApiMethod>(method: M, argument: unknown): Promise<Result<ApiValue<M>>> {
    const r = await dispatch(api, method, argument, onBug);
    seen.push(JSON.stringify(r));
    return r as Result<ApiValue<M>>;
  }
  async function must<M extends ApiMethod>(method: M, argument: unknown): Promise<ApiValue<M>> {
    const r = await call(method, argument);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message.en}`);
    return r.value;
  }
  return { call, must, seen };
}
