import path from 'node:path';
import type { Selectable } from 'kysely';
import { AppError } from '../../../shared/api/result';
import type { PacketFile, PacketSummary, RequirementId } from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/id';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import type { PacketsTable } from '../db/schema';

type PacketRow = Selectable<PacketsTable>;

/** the data-folder-relative path of a file inside it (what /media and the IPC protocol serve) */
function insideData(root: string | undefined, file: string | null): string | null {
  if (!root || !file) return null;
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : null;
}

/** what the staff app fetches a hub's stored packet zip by (staff-calls-http.ts serves it from the store) */
export const storedZipMediaPath = (r: Pick<PacketRow, 'id' | 'name'>) => `packets/${r.id}/${r.name}.zip`;

const toSummary = (r: PacketRow, root?: string): PacketSummary => ({
  id: r.id,
  caseId: r.case_id,
  name: r.name,
  dir: r.dir_path,
  zip: r.zip_location ?? r.zip_path,
  zipMediaPath: r.zip_location ? storedZipMediaPath(r) : insideData(root, r.zip_path),
  fileCount: r.file_count,
  totalBytes: r.total_bytes,
  createdAt: r.created_at,
  verifiedAt: r.verified_at,
  verifyOk: r.verify_ok == null ? null : r.verify_ok === 1,
});

export async function listPackets(db: Db, caseId: Id, dataRoot?: string): Promise<PacketSummary[]> {
  const rows = await db.selectFrom('packets').selectAll().where('case_id', '=', caseId).orderBy('id', 'desc').execute();
  return rows.map((r) => toSummary(r, dataRoot));
}

export async function getPacket(
  db: Db,
  id: Id,
  dataRoot?: string,
): Promise<PacketSummary & { fingerprint: string; zipLocation: string | null }> {
  const r = await db.selectFrom('packets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', `Packet ${id} not found`, { packetId: id, problem: 'no-such-packet' });
  return { ...toSummary(r, dataRoot), fingerprint: r.fingerprint, zipLocation: r.zip_location };
}

/** The packet last written to this folder, if any (re-export targets the same folder). */
export async function packetAt(db: Db, dir: string): Promise<(PacketSummary & { fingerprint: string }) | null> {
  const r = await db
    .selectFrom('packets')
    .selectAll()
    .where('dir_path', '=', dir)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { ...toSummary(r), fingerprint: r.fingerprint } : null;
}

export async function packetFiles(db: Db, packetId: Id): Promise<PacketFile[]> {
  const rows = await db
    .selectFrom('packet_files')
    .selectAll()
    .where('packet_id', '=', packetId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind as PacketFile['kind'],
    requirement: r.requirement as RequirementId | null,
    evidenceId: r.evidence_id,
    sha256: r.sha256,
    bytes: r.bytes,
    durationMs: r.duration_ms,
  }));
}

/**
 * Records a written packet. A re-export into the same folder replaces that folder's
 * row (one row per packet folder), so the database always describes what is on disk.
 * Call inside the transaction that also records the export in the audit log.
 */
export async function savePacket(
  db: Db,
  p: {
    caseId: Id;
    name: string;
    dir: string;
    zip: string | null;
    /** kept in a hub's store: the zip's location there (and `dir` is the same) */
    zipLocation?: string | null;
    fingerprint: string;
    manifestSha256: string;
    language: string;
    createdAt: string;
  },
  files: PacketFile[],
): Promise<Id> {
  const old = await db.selectFrom('packets').select('id').where('dir_path', '=', p.dir).execute();
  if (old.length) {
    const ids = old.map((o) => o.id);
    await db.deleteFrom('packet_files').where('packet_id', 'in', ids).execute();
    await db.deleteFrom('packets').where('id', 'in', ids).execute();
  }
  const id = newId();
  await db
    .insertInto('packets')
    .values({
      id,
      case_id: p.caseId,
      name: p.name,
      dir_path: p.dir,
      zip_path: p.zip,
      zip_location: p.zipLocation ?? null,
      fingerprint: p.fingerprint,
      manifest_sha256: p.manifestSha256,
      file_count: files.length,
      total_bytes: files.reduce((s, f) => s + f.bytes, 0),
      language: p.language,
      created_at: p.createdAt,
      verified_at: p.createdAt,
      verify_ok: 1,
      station_id: db.stationId,
      legacy_id: null,
    })
    .execute();
  if (files.length)
    await db
      .insertInto('packet_files')
      .values(
        files.map((f) => ({
          packet_id: id,
          name: f.name,
          kind: f.kind,
          requirement: f.requirement,
          evidence_id: f.evidenceId,
          sha256: f.sha256,
          bytes: f.bytes,
          duration_ms: f.durationMs,
        })),
      )
      .execute();
  return id;
}

export async function setPacketZip(db: Db, packetId: Id, zip: string | null): Promise<void> {
  await db.updateTable('packets').set({ zip_path: zip }).where('id', '=', packetId).execute();
}

export async function recordVerification(db: Db, packetId: Id, ok: boolean, at: string): Promise<void> {
  await db
    .updateTable('packets')
    .set({ verified_at: at, verify_ok: ok ? 1 : 0 })
    .where('id', '=', packetId)
    .execute();
}
