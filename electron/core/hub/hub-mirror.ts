import path from 'node:path';
import type { StationRecord } from '../../../shared/hub/records';
import type { Db } from '../db/db';
import { newId } from '../db/ids';

/**
 * The hub's mirror (issue 12): each station's verified file becomes a row of the hub's own
 * `orders` and `evidence` tables, with the station's check and findings, so cases,
 * packets, coverage and the dashboard — the station's own core services — run on the hub
 * over every station unchanged. The evidence keeps the station's id (UUIDv7: unique across
 * stations) and names its bytes by `location` in the hub's store; its `path` is only a
 * name (`hub/<station>/<evidence>/<file>`) the UI turns into the staff media route.
 */
export const MIRROR_PREFIX = 'hub/';

export const mirroredPath = (stationId: string, evidenceId: string, fileName: string) =>
  `${MIRROR_PREFIX}${stationId}/${evidenceId}/${path.basename(fileName)}`;

/** `hub/<station>/<evidence>/<file>` → its parts; null for any other path */
export function parseMirroredPath(rel: string): { stationId: string; evidenceId: string } | null {
  const m = /^hub\/([^/]+)\/([^/]+)\/[^/]+$/.exec(rel);
  return m ? { stationId: m[1]!, evidenceId: m[2]! } : null;
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.heic': 'image/heic',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
};

/**
 * Makes (or brings up to date) the mirror of one verified file: call inside the
 * transaction that verifies it. Orders merge by order number, the shop coming from any
 * station that knows it. A file not (yet) verified is left alone.
 */
