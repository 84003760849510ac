import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MemoryLocker, Server, type Locker, type Upload } from '@tus/server';
import { HUB_UPLOADS_PATH } from '../../shared/hub/protocol';
import type { Db } from '../core/db/db';
import { DB_UNAVAILABLE_MESSAGE, isDbUnavailable } from '../core/db/db-unavailable';
import { auditEvidenceMismatch, evidenceOnHub, markEvidenceVerified } from '../core/hub/hub-evidence';
import type { HubEvidenceTable } from '../core/db/schema-hub';
import type { HubMedia } from '../core/hub/hub-media';

/** No evidence file is near this; it only stops a station from reserving an absurd upload. */
const MAX_UPLOAD_BYTES = 50 * 1024 ** 3;
/** What follows the media's id prefix: `<station uuid>_<24 hex>`. */
const UPLOAD_NAME = /^[0-9a-f-]{36}_[0-9a-f]{24}$/;

const refuse = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });
const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
export const isRefusal = (err: unknown) => typeof (err as { status_code?: unknown }).status_code === 'number';

/**
 * Anything tus did not decide itself is the media failing under it (S3 answering 500, a
 * NAS share gone, a full disk). The station shows this text as its sync error, so it says
 * what failed and that nothing is lost; 503 makes the station retry, then try on its next pass.
 */
function storeFailed(media: HubMedia, err: unknown) {
  if (isDbUnavailable(err)) {
    console.error(`[proofpack] hub database not answering: ${(err as Error).message}`);
    return refuse(503, DB_UNAVAILABLE_MESSAGE);
  }
  const e = err as { name?: string; code?: string; message?: string };
  const detail = e.message ?? String(err);
  const code = e.code ?? (e.name && e.name !== 'Error' ? e.name : '');
  const what = code && !detail.startsWith(code) ? `${code}: ${detail}` : detail;
  console.error(`[proofpack] hub media store failed (${media.description}): ${what}`);
  const head =
    e.code === 'ENOSPC'
      ? `The hub’s media store is full (${media.description})`
      : `The hub could not store the file in its media store (${media.description})`;
  return refuse(503, `${head}: ${what}. The station keeps it and sends it again.`);
}

/**
 * The station each request was authenticated as, keyed by Node's request: tus hands its
 * hooks a web Request built from the raw headers, which still leads back to it
 * (`runtime.node.req`). Nothing a client sends can name a station.
 */
const stationOfRequest = new WeakMap<IncomingMessage, string>();
const stationOf = (req: unknown): string => {
  const node = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  const id = node ? stationOfRequest.get(node) : undefined;
  if (!id) throw refuse(401, 'This station is not paired with the hub');
  return id;
};

/**
 * Evidence bytes over tus (resumable uploads: a cut upload continues from the hub's last
 * byte), kept by the hub's media (a folder or S3). Each upload names the evidence record
 * it carries; only the station that sent the record may create, read or continue it. When
 * the last byte lands the hub hashes what it stored: equal to the record's SHA-256, the
 * file moves into place and is verified; different, it is thrown away and audited, and
 * the station sends it again.
 */
