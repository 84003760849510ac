import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CALL_ACCESS, mayCall } from '../../shared/accounts/permissions';
import type { CallName } from '../../shared/api/contract';
import { AppError, type Result } from '../../shared/api/result';
import type { JobSnapshot } from '../../shared/domain/types';
import { runInShopScope } from '../core/accounts/shop-scope';
import { decodeWireInput } from '../../shared/api/wire';
import type { Session } from '../core/accounts/sessions';
import type { DataPaths } from '../core/context';
import type { Db } from '../core/db/db';
import type { Dispatch } from '../core/dispatch';
import { resolveMediaFile } from '../core/storage/media-access';
import { resolveInside } from '../core/storage/files';
import type { HubMedia } from '../core/hub/hub-media';
import { parseMirroredPath } from '../core/hub/hub-mirror';
import { sendHubFile, sendLocalFile } from './hub-media-reply';
import { readBodyLimited } from './read-body';
import { assertOrderInShops, guardShopLimitedCall, type StaffJobOwners } from './staff-call-shops';
import { sharedStaffJobCall, type SharedStaffJobs } from './staff-shared-jobs';

/** a label photo or an order sheet in one piece, as the loopback adapter takes it */
const MAX_BODY = 64 * 1024 * 1024;

export interface StaffCallsContext {
  db: Db;
  session: Session;
  dispatch: Dispatch;
  paths: DataPaths;
  /** who started which job, for users limited to some shops */
  jobOwners: StaffJobOwners;
  /** the hub's store: packets made for staff on a PostgreSQL hub are kept there */
  media: HubMedia;
  /** on a PostgreSQL hub: the queue every hub process shares (packet exports run there) */
  shared: SharedStaffJobs | null;
}

/** Inputs that name a path on the hub's own disk: a browser has no business there. */
const HUB_PATHS: Partial<Record<CallName, string>> = { 'packets.export': 'outDir', 'packets.verify': 'path' };

const FILE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

const refuse = (message: string, problem: string) => new AppError('FORBIDDEN', message, { problem });
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

/** A shop-limited user gets only the zip of a packet of her shops' orders (404 otherwise, no hint). */
async function assertPacketZipVisible(c: StaffCallsContext, abs: string) {
  const shops = c.session.user.shops;
  if (!shops.length) return;
  const row = await c.db
    .selectFrom('packets as p')
    .innerJoin('cases as k', 'k.id', 'p.case_id')
    .select('k.order_id')
    .where('p.zip_path', '=', abs)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'No such packet', { problem: 'no-such-file' });
  await assertOrderInShops(c.db, row.order_id, shops, 'no-such-file');
}

const sendFromDataFolder = async (
  req: IncomingMessage,
  res: ServerResponse,
  abs: string | null,
  opts: { download: boolean; headers: Record<string, string> },
) => !!abs && (await sendLocalFile(req, res, abs, opts));

/** a call's Result as the route answers it: the call's own refusal (an incomplete packet, a job cancelled …) by its code */
const answer = (result: Result<unknown>) =>
  result.ok
    ? { status: 200, body: result }
    : { status: STATUS[result.error.code] ?? 422, body: { error: result.error } };

const jobIdOf = (input: unknown) => String((input as { id?: unknown } | null)?.id ?? '');

/**
 * The station's own contract, served to signed-in staff (issue 12): cases, packets,
 * coverage and the dashboard run on the hub over every station's mirrored files
 * (hub-mirror.ts). `POST /staff/v1/call/<name>` with the call's input as the loopback
 * adapter sends it; each call needs the role shared/accounts/permissions.ts gives it.
 * Also the files those calls make: packet zips (`/staff/v1/exports/…`) and files made on
 * the hub itself (`/staff/v1/files/…`, a label photo a clerk added to a case).
 */
