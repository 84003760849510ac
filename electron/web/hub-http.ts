import type { IncomingMessage, ServerResponse } from 'node:http';
import { HUB_PREFIX, pairRequest, type HelloResponse, type PairResponse } from '../../shared/hub/protocol';
import { isAppError } from '../../shared/api/result';
import type { Db } from '../core/db/db';
import { authenticateStation, redeemPairingCode } from '../core/hub/hub-stations';
import { readBodyLimited } from './read-body';
import { bearerOf, replyJson } from './http-json';

const STATUS: Record<string, number> = { INVALID_INPUT: 400, UNAUTHORIZED: 401, NOT_FOUND: 404, CONFLICT: 409 };

export const isHubPath = (pathname: string) => pathname.startsWith(`${HUB_PREFIX}/`);

/**
 * `/hub/v1/*`: what stations call. `pair` is the only call without a credential (it is
 * how a station gets one, with a one-time code); everything else needs
 * `Authorization: Bearer <station credential>`.
 */
export function hubHttpHandler(getDb: () => Db, clock: () => Date = () => new Date()) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method} ${url.pathname.slice(HUB_PREFIX.length)}`;
    try {
      if (route === 'POST /pair') {
        const raw = await readBodyLimited(req, 4096);
        let json: unknown = null;
        try {
          json = raw ? JSON.parse(raw.toString('utf8')) : null;
        } catch {
          /* answered below as invalid input */
        }
        const input = pairRequest.safeParse(json);
        if (!input.success)
          return replyJson(res, 400, problem('INVALID_INPUT', 'Send {code, stationId}', 'hub-request'));
        const paired: PairResponse = await redeemPairingCode(getDb(), input.data, clock());
        return replyJson(res, 200, paired);
      }
      if (route === 'GET /hello') {
        const db = getDb();
        const station = await authenticateStation(db, bearerOf(req), clock());
        const hello: HelloResponse = { hubId: db.stationId, stationId: station.id, stationName: station.name };
        return replyJson(res, 200, hello);
      }
      return replyJson(res, 404, problem('NOT_FOUND', 'No such hub call', 'no-such-endpoint'));
    } catch (e) {
      if (!isAppError(e)) throw e;
      const details = (e.details ?? {}) as { problem?: string };
      return replyJson(res, STATUS[e.code] ?? 500, problem(e.code, e.message, details.problem));
    }
  };
}

const problem = (code: string, message: string, p?: string) => ({ error: { code, message, problem: p } });
