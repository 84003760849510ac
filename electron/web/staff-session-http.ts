import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, isAppError } from '../../shared/api/result';
import { sessionOf, signIn, signOut, signOutEverywhere, type Session } from '../core/accounts/sessions';
import { appendAudit } from '../core/audit/audit-log';
import type { Db } from '../core/db/db';
import { createFirstAdmin } from '../core/accounts/first-admin';
import { readBodyLimited } from './read-body';
import type { HubMedia } from '../core/hub/hub-media';
import type { HubThumbs } from '../core/hub/hub-thumbs';
import { OncePerWindow } from './once-per-window';
import { staffApiRoute } from './staff-api-http';
import { staffUsersRoute } from './staff-users-http';
import { staffCallRoute } from './staff-calls-http';
import { StaffJobOwners } from './staff-call-shops';
import type { SharedStaffJobs } from './staff-shared-jobs';
import type { Dispatch } from '../core/dispatch';
import type { DataPaths } from '../core/context';

export const STAFF_PREFIX = '/staff/v1';
export const isStaffPath = (pathname: string) => pathname === STAFF_PREFIX || pathname.startsWith(`${STAFF_PREFIX}/`);
export const CSRF_HEADER = 'x-csrf-token';

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** The session cookie: `__Host-` over HTTPS (only this host, path /, Secure), plain name over HTTP. */
export const cookieName = (secure: boolean) => (secure ? '__Host-pp_session' : 'pp_session');

const SignInInput = z.object({ name: z.string().min(1).max(200), password: z.string().min(1).max(1000) }).strict();
const SetupInput = SignInInput.extend({ token: z.string().min(1).max(200) }).strict();

/** Headers on every staff answer: nothing cached, sniffed, framed or leaked in a Referer. */
export function staffHeaders(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...extra,
  };
}

function reply(res: ServerResponse, status: number, body: unknown, extra: Record<string, string | string[]> = {}) {
  res.writeHead(status, staffHeaders({ 'content-type': 'application/json; charset=utf-8', ...extra }));
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function tokenOf(req: IncomingMessage, secure: boolean): string | null {
  const name = cookieName(secure);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * A browser's call from another site is refused before anything else: its Origin (sent by
 * every browser on a state-changing request) must name this very host.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser's cross-site call (those always carry Origin)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The signed-in person behind a request, or an UNAUTHORIZED AppError. A state-changing
 * request must also carry the session's CSRF token in `X-CSRF-Token` (and come from this
 * site): a page elsewhere cannot act in a signed-in clerk's name.
 */
export async function requireSession(
  db: Db,
  req: IncomingMessage,
  secure: boolean,
  now = new Date(),
): Promise<Session> {
  const token = tokenOf(req, secure);
  const session = token ? await sessionOf(db, token, now) : null;
  if (!session) throw new AppError('UNAUTHORIZED', 'Sign in first', { problem: 'signed-out' });
  const changes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
  if (changes) {
    const given = req.headers[CSRF_HEADER];
    if (!sameOrigin(req) || typeof given !== 'string' || !equal(given, session.csrf))
      throw new AppError('FORBIDDEN', 'This request did not come from a ProofPack page', { problem: 'csrf' });
  }
  return session;
}

/**
 * `/staff/v1/session`: sign in (POST {name, password}), who am I (GET), sign out
 * (DELETE), sign out everywhere (POST /staff/v1/session/everywhere). Each sign-in makes a
 * new token (a cookie planted before it is never promoted: no session fixation).
 */
export function staffSessionHandler(
  getDb: () => Db,
  media: HubMedia,
  thumbs: HubThumbs,
  opts: {
    secure: boolean;
    clock?: () => Date;
    /** the hub's core: its contract calls (cases, packets, coverage …) and its data folder */
    core?: { dispatch: Dispatch; paths: DataPaths };
    /** on PostgreSQL: the job queue every hub process shares (packet exports for staff run there) */
    shared?: SharedStaffJobs | null;
  },
) {
  const now = () => opts.clock?.() ?? new Date();
  const once = new OncePerWindow();
  const jobOwners = new StaffJobOwners(getDb);
  const cookie = (value: string, maxAgeS: number) =>
    `${cookieName(opts.secure)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${opts.secure ? '; Secure' : ''}`;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method} ${url.pathname.slice(STAFF_PREFIX.length)}`;
    const db = getDb();
    try {
      if (!sameOrigin(req)) throw new AppError('FORBIDDEN', 'Not from this site', { problem: 'csrf' });
      if (route === 'POST /session' || route === 'POST /setup') {
        const raw = await readBodyLimited(req, 8 * 1024);
        const body = raw ? safeJson(raw.toString('utf8')) : null;
        const setup = route === 'POST /setup' ? SetupInput.safeParse(body) : null;
        const parsed = setup ?? SignInInput.safeParse(body);
        if (!parsed.success)
          throw new AppError('INVALID_INPUT', 'Name and password, as JSON', { problem: 'sign-in-input' });
        // the setup link makes the first admin, who is then signed in like anyone else
        if (setup?.success) await createFirstAdmin(db, setup.data, now());
        const s = await signIn(
          db,
          {
            name: parsed.data.name,
            password: parsed.data.password,
            address: req.socket.remoteAddress ?? null,
            agent: req.headers['user-agent'] ?? null,
          },
          now(),
        );
        const maxAge = Math.round((Date.parse(s.expiresAt) - now().getTime()) / 1000);
        return reply(
          res,
          200,
          { user: s.user, csrf: s.csrf, expiresAt: s.expiresAt },
          { 'set-cookie': cookie(s.token, maxAge) },
        );
      }
      if (route === 'GET /session') {
        const s = await requireSession(db, req, opts.secure, now());
        return reply(res, 200, s);
      }
      if (route === 'DELETE /session' || route === 'POST /session/everywhere') {
        const s = await requireSession(db, req, opts.secure, now());
        const ended =
          route === 'DELETE /session'
            ? (await signOut(db, tokenOf(req, opts.secure)!, now()), 1)
            : await signOutEverywhere(db, s.user.id).then(async (n) => {
                await appendAudit(
                  db,
                  {
                    actor: s.user.id,
                    action: 'user.signed-out-everywhere',
                    entity: 'user',
                    entityId: s.user.id,
                    details: { sessions: n, address: req.socket.remoteAddress ?? null },
                  },
                  now(),
                );
                return n;
              });
        return reply(res, 200, { ended }, { 'set-cookie': cookie('', 0) });
      }
      const session = await requireSession(db, req, opts.secure, now());
      const ctx = { db, media, thumbs, session, once, secure: opts.secure, now: now() };
      const api = await staffApiRoute(ctx, req, res, url);
      if (api === 'sent') return;
      const calls = opts.core
        ? await staffCallRoute(
            { db, session, jobOwners, media, shared: opts.shared ?? null, ...opts.core },
            req,
            res,
            url,
          )
        : null;
      if (calls === 'sent') return;
      const answer = api ?? calls ?? (await staffUsersRoute(ctx, req, url));
      if (answer) return reply(res, answer.status, answer.body);
      throw new AppError('NOT_FOUND', 'Not here', { problem: 'no-such-route' });
    } catch (e) {
      if (!isAppError(e)) throw e;
      const details = e.details as { retryAfterSeconds?: number } | undefined;
      const extra: Record<string, string> = details?.retryAfterSeconds
        ? { 'retry-after': String(details.retryAfterSeconds) }
        : {};
      return reply(
        res,
        STATUS[e.code] ?? 500,
        { error: { code: e.code, message: e.message, details: e.details } },
        extra,
      );
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
