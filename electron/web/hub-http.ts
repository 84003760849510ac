import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Locker } from '@tus/server';
import {
  auditBatch,
  evidenceRecord,
  HUB_PREFIX,
  pairRequest,
  stationReport,
  type HelloResponse,
  type PairResponse,
} from '../../shared/hub/protocol';
import { isAppError } from '../../shared/api/result';
import type { Db } from '../core/db/db';
import { DB_UNAVAILABLE_MESSAGE, isDbUnavailable } from '../core/db/db-unavailable';
import { evidenceOnHub, receiveEvidenceRecord, stateOf } from '../core/hub/hub-evidence';
import type { HubEvidenceTable } from '../core/db/schema-hub';
import type { HubMedia } from '../core/hub/hub-media';
import { authenticateStation, redeemPairingCode } from '../core/hub/hub-stations';
import { SettingsSchema, type Settings } from '../../shared/domain/settings';
import { managedSettingsFor } from '../core/hub/hub-managed-settings';
import { receiveStationAudit } from '../core/hub/station-audit';
import { receiveStationReport } from '../core/hub/station-reports';
import { receiveStationRecords } from '../core/hub/station-records';
import { recordsBatch } from '../../shared/hub/records';
import { hubUploadsHandler, isRefusal, isUploadPath } from './hub-uploads';
import { readBodyLimited } from './read-body';
import { bearerOf, replyJson } from './http-json';

const STATUS: Record<string, number> = { INVALID_INPUT: 400, UNAUTHORIZED: 401, NOT_FOUND: 404, CONFLICT: 409 };
const EVIDENCE_ROUTE = /^\/evidence\/([0-9a-f-]{36})$/;

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBodyLimited(req, limit);
  try {
    return raw ? JSON.parse(raw.toString('utf8')) : null;
  } catch {
    return null; // answered by the caller's schema as invalid input
  }
}

export const isHubPath = (pathname: string) => pathname.startsWith(`${HUB_PREFIX}/`);

/**
 * `/hub/v1/*`: what stations call. `pair` is the only call without a credential (it is
 * how a station gets one, with a one-time code); everything else needs
 * `Authorization: Bearer <station credential>`.
 */
export function hubHttpHandler(
  getDb: () => Db,
  media: HubMedia,
  clock: () => Date = () => new Date(),
  /** the hub's own settings: the values of the groups it manages at stations */
  getSettings: () => Settings | Promise<Settings> = () => SettingsSchema.parse({}),
  /** upload locks: shared between the processes of a PostgreSQL hub */
  locker?: Locker,
  /** after each file is verified and in place */
  onVerified?: (row: HubEvidenceTable) => Promise<void>,
) {
  const uploads = hubUploadsHandler(getDb, media, clock, locker, onVerified);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method} ${url.pathname.slice(HUB_PREFIX.length)}`;
    try {
      if (route === 'POST /pair') {
        const input = pairRequest.safeParse(await readJson(req, 4096));
        if (!input.success)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Send {code, stationId}', 'hub-request'));
        const paired: PairResponse = await redeemPairingCode(getDb(), input.data, clock());
        return replyJson(res, 200, paired);
      }
      // every other call needs the station's credential
      const db = getDb();
      const station = await authenticateStation(db, bearerOf(req), clock());
      if (route === 'GET /hello') {
        const hello: HelloResponse = { hubId: db.stationId, stationId: station.id, stationName: station.name };
        return replyJson(res, 200, hello);
      }
      if (route === 'PUT /status') {
        const input = stationReport.safeParse(await readJson(req, 8 * 1024));
        if (!input.success)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Not a station status report', 'hub-request'));
        return replyJson(res, 200, await receiveStationReport(db, station, input.data, clock()));
      }
      if (route === 'GET /settings')
        return replyJson(res, 200, await managedSettingsFor(db, await getSettings(), station));
      if (route === 'PUT /audit') {
        const input = auditBatch.safeParse(await readJson(req, 40 * 1024 * 1024));
        if (!input.success)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Not a batch of audit entries', 'hub-request'));
        return replyJson(res, 200, await receiveStationAudit(db, station, input.data.entries, clock()));
      }
      if (route === 'PUT /records') {
        const input = recordsBatch.safeParse(await readJson(req, 40 * 1024 * 1024));
        if (!input.success)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Not a batch of station records', 'hub-request'));
        return replyJson(res, 200, await receiveStationRecords(db, station, input.data.records, clock()));
      }
      if (isUploadPath(url.pathname)) return await uploads.handle(req, res, station);
      const evidenceId = EVIDENCE_ROUTE.exec(url.pathname.slice(HUB_PREFIX.length))?.[1];
      if (evidenceId && req.method === 'PUT') {
        const input = evidenceRecord.safeParse(await readJson(req, 16 * 1024));
        if (!input.success || input.data.id !== evidenceId)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Not an evidence record', 'hub-request'));
        return replyJson(res, 200, await receiveEvidenceRecord(db, station, input.data, clock()));
      }
      if (evidenceId && req.method === 'GET') {
        let row = await evidenceOnHub(db, station.id, evidenceId);
        if (!row) return replyJson(res, 404, problem('NOT_FOUND', 'The hub has no such record', 'hub-no-record'));
        // ?upload=ID: the station's client saw that upload complete; check it now if it never was
        const upload = url.searchParams.get('upload');
        if (upload && !row.verified_at) {
          await uploads.finishIfComplete(station, row, upload);
          row = (await evidenceOnHub(db, station.id, evidenceId)) ?? row;
        }
        return replyJson(res, 200, stateOf(row));
      }
      return replyJson(res, 404, problem('NOT_FOUND', 'No such hub call', 'no-such-endpoint'));
    } catch (e) {
      if (isDbUnavailable(e)) {
        console.error(`[proofpack] hub database not answering: ${(e as Error).message}`);
        return replyJson(res, 503, problem('DB_UNAVAILABLE', DB_UNAVAILABLE_MESSAGE, 'hub-db-unavailable'));
      }
      if (isRefusal(e)) {
        const { status_code, body } = e as { status_code: number; body: string };
        return replyJson(res, status_code, problem('HUB_STORE', body.trim(), 'hub-store'));
      }
      if (!isAppError(e)) throw e;
      const details = (e.details ?? {}) as { problem?: string };
      return replyJson(res, STATUS[e.code] ?? 500, problem(e.code, e.message, details.problem));
    }
  };
}

const problem = (code: string, message: string, p?: string) => ({ error: { code, message, problem: p } });
