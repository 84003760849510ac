import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import type { PacketFile, PacketSummary, RequirementId } from '../../../shared/domain/cases';
import type { DB } from '../db/connection';

interface PacketRow {
  id: number;
  case_id: number;
  name: string;
  dir_path: string;
  zip_path: string | null;
  fingerprint: string;
  manifest_sha256: string;
  file_count: number;
  total_bytes: number;
  language: string;
  created_at: string;
  verified_at: string | null;
  verify_ok: number | null;
}

/** the data-folder-relative path of a file inside it (what /media and the IPC protocol serve) */
function insideData(root: string | undefined, file: string | null): string | null {
  if (!root || !file) return null;
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : null;
}

const toSummary = (r: PacketRow, root?: string): PacketSummary => ({
  id: r.id,
  caseId: r.case_id,
  name: r.name,
  dir: r.dir_path,
  zip: r.zip_path,
  zipMediaPath: insideData(root, r.zip_path),
  fileCount: r.file_count,
  totalBytes: r.total_bytes,
  createdAt: r.created_at,
  verifiedAt: r.verified_at,
  verifyOk: r.verify_ok == null ? null : r.verify_ok === 1,
});

export function listPackets(db: DB, caseId: number, dataRoot?: string): PacketSummary[] {
  return (db.prepare('SELECT * FROM packets WHERE case_id = ? ORDER BY id DESC').all(caseId) as PacketRow[]).map((r) =>
    toSummary(r, dataRoot),
  );
}

export function getPacket(db: DB, id: number, dataRoot?: string): PacketSummary & { fingerprint: string } {
  const r = db.prepare('SELECT * FROM packets WHERE id = ?').get(id) as PacketRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', `Packet ${id} not found`, { packetId: id, problem: 'no-such-packet' });
  return { ...toSummary(r, dataRoot), fingerprint: r.fingerprint };
}

/** The packet last written to this folder, if any (re-export targets the same folder). */
export function packetAt(db: DB, dir: string): (PacketSummary & { fingerprint: string }) | null {
  const r = db.prepare('SELECT * FROM packets WHERE dir_path = ? ORDER BY id DESC LIMIT 1').get(dir) as
    PacketRow | undefined;
  return r ? { ...toSummary(r), fingerprint: r.fingerprint } : null;
}

export function packetFiles(db: DB, packetId: number): PacketFile[] {
  return (
    db.prepare('SELECT * FROM packet_files WHERE packet_id = ? ORDER BY name').all(packetId) as {
      name: string;
      kind: PacketFile['kind'];
      requirement: RequirementId | null;
      evidence_id: number | null;
      sha256: string;
      bytes: number;
      duration_ms: number | null;
    }[]
  ).map((r) => ({
    name: r.name,
    kind: r.kind,
    requirement: r.requirement,
    evidenceId: r.evidence_id,
    sha256: r.sha256,
    bytes: r.bytes,
    durationMs: r.duration_ms,
  }));
}

/**
 * Records a written packet. A re-export into the same folder replaces that folder's
 * row (one row per packet folder), so the database always describes what is on disk.
 */
export function savePacket(
  db: DB,
  p: {
    caseId: number;
    name: string;
    dir: string;
    zip: string | null;
    fingerprint: string;
    manifestSha256: string;
    language: string;
    createdAt: string;
  },
  files: PacketFile[],
): number {
  const old = db.prepare('SELECT id FROM packets WHERE dir_path = ?').all(p.dir) as { id: number }[];
  for (const o of old) {
    db.prepare('DELETE FROM packet_files WHERE packet_id = ?').run(o.id);
    db.prepare('DELETE FROM packets WHERE id = ?').run(o.id);
  }
  const info = db
    .prepare(
      `INSERT INTO packets (case_id, name, dir_path, zip_path, fingerprint, manifest_sha256, file_count, total_bytes, language, created_at, verified_at, verify_ok)
       VALUES (@caseId, @name, @dir, @zip, @fingerprint, @manifestSha256, @count, @bytes, @language, @createdAt, @createdAt, 1)`,
    )
    .run({ ...p, count: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0) });
  const id = Number(info.lastInsertRowid);
  const ins = db.prepare(
    `INSERT INTO packet_files (packet_id, name, kind, requirement, evidence_id, sha256, bytes, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of files) ins.run(id, f.name, f.kind, f.requirement, f.evidenceId, f.sha256, f.bytes, f.durationMs);
  return id;
}

export function recordVerification(db: DB, packetId: number, ok: boolean, at: string): void {
  db.prepare('UPDATE packets SET verified_at = ?, verify_ok = ? WHERE id = ?').run(at, ok ? 1 : 0, packetId);
}
