import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { HUB_UPLOADS_PATH } from '../../shared/hub/protocol';
import type { Db } from '../core/db/db';
import { DB_UNAVAILABLE_MESSAGE, isDbUnavailable } from '../core/db/db-unavailable';
import { auditEvidenceMismatch, evidenceOnHub, markEvidenceVerified } from '../core/hub/hub-evidence';
import type { HubMedia } from '../core/hub/hub-media';

/** No evidence file is near this; it only stops a station from reserving an absurd upload. */
const MAX_UPLOAD_BYTES = 50 * 1024 ** 3;
/** What follows the media's id prefix: `<station uuid>_<24 hex>`. */
const UPLOAD_NAME = /^[0-9a-f-]{36}_[0-9a-f]{24}$/;

const refuse = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });
const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
const isRefusal = (err: unknown) => typeof (err as { status_code?: unknown }).status_code === 'number';

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
export function hubUploadsHandler(getDb: () => Db, media: HubMedia, clock: () => Date) {
  const recordOf = async (req: unknown, upload: Upload) => {
    const evidenceId = upload.metadata?.evidenceId ?? '';
    const row = evidenceId ? await evidenceOnHub(getDb(), stationOf(req), evidenceId) : null;
    if (!row) throw refuse(404, 'Send the evidence record before its bytes');
    return row;
  };
  const tus = new Server({
    path: HUB_UPLOADS_PATH,
    datastore: media.datastore,
    locker: new MemoryLocker(),
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
      const db = getDb();
      const row = await recordOf(req, upload);
      const got = await media.hashOf(upload.id);
      if (got !== row.sha256) {
        await media.discard(upload.id);
        await auditEvidenceMismatch(db, row, got, clock());
        throw refuse(460, 'The bytes the hub stored do not hash to the record: send the file again');
      }
      if (row.verified_at) {
        await media.discard(upload.id); // the same file sent twice: the first copy stays
        return {};
      }
      const location = await media.place(upload.id, row);
      await markEvidenceVerified(db, row, location, clock());
      return {}; // the station asks for the record's state next (the location may not fit a header)
    },
    onResponseError: (_req, err) => (isRefusal(err) ? undefined : storeFailed(media, err)),
  });
  return async (req: IncomingMessage, res: ServerResponse, station: { id: string }): Promise<void> => {
    stationOfRequest.set(req, station.id);
    await tus.handle(req, res);
  };
}

export const isUploadPath = (pathname: string) =>
  pathname === HUB_UPLOADS_PATH || pathname.startsWith(`${HUB_UPLOADS_PATH}/`);
