import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiClient, CallInput, CallName, CallOutput } from '../../../shared/api/contract';
import type { ApiEvents, EventName } from '../../../shared/api/events';
import type { ApiError } from '../../../shared/api/result';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** A failed call as an exception carrying the contract's error, for try/catch code paths. */
export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function callOrThrow<K extends CallName>(
  api: ApiClient,
  name: K,
  input: CallInput<K>,
): Promise<CallOutput<K>> {
  const r = await api.call(name, input);
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}

/** Subscribe to a pushed event for the life of the component. */
export function useEvent<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
  const api = useApi();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (p) => ref.current(p)), [api, event]);
}

/** Load a call's result and reload it when `deps` change or `reloadOn` events arrive. */
export function useQuery<K extends CallName>(
  name: K,
  input: CallInput<K>,
  deps: unknown[],
  reloadOn: EventName[] = [],
) {
  const api = useApi();
  const [state, setState] = useState<{ data: CallOutput<K> | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    void api.call(name, input).then((r) => {
      if (!alive) return;
      setState(r.ok ? { data: r.value, error: null, loading: false } : { data: null, error: r.error, loading: false });
    });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, name, tick, ...deps]);
  useEffect(() => {
    const offs = reloadOn.map((e) => api.on(e, () => setTick((t) => t + 1)));
    return () => offs.forEach((off) => off());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, reloadOn.join(',')]);
  // stable across renders: callers keep it in effects' deps (timers) without restarting them
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
