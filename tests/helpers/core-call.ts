import type { Core } from '../../electron/core/core';

/** A contract call through the core's dispatcher (validation included), unwrapped: throws on an error result. */
export async function call<T>(core: Core, name: string, input: unknown): Promise<T> {
  const r = await core.dispatch(name, input);
  if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { error: r.error });
  return r.value as T;
}