export async function mirrorHubFile(trx: Db, stationId: string, evidenceId: string, now: Date): Promise<boolean> {
  const f = await trx
    .selectFrom('hub_evidence')
    .selectAll()
    .where('station_id', '=', stationId)
    .where('evidence_id', '=', evidenceId)
    .executeTakeFirst();
  if (!f?.verified_at || !f.location) return false;
  const at = now.toISOString();
  const shop = await trx
    .selectFrom('hub_orders')
    .select('shop')
    .where('order_no', '=', f.order_no)
    .where('shop', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  let order = await trx
    .selectFrom('orders')
    .select(['id', 'tracking_no', 'shop'])
    .where('order_no', '=', f.order_no)
    .executeTakeFirst();
  if (!order) {
    order = { id: newId(), tracking_no: f.tracking_no, shop: shop?.shop ?? null };
    await trx
      .insertInto('orders')
      .values({
        id: order.id,
        order_no: f.order_no,
        tracking_no: f.tracking_no,
        source: 'scan',
        created_at: f.captured_at,
        updated_at: at,
        legacy_id: null,
        provisional_sku: null,
        linked_order_id: null,
        shop: order.shop,
        station_id: trx.stationId,
      })
      .execute();
  } else if ((!order.tracking_no && f.tracking_no) || (!order.shop && shop?.shop))
    await trx
      .updateTable('orders')
      .set({ tracking_no: order.tracking_no ?? f.tracking_no, shop: order.shop ?? shop?.shop ?? null, updated_at: at })
      .where('id', '=', order.id)
      .execute();
  const parent = f.parent_id
    ? await trx.selectFrom('evidence').select('id').where('id', '=', f.parent_id).executeTakeFirst()
    : undefined;
  const row = {
    order_id: order.id,
    kind: f.kind as 'video' | 'photo' | 'document',
    origin: f.origin ?? (f.kind === 'video' && f.mode ? 'recorded' : 'imported'),
    mode: f.mode as 'outbound' | 'return' | null,
    path: mirroredPath(stationId, evidenceId, f.file_name),
    original_name: f.file_name,
    mime: f.mime ?? MIME[path.extname(f.file_name).toLowerCase()] ?? null,
    sha256: f.sha256,
    bytes: Number(f.bytes),
    duration_ms: f.duration_ms,
    width: f.width,
    height: f.height,
    station: f.station_name,
    operator: f.operator,
    captured_at: f.captured_at,
    parent_id: parent?.id ?? null,
    location: f.location,
  } as const;
  const known = await trx.selectFrom('evidence').select('id').where('id', '=', evidenceId).executeTakeFirst();
  if (known) await trx.updateTable('evidence').set(row).where('id', '=', evidenceId).execute();
  else
    await trx
      .insertInto('evidence')
      .values({
        id: evidenceId,
        ...row,
        check_state: 'pending',
        created_at: at,
        station_id: stationId,
        legacy_id: null,
      })
      .execute();
  // a fixed file verified before the one it was made from: linked now
  const children = await trx
    .selectFrom('hub_evidence')
    .select('evidence_id')
    .where('station_id', '=', stationId)
    .where('parent_id', '=', evidenceId)
    .execute();
  if (children.length)
    await trx
      .updateTable('evidence')
      .set({ parent_id: evidenceId })
      .where(
        'id',
        'in',
        children.map((c) => c.evidence_id),
      )
      .execute();
  const checks = await trx
    .selectFrom('hub_station_records')
    .select(['row_key', 'data'])
    .where('station_id', '=', stationId)
    .where('tbl', '=', 'evidence_checks')
    .where('parent_key', '=', evidenceId)
    .where('data', 'is not', null)
    .execute();
  await takeChecks(
    trx,
    stationId,
    checks.map((c) => ({
      table: 'evidence_checks',
      key: c.row_key,
      row: JSON.parse(c.data!) as Record<string, unknown>,
    })),
  );
  return true;
}

interface StationCheckRow {
  evidence_id: string;
  profile_id: string;
  profile_version: number;
  state: 'ok' | 'warn' | 'block';
  facts: string;
  expected_code: string | null;
  checked_at: string;
  took_ms: number;
}
interface StationFindingRow {
  check_id: string;
  code: string;
  severity: 'block' | 'warn' | 'info';
  fix: string | null;
  params: string;
}

/** What a synced row belongs to: a check's evidence, a finding's check (found whichever arrives first). */
export function parentKeyOf(r: StationRecord): string | null {
  if (!r.row) return null;
  const key = r.table === 'evidence_checks' ? r.row.evidence_id : r.table === 'check_findings' ? r.row.check_id : null;
  return typeof key === 'string' ? key : null;
}

/**
 * A station's checks and findings as they arrive (inside the transaction that stores them):
 * those of a mirrored file replace the hub's copy; a check of a file not verified yet waits
 * in `hub_station_records` until mirrorHubFile takes it.
 */
export async function mirrorStationChecks(trx: Db, stationId: string, records: StationRecord[]): Promise<void> {
  const relevant = records.filter((r) => r.table === 'evidence_checks' || r.table === 'check_findings');
  if (relevant.length) await takeChecks(trx, stationId, relevant);
}

async function takeChecks(trx: Db, stationId: string, records: StationRecord[]): Promise<void> {
  const gone = records.filter((r) => r.row === null);
  const goneChecks = gone.filter((r) => r.table === 'evidence_checks').map((r) => r.key);
  const goneFindings = gone.filter((r) => r.table === 'check_findings').map((r) => r.key);
  if (goneFindings.length) await trx.deleteFrom('check_findings').where('id', 'in', goneFindings).execute();
  if (goneChecks.length) {
    await trx.deleteFrom('check_findings').where('check_id', 'in', goneChecks).execute();
    await trx.deleteFrom('evidence_checks').where('id', 'in', goneChecks).execute();
  }
  const touched = new Set<string>();
  for (const r of records.filter((x) => x.table === 'evidence_checks' && x.row)) {
    const c = r.row as unknown as StationCheckRow;
    const mirrored = await trx
      .selectFrom('evidence')
      .select('id')
      .where('id', '=', c.evidence_id)
      .where('location', 'is not', null)
      .executeTakeFirst();
    if (!mirrored) continue;
    const row = {
      evidence_id: c.evidence_id,
      profile_id: c.profile_id,
      profile_version: c.profile_version,
      state: c.state,
      facts: c.facts,
      expected_code: c.expected_code,
      checked_at: c.checked_at,
      took_ms: c.took_ms,
      station_id: stationId,
    };
    const known = await trx.selectFrom('evidence_checks').select('id').where('id', '=', r.key).executeTakeFirst();
    if (known) await trx.updateTable('evidence_checks').set(row).where('id', '=', r.key).execute();
    else
      await trx
        .insertInto('evidence_checks')
        .values({ id: r.key, ...row })
        .execute();
    // the station keeps one check per file: an older one the hub still holds is replaced
    const older = trx
      .selectFrom('evidence_checks')
      .select('id')
      .where('evidence_id', '=', c.evidence_id)
      .where('id', '!=', r.key)
      .where('checked_at', '<=', c.checked_at);
    await trx.deleteFrom('check_findings').where('check_id', 'in', older).execute();
    await trx
      .deleteFrom('evidence_checks')
      .where('evidence_id', '=', c.evidence_id)
      .where('id', '!=', r.key)
      .where('checked_at', '<=', c.checked_at)
      .execute();
    const findings = await trx
      .selectFrom('hub_station_records')
      .select(['row_key', 'data'])
      .where('station_id', '=', stationId)
      .where('tbl', '=', 'check_findings')
      .where('parent_key', '=', r.key)
      .where('data', 'is not', null)
      .execute();
    await putFindings(
      trx,
      stationId,
      findings.map((f) => ({ key: f.row_key, row: JSON.parse(f.data!) as StationFindingRow })),
    );
    touched.add(c.evidence_id);
  }
  const findings = records.filter((x) => x.table === 'check_findings' && x.row);
  if (findings.length) {
    const held = new Set(
      (
        await trx
          .selectFrom('evidence_checks')
          .select('id')
          .where(
            'id',
            'in',
            findings.map((f) => (f.row as unknown as StationFindingRow).check_id),
          )
          .execute()
      ).map((c) => c.id),
    );
    await putFindings(
      trx,
      stationId,
      findings
        .map((f) => ({ key: f.key, row: f.row as unknown as StationFindingRow }))
        .filter((f) => held.has(f.row.check_id)),
    );
  }
  for (const id of touched) {
    const latest = await trx
      .selectFrom('evidence_checks')
      .select('state')
      .where('evidence_id', '=', id)
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    await trx
      .updateTable('evidence')
      .set({ check_state: latest?.state ?? 'pending' })
      .where('id', '=', id)
      .execute();
  }
}

async function putFindings(trx: Db, stationId: string, rows: { key: string; row: StationFindingRow }[]) {
  for (const { key, row } of rows) {
    const values = {
      check_id: row.check_id,
      code: row.code,
      severity: row.severity,
      fix: row.fix,
      params: row.params,
      station_id: stationId,
    };
    const known = await trx.selectFrom('check_findings').select('id').where('id', '=', key).executeTakeFirst();
    if (known) await trx.updateTable('check_findings').set(values).where('id', '=', key).execute();
    else
      await trx
        .insertInto('check_findings')
        .values({ id: key, ...values })
        .execute();
  }
}

/** A shop a station learnt after its files arrived fills the hub's order (never overwrites one). */
export async function mirrorOrderShops(trx: Db, records: StationRecord[]): Promise<void> {
  for (const r of records) {
    const shop = r.table === 'orders' && r.row && typeof r.row.shop === 'string' ? r.row.shop : null;
    if (!shop || typeof r.row?.order_no !== 'string') continue;
    await trx
      .updateTable('orders')
      .set({ shop })
      .where('order_no', '=', r.row.order_no)
      .where('shop', 'is', null)
      .execute();
  }
}

/**
 * Files verified before this version (or while a mirror step failed) are mirrored when the
 * hub starts, in the background and a few at a time, so a large hub answers at once.
 */
export async function catchUpHubMirror(
  db: Db,
  inTrx: <T>(fn: (trx: Db) => Promise<T>) => Promise<T>,
  signal: AbortSignal,
  now: () => Date,
): Promise<number> {
  let done = 0;
  for (;;) {
    if (signal.aborted) return done;
    const missing = await db
      .selectFrom('hub_evidence as h')
      .leftJoin('evidence as e', 'e.id', 'h.evidence_id')
      .select(['h.station_id', 'h.evidence_id'])
      .where('h.verified_at', 'is not', null)
      .where('h.location', 'is not', null)
      .where('e.id', 'is', null)
      .orderBy('h.verified_at')
      .orderBy('h.evidence_id')
      .limit(50)
      .execute();
    if (!missing.length) return done;
    for (const m of missing) {
      if (signal.aborted) return done;
      await inTrx((trx) => mirrorHubFile(trx, m.station_id, m.evidence_id, now()));
      done++;
    }
  }
}
