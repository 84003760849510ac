import type { ApiClient, CallName } from '../../../shared/api/contract';
import type { ApiEvents, EventName } from '../../../shared/api/events';
import type { Result } from '../../../shared/api/result';
import { encodeWireInput } from '../../../shared/api/wire';

/** What the Electron preload exposes (see electron/preload/index.ts). */
interface IpcBridge {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}
declare global {
  interface Window {
    proofpackIpc?: IpcBridge;
  }
}

type Listener = (payload: unknown) => void;

function fanOut() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    emit(event: string, payload: unknown) {
      listeners.get(event)?.forEach((l) => l(payload));
    },
    on(event: string, l: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
  };
}

function ipcClient(bridge: IpcBridge): ApiClient {
  const bus = fanOut();
  bridge.onEvent((event, payload) => bus.emit(event, payload));
  return {
    call: (name, input) => bridge.call(name, input) as never,
    on: (event, listener) => bus.on(event, listener as Listener),
    mediaUrl: (rel) => `proofpack-media://data/${rel.split('/').map(encodeURIComponent).join('/')}`,
  };
}

/** Loopback mode: the token arrives in the page URL once and is then kept for the session. */
function webClient(): ApiClient {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('proofpack.token') ?? '';
  if (params.has('token')) {
    sessionStorage.setItem('proofpack.token', token);
    history.replaceState(null, '', location.pathname + location.hash);
  }
  const bus = fanOut();
  let retry = 500;
  const connect = () => {
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events?token=${encodeURIComponent(token)}`,
    );
    ws.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: EventName; payload: unknown };
      bus.emit(event, payload);
    };
    ws.onopen = () => {
      retry = 500;
      bus.emit('connection', true);
    };
    ws.onclose = () => {
      bus.emit('connection', false);
      setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  connect();
  return {
    async call<K extends CallName>(name: K, input: unknown) {
      const wire = encodeWireInput(input);
      try {
        const res = await fetch(`/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { ...wire.headers, 'x-proofpack-token': token },
          body: wire.body as BodyInit,
        });
        return (await res.json()) as never;
      } catch (e) {
        return { ok: false, error: { code: 'NETWORK', message: (e as Error).message } } as never;
      }
    },
    on: (event, listener) => bus.on(event, listener as Listener),
    mediaUrl: (rel) => `/media/${rel.split('/').map(encodeURIComponent).join('/')}`,
  };
}

export const createClient = (): ApiClient => (window.proofpackIpc ? ipcClient(window.proofpackIpc) : webClient());
export type { ApiEvents };
