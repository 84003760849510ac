import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { cameraPartsOfOrder, insertCameraPart } from '../../electron/core/cameras/camera-parts-repo';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration 006 (camera parts)', () => {
  it('records which camera wrote a recording and the gap before each part', () => {
    const db = openDatabase(path.join(tmp(), 'proofpack.db'));
    db.prepare(
      "INSERT INTO orders (order_no, source, created_at, updated_at) VALUES ('A1', 'scan', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
    ).run();
    const orderId = (db.prepare('SELECT id FROM orders').get() as { id: number }).id;
    for (const [id, at] of [
      ['r1', '2026-11-20T10:00:00.000Z'],
      ['r2', '2026-11-20T10:00:09.000Z'],
    ])
      db.prepare(
        `INSERT INTO recordings (id, order_id, scan_code, mode, mime, part_path, station, operator, started_at, status)
         VALUES (?, ?, 'A1', 'outbound', 'video/mp2t', 'x', '', '', ?, 'recording')`,
      ).run(id, orderId, at);
    const base = { cameraId: 'c1', cameraName: 'Overhead', role: 'main' as const, takeId: 't1', lostAt: null };
    insertCameraPart(db, { ...base, recordingId: 'r1', partNo: 1, gapMs: null });
    insertCameraPart(db, { ...base, recordingId: 'r2', partNo: 2, gapMs: 4000, lostAt: '2026-11-20T10:00:05.000Z' });
    expect(cameraPartsOfOrder(db, orderId).map((p) => [p.partNo, p.gapMs])).toEqual([
      [1, null],
      [2, 4000],
    ]);
    // a negative gap or an unknown role is refused by the schema
    expect(() => insertCameraPart(db, { ...base, recordingId: 'r1', partNo: 3, gapMs: -1 })).toThrow();
    // the title card length is set when the part is saved; a negative one is refused
    db.prepare("UPDATE camera_parts SET card_ms = 1500 WHERE recording_id = 'r1'").run();
    expect(cameraPartsOfOrder(db, orderId).map((p) => p.cardMs)).toEqual([1500, null]);
    expect(() => db.prepare("UPDATE camera_parts SET card_ms = -1 WHERE recording_id = 'r2'").run()).toThrow();
    db.close();
  });
});
