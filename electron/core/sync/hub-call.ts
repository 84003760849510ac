import type { z } from 'zod';
import { HUB_PREFIX } from '../../../shared/hub/protocol';
import { certificateRefusal, type HubTransport } from './hub-transport';

/** A record call the hub does not answer within this is a network failure, not a hang. */
const CALL_TIMEOUT_MS = 30_000;

/** The hub said no to this station as a whole: stop the pass instead of failing every file. */
export class StationRefused extends Error {}

/** the hub a pass talks to: its address, this station's credential, the (pinned) transport */
export interface HubCaller {
  base: URL;
  credential: string;
  transport: HubTransport;
}

/**
 * One record call to the hub, its answer checked by `answer`. A hub that cannot be reached,
 * refuses this station (401) or cannot work (503) throws StationRefused: the pass stops.
 * Any other refusal throws an Error carrying the HTTP status.
 */
export async function hubCall<T>(
  hub: HubCaller,
  answer: z.ZodType<T>,
  method: 'GET' | 'PUT',
  route: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await hub.transport.fetch(new URL(`${HUB_PREFIX.slice(1)}${route}`, hub.base), {
      method,
      headers: { authorization: `Bearer ${hub.credential}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (e) {
    const refusal = certificateRefusal(e);
    if (refusal) throw new StationRefused(refusal);
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new StationRefused(`hub unreachable (${hub.base.origin}: ${cause})`);
  }
  const json: unknown = await res.json().catch(() => null);
  const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
  // 401: not paired any more; 503: the hub is up but cannot work (its database restarting)
  if (res.status === 401 || res.status === 503) throw new StationRefused(message);
  if (!res.ok) throw Object.assign(new Error(message), { status: res.status });
  const parsed = answer.safeParse(json);
  if (!parsed.success) throw new StationRefused(`${hub.base.origin} did not answer as a ProofPack hub`);
  return parsed.data;
}
