import type { ApiError, Result } from '../../../shared/api/result';
import type { HubUser } from '../../../shared/accounts/roles';

export interface StaffSession {
  user: HubUser;
  csrf: string;
  expiresAt: string;
}

/**
 * The staff app's one way to the hub: `/staff/v1` with the session cookie (HttpOnly: the
 * page never sees it) and the CSRF token on every state-changing call. Answers come back
 * as Results, like the station's contract calls, so one error helper shows them.
 */
export class StaffClient {
  private csrf = '';
  /** called when the hub says the session ended (expired, signed out elsewhere) */
  onSignedOut: () => void = () => undefined;

  async call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    return this.send<T>(
      method,
      path,
      body === undefined ? undefined : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    );
  }

  /** `call` with a body already encoded (the contract's wire format: JSON, or one raw binary field) */
  async send<T>(
    method: string,
    path: string,
    payload?: { body: string | Uint8Array; headers: Record<string, string> },
  ): Promise<Result<T>> {
    const changes = method !== 'GET';
    let res: Response;
    try {
      res = await fetch(`/staff/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          ...payload?.headers,
          ...(changes && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        },
        body: payload?.body as BodyInit | undefined,
      });
    } catch (e) {
      return { ok: false, error: { code: 'HUB_UNREACHABLE', message: (e as Error).message } };
    }
    const answer = (await res.json().catch(() => null)) as { error?: ApiError } | null;
    if (res.ok) return { ok: true, value: answer as T };
    const error = answer?.error ?? { code: 'INTERNAL', message: `HTTP ${res.status}` };
    const isSignIn = path === '/session' && method === 'POST';
    if (res.status === 401 && !isSignIn && path !== '/session') this.onSignedOut();
    return { ok: false, error };
  }

  async session(): Promise<StaffSession | null> {
    const r = await this.call<StaffSession>('GET', '/session');
    if (r.ok) this.csrf = r.value.csrf;
    return r.ok ? r.value : null;
  }

  async signIn(path: '/session' | '/setup', body: Record<string, string>): Promise<Result<StaffSession>> {
    const r = await this.call<StaffSession>('POST', path, body);
    if (r.ok) this.csrf = r.value.csrf;
    return r;
  }

  async signOut(everywhere: boolean): Promise<void> {
    await this.call(everywhere ? 'POST' : 'DELETE', everywhere ? '/session/everywhere' : '/session');
    this.csrf = '';
  }

  /** a file's URL for <video>/<img> (the cookie goes with it; players fetch it in ranges) */
  /** every file of an order as one zip, streamed as the hub makes it */
  orderZipUrl(orderNo: string): string {
    return `/staff/v1/orders/${encodeURIComponent(orderNo)}/zip`;
  }

  /** a small JPEG of the file (a video's frame at 1 s); 404 when there is none */
  thumbUrl(stationId: string, evidenceId: string): string {
    return `/staff/v1/thumbs/${encodeURIComponent(stationId)}/${encodeURIComponent(evidenceId)}`;
  }

  mediaUrl(stationId: string, evidenceId: string, download = false): string {
    return `/staff/v1/media/${encodeURIComponent(stationId)}/${encodeURIComponent(evidenceId)}${download ? '?download=1' : ''}`;
  }
}