export function hubUploadsHandler(
  getDb: () => Db,
  media: HubMedia,
  clock: () => Date,
  /** PostgreSQL hubs share upload locks between processes (pg-upload-locker.ts) */
  locker: Locker = new MemoryLocker(),
  /** after a file is verified and in place (the hub queues its thumbnail) */
  onVerified: (row: HubEvidenceTable) => Promise<void> = async () => undefined,
) {
  const recordOf = async (req: unknown, upload: Upload) => {
    const evidenceId = upload.metadata?.evidenceId ?? '';
    const row = evidenceId ? await evidenceOnHub(getDb(), stationOf(req), evidenceId) : null;
    if (!row) throw refuse(404, 'Send the evidence record before its bytes');
    return row;
  };
  const tus = new Server({
    path: HUB_UPLOADS_PATH,
    datastore: media.datastore,
    locker,
    relativeLocation: true,
    maxSize: MAX_UPLOAD_BYTES,
    disableTerminationForFinishedUploads: true,
    // S3 ids hold the prefix's slashes: they travel URL-encoded as one path segment
    generateUrl: (_req, { path, id }) => `${path}/${encodeURIComponent(id)}`,
    getFileIdFromRequest: (_req, id) =>
      id?.startsWith(media.idPrefix) && UPLOAD_NAME.test(id.slice(media.idPrefix.length)) ? id : undefined,
    namingFunction: (req) => `${media.idPrefix}${stationOf(req)}_${randomBytes(12).toString('hex')}`,
    onIncomingRequest: async (req, uploadId) => {
      if (!uploadId.startsWith(`${media.idPrefix}${stationOf(req)}_`)) throw refuse(403, 'Not this station’s upload');
    },
    onUploadCreate: async (req, upload) => {
      const row = await recordOf(req, upload);
      if (row.verified_at) throw refuse(409, 'Already verified on the hub');
      if (upload.size !== undefined && upload.size !== Number(row.bytes))
        throw refuse(400, `The record says ${row.bytes} bytes, the upload ${upload.size}`);
      // a file that cannot fit is refused before its first byte, in words (once bytes flow,
      // a full disk may cut the connection before the station can read any answer)
      const free = media.freeBytes();
      if (upload.size !== undefined && free !== null && upload.size > free)
        throw refuse(
          507,
          `The hub’s media store is full (${media.description}): ${mb(upload.size)} MB needed, ${mb(free)} MB free. ` +
            'The station keeps it and sends it again.',
        );
      return {};
    },
    onUploadFinish: async (req, upload) => {
      await finish(await recordOf(req, upload), upload.id);
      return {}; // the station asks for the record's state next (the location may not fit a header)
    },
    onResponseError: (_req, err) => (isRefusal(err) ? undefined : storeFailed(media, err)),
  });
  /**
   * The hub hashes what it stored: equal to the record's SHA-256, the file moves into place
   * and is verified; different, it is thrown away and audited, and the station sends it again.
   */
  const finish = async (row: HubEvidenceTable, uploadId: string) => {
    const db = getDb();
    const got = await media.hashOf(uploadId);
    if (got !== row.sha256) {
      await media.discard(uploadId);
      await auditEvidenceMismatch(db, row, got, clock());
      throw refuse(460, 'The bytes the hub stored do not hash to the record: send the file again');
    }
    if (row.verified_at) return media.discard(uploadId); // the same file sent twice: the first copy stays
    const location = await media.place(uploadId, row);
    await markEvidenceVerified(db, row, location, clock());
    // what follows a verified file (a thumbnail) must never fail the upload the station made
    await onVerified(row).catch((e: Error) => console.error('[proofpack] after verification', e.message));
  };
  return {
    handle: async (req: IncomingMessage, res: ServerResponse, station: { id: string }): Promise<void> => {
      stationOfRequest.set(req, station.id);
      await tus.handle(req, res);
    },
    /**
     * A station's upload whose last byte landed but whose check never finished (the hub
     * stopped, or the store failed, between the two: the station's client then sees a
     * complete upload and sends nothing more) is checked now, under the upload's lock.
     * Anything else (not this station's, not complete, gone) is left as it is.
     */
    finishIfComplete: async (station: { id: string }, row: HubEvidenceTable, uploadId: string): Promise<void> => {
      const ours = uploadId.startsWith(`${media.idPrefix}${station.id}_`);
      if (row.verified_at || !ours || !UPLOAD_NAME.test(uploadId.slice(media.idPrefix.length))) return;
      const upload = await media.datastore.getUpload(uploadId).catch(() => null);
      if (!upload || upload.size === undefined || upload.offset !== upload.size) return;
      // the same lock tus takes for the upload's own requests: never checked twice at once
      const lock = locker.newLock(uploadId);
      await lock.lock(new AbortController().signal, async () => undefined);
      try {
        const now = await evidenceOnHub(getDb(), station.id, row.evidence_id);
        if (now && !now.verified_at) await finish(now, uploadId);
      } catch (e) {
        throw isRefusal(e) ? e : storeFailed(media, e);
      } finally {
        await lock.unlock();
      }
    },
  };
}

export const isUploadPath = (pathname: string) =>
  pathname === HUB_UPLOADS_PATH || pathname.startsWith(`${HUB_UPLOADS_PATH}/`);
