import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import type { HubStationInfo } from '../../../shared/hub/protocol';
import { hashToken } from '../api/api-tokens';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { newPairingCode, normalizePairingCode, PAIRING_CODE_TTL_MS } from './pairing-codes';

/** Station credentials are 256 random bits, prefixed so people and secret scanners see what they are. */
const CREDENTIAL_PREFIX = 'pps_';

const cleanName = (name: string): string => {
  const clean = name.normalize('NFKC').trim();
  if (!clean || clean.length > 64 || /\p{Cc}/u.test(clean))
    throw new AppError('INVALID_INPUT', 'A station name is 1–64 characters', { problem: 'hub-station-name' });
  return clean;
};

/** A one-time code for the station named `stationName` (hub side): printed and shown in the hub UI. */
export async function createPairingCode(
  db: Db,
  stationName: string,
  now = new Date(),
): Promise<{ code: string; expiresAt: string }> {
  const name = cleanName(stationName);
  const code = newPairingCode();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('hub_pairing_codes')
      .values({
        code_hash: hashToken(code),
        station_name: name,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
        used_by: null,
      })
      .execute();
    await appendAudit(
      trx,
      {
        actor: 'hub',
        action: 'hub.pairing-code-created',
        entity: 'hub_station',
        entityId: name,
        details: { expiresAt },
      },
      now,
    );
  });
  return { code, expiresAt };
}

export interface PairedStation {
  hubId: string;
  stationId: string;
  stationName: string;
  credential: string;
  pairedAt: string;
}

/**
 * A station presents a code and its own id; the hub answers with a fresh credential. The
 * code is spent in the same transaction, so two stations racing with one code cannot both
 * win. A station paired before (re-installed, or revoked and re-admitted by staff issuing
 * a new code) gets a new credential; its old one stops working.
 */
export async function redeemPairingCode(
  db: Db,
  input: { code: string; stationId: string },
  now = new Date(),
): Promise<PairedStation> {
  const code = normalizePairingCode(input.code);
  const refused = () =>
    new AppError('UNAUTHORIZED', 'This pairing code is wrong, used or expired: ask for a new one on the hub', {
      problem: 'hub-pairing-code',
    });
  if (!code) throw refused();
  const credential = CREDENTIAL_PREFIX + randomBytes(32).toString('base64url');
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('hub_pairing_codes')
      .selectAll()
      .where('code_hash', '=', hashToken(code))
      .executeTakeFirst();
    if (!row || row.used_at !== null || row.expires_at <= now.toISOString()) throw refused();
    const spent = await trx
      .updateTable('hub_pairing_codes')
      .set({ used_at: now.toISOString(), used_by: input.stationId })
      .where('code_hash', '=', row.code_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw refused();
    const station = {
      name: row.station_name,
      credential_hash: hashToken(credential),
      paired_at: now.toISOString(),
      revoked_at: null,
    };
    const known = await trx
      .selectFrom('hub_stations')
      .select('id')
      .where('id', '=', input.stationId)
      .executeTakeFirst();
    if (known) await trx.updateTable('hub_stations').set(station).where('id', '=', input.stationId).execute();
    else
      await trx
        .insertInto('hub_stations')
        .values({ id: input.stationId, last_seen_at: null, ...station })
        .execute();
    await appendAudit(
      trx,
      {
        actor: 'hub',
        action: known ? 'hub.station-repaired' : 'hub.station-paired',
        entity: 'hub_station',
        entityId: input.stationId,
        details: { name: row.station_name },
      },
      now,
    );
    return {
      hubId: trx.stationId,
      stationId: input.stationId,
      stationName: row.station_name,
      credential,
      pairedAt: now.toISOString(),
    };
  });
}

/** The station behind a credential, or an UNAUTHORIZED error (unknown or revoked); marks it seen. */
export async function authenticateStation(
  db: Db,
  credential: string | null,
  now = new Date(),
): Promise<{ id: string; name: string }> {
  const row = credential
    ? await db
        .selectFrom('hub_stations')
        .select(['id', 'name', 'revoked_at'])
        .where('credential_hash', '=', hashToken(credential))
        .executeTakeFirst()
    : undefined;
  if (!row || row.revoked_at !== null)
    throw new AppError(
      'UNAUTHORIZED',
      row ? 'This station was revoked on the hub: pair it again' : 'This station is not paired with the hub',
      { problem: row ? 'hub-station-revoked' : 'hub-station-unknown' },
    );
  await db.updateTable('hub_stations').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
  return { id: row.id, name: row.name };
}

/** A station that called within this is online (an idle station reports once a minute). */
export const ONLINE_WINDOW_MS = 3 * 60_000;

const num = (v: number | string | null) => (v === null ? null : Number(v));

export async function listHubStations(db: Db, now = new Date()): Promise<HubStationInfo[]> {
  const rows = await db.selectFrom('hub_stations').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    pairedAt: r.paired_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    online:
      r.revoked_at === null &&
      r.last_seen_at !== null &&
      now.getTime() - Date.parse(r.last_seen_at) <= ONLINE_WINDOW_MS,
    status:
      r.status_at === null
        ? null
        : {
            at: r.status_at,
            queued: r.queued ?? 0,
            queuedBytes: num(r.queued_bytes) ?? 0,
            failed: r.failed ?? 0,
            lastError: r.last_error,
            freeBytes: num(r.free_bytes),
            clockSkewMs: num(r.clock_skew_ms) ?? 0,
            appVersion: r.app_version,
          },
  }));
}

/** The stations called `name` whose credential still works (a name may be paired again). */
const liveStationsNamed = (db: Db, name: string) =>
  db.selectFrom('hub_stations').select('id').where('name', '=', name).where('revoked_at', 'is', null).execute();

/** Revokes every live credential of the stations with that name; the count revoked. */
export async function revokeHubStation(db: Db, stationName: string, now = new Date()): Promise<number> {
  const name = cleanName(stationName);
  return inTransaction(db, async (trx) => {
    const live = await liveStationsNamed(trx, name);
    for (const { id } of live) {
      await trx.updateTable('hub_stations').set({ revoked_at: now.toISOString() }).where('id', '=', id).execute();
      await appendAudit(
        trx,
        { actor: 'hub', action: 'hub.station-revoked', entity: 'hub_station', entityId: id, details: { name } },
        now,
      );
    }
    return live.length;
  });
}

/**
 * Renames the live station(s) called `stationName` (station names are the hub's: each
 * station takes the new one at its next report). Files already sent keep the name they
 * were recorded under. The count renamed; a name another live station has is refused.
 */
export async function renameHubStation(db: Db, stationName: string, newName: string, now = new Date()) {
  const from = cleanName(stationName);
  const to = cleanName(newName);
  if (from === to) return 0;
  return inTransaction(db, async (trx) => {
    if ((await liveStationsNamed(trx, to)).length)
      throw new AppError('CONFLICT', `Another station is already called ${to}`, {
        problem: 'hub-station-name-taken',
        name: to,
      });
    const live = await liveStationsNamed(trx, from);
    for (const { id } of live) {
      await trx.updateTable('hub_stations').set({ name: to }).where('id', '=', id).execute();
      await appendAudit(
        trx,
        { actor: 'hub', action: 'hub.station-renamed', entity: 'hub_station', entityId: id, details: { from, to } },
        now,
      );
    }
    return live.length;
  });
}