export async function staffCallRoute(
  c: StaffCallsContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<{ status: number; body: unknown } | 'sent' | null> {
  const { session } = c;
  const call = /^\/staff\/v1\/call\/([^/]+)$/.exec(url.pathname);
  if (call && req.method === 'POST') {
    const name = decode(call[1]!) as CallName;
    const access = Object.hasOwn(CALL_ACCESS, name) ? CALL_ACCESS[name] : null;
    if (!access) throw new AppError('NOT_FOUND', 'No such call', { problem: 'no-such-call' });
    if (access === 'station') throw refuse('Only a packing station does this', 'station-only');
    if (!mayCall(session.user.role, name)) throw refuse('Your role cannot do this', 'role-forbidden');
    const body = await readBodyLimited(req, MAX_BODY);
    if (body === null) throw new AppError('INVALID_INPUT', 'Request too large', { problem: 'request-too-large' });
    let input: unknown;
    try {
      input = decodeWireInput(req.headers, body);
    } catch {
      throw new AppError('INVALID_INPUT', 'Malformed request body', { problem: 'malformed-request' });
    }
    const pathField = HUB_PATHS[name];
    if (pathField && input && typeof input === 'object' && (input as Record<string, unknown>)[pathField] !== undefined)
      throw new AppError('INVALID_INPUT', 'A folder on the hub cannot be chosen from a browser', {
        problem: 'hub-path',
      });
    const core = () => c.dispatch(name, input);
    const run = async () =>
      (c.shared && (await sharedStaffJobCall(c.shared, c.db, session, name, input, core))) || core();
    const shops = session.user.shops;
    if (!shops.length) return answer(await run());
    // a 3PL client's clerk: her shops' orders only (staff-call-shops.ts)
    const user = session.user.id;
    if ((name === 'jobs.cancel' || name === 'jobs.retry') && !(await c.jobOwners.isOwn(jobIdOf(input), user)))
      throw new AppError('NOT_FOUND', 'No such job', { problem: 'no-such-job' });
    await guardShopLimitedCall(c.db, name, input, shops);
    const result = await runInShopScope(shops, run);
    if (result.ok) {
      const started = result.value as { jobId?: unknown; id?: unknown } | null;
      if (name === 'jobs.retry' && typeof started?.id === 'string') await c.jobOwners.own(started.id, user);
      else if (typeof started?.jobId === 'string') await c.jobOwners.own(started.jobId, user);
      if (name === 'jobs.list') {
        const jobs = result.value as JobSnapshot[];
        const mine = await c.jobOwners.mine(
          jobs.map((j) => j.id),
          user,
        );
        result.value = jobs.filter((j) => mine.has(j.id));
      }
    }
    return answer(result);
  }
  const exported = /^\/staff\/v1\/exports\/(.+)$/.exec(url.pathname);
  if (exported && (req.method === 'GET' || req.method === 'HEAD')) {
    if (!mayCall(session.user.role, 'packets.export')) throw refuse('Your role cannot do this', 'role-forbidden');
    const rel = exported[1]!.split('/').map(decode).join('/');
    const abs = rel.toLowerCase().endsWith('.zip') ? resolveInside(c.paths.exports, rel) : null;
    if (abs) await assertPacketZipVisible(c, abs);
    if (!abs || !(await sendLocalFile(req, res, abs, { download: true, headers: FILE_HEADERS })))
      throw new AppError('NOT_FOUND', 'No such packet', { problem: 'no-such-file' });
    return 'sent';
  }
  const file = /^\/staff\/v1\/files\/(.+)$/.exec(url.pathname);
  if (file && (req.method === 'GET' || req.method === 'HEAD')) {
    if (!mayCall(session.user.role, 'cases.get')) throw refuse('Your role cannot do this', 'role-forbidden');
    const rel = file[1]!.split('/').map(decode).join('/');
    // a packet kept in the hub's store (`packets/<id>/<name>.zip`, packet-repo.ts): any process serves it
    const stored = /^packets\/([^/]+)\/[^/]+\.zip$/i.exec(rel);
    if (stored) {
      const row = await c.db
        .selectFrom('packets as p')
        .innerJoin('cases as k', 'k.id', 'p.case_id')
        .select(['p.name', 'p.zip_location', 'k.order_id'])
        .where('p.id', '=', stored[1]!)
        .executeTakeFirst();
      if (row?.zip_location && session.user.shops.length)
        await assertOrderInShops(c.db, row.order_id, session.user.shops, 'no-such-file');
      const zip = row?.zip_location ? { location: row.zip_location, fileName: `${row.name}.zip` } : null;
      if (!zip || !(await sendHubFile(req, res, c.media, zip, { download: true, headers: FILE_HEADERS })))
        throw new AppError('NOT_FOUND', 'No such packet', { problem: 'no-such-file' });
      return 'sent';
    }
    // a packet's zip as the station screens name it (`zipMediaPath`: exports/…)
    const zip = /^exports\/(.+\.zip)$/i.exec(rel);
    if (zip) {
      const abs = resolveInside(c.paths.exports, zip[1]!);
      if (abs) await assertPacketZipVisible(c, abs);
      if (!abs || !(await sendLocalFile(req, res, abs, { download: true, headers: FILE_HEADERS })))
        throw new AppError('NOT_FOUND', 'No such packet', { problem: 'no-such-file' });
      return 'sent';
    }
    // only a file the hub holds as evidence: in its data folder, or (made on a hub of several
    // processes, hub-files.ts) in its store; a station's mirrored file has its own route
    const known = parseMirroredPath(rel)
      ? null
      : await c.db.selectFrom('evidence').select(['order_id', 'location']).where('path', '=', rel).executeTakeFirst();
    if (known && session.user.shops.length)
      await assertOrderInShops(c.db, known.order_id, session.user.shops, 'no-such-file');
    const download = url.searchParams.get('download') === '1';
    const opts = { download, headers: FILE_HEADERS };
    const sent = !known
      ? false
      : known.location
        ? await sendHubFile(req, res, c.media, { location: known.location, fileName: path.posix.basename(rel) }, opts)
        : await sendFromDataFolder(req, res, resolveMediaFile(c.paths.root, rel), opts);
    if (!sent) throw new AppError('NOT_FOUND', 'No such file', { problem: 'no-such-file' });
    return 'sent';
  }
  return null;
}
