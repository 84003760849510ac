import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../electron/core/audit/audit-log';
import {
  casesPageQuery,
  getCase,
  insertCase,
  linksForCase,
  listCases,
  removeLink,
  setLink,
  updateCase,
} from '../../electron/core/cases/case-repo';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Db } from '../../electron/core/db/db';
import { inTransaction } from '../../electron/core/db/transaction';
import { getPacket, packetAt, packetFiles, savePacket } from '../../electron/core/packets/packet-repo';
import type { AppealCase } from '../../shared/domain/cases';
import type { PacketFile } from '../../shared/domain/cases';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const AT = '2026-11-24T02:00:00.000Z';

function draft(
  orderId: string,
  dueAt: string | null,
  updatedAt = AT,
): Omit<AppealCase, 'id' | 'orderNo' | 'trackingNo'> {
  return {
    orderId,
    profileId: 'pdd',
    profileVersion: '1',
    appealType: 'responsibility',
    scenario: 'other',
    status: 'draft',
    signForAt: null,
    refundAt: null,
    proofBeforeRefusal: false,
    fastRefund: null,
    freeShipping: null,
    freightKind: null,
    amountClaimedCents: null,
    orderAmountCents: null,
    amountRecoveredCents: null,
    evidenceDueAt: dueAt,
    appealDueAt: null,
    dueAt,
    statement: '',
    statementEdited: false,
    notes: '',
    createdBy: 'li',
    createdAt: AT,
    updatedAt,
  };
}

const countAudit = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`cases and packets repositories (${testEngine})`, () => {
  it('stores cases with string ids, lists them by time left, and searches by order number', async () => {
    const db = await openTestDb(tmp());
    const a = await findOrCreateOrderByNumber(db, 'A-late', null);
    const b = await findOrCreateOrderByNumber(db, 'B-none', 'SF-B');
    const c = await findOrCreateOrderByNumber(db, 'C-soon', null);
    // the same number again finds the order; a tracking number fills in its placeholder
    expect((await findOrCreateOrderByNumber(db, 'A-late', 'SF-A')).id).toBe(a.id);
    expect(await findOrCreateOrderByNumber(db, 'A-late', null)).toMatchObject({ trackingNo: 'SF-A' });
    const late = await insertCase(db, draft(a.id, '2026-11-30T00:00:00.000Z'));
    const none = await insertCase(db, draft(b.id, null));
    const soon = await insertCase(db, draft(c.id, '2026-11-20T00:00:00.000Z'));
    expect(late).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getCase(db, late)).toMatchObject({ id: late, orderId: a.id, orderNo: 'A-late', trackingNo: 'SF-A' });

    const page = await listCases(db, { filter: 'all', limit: 10, offset: 0 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.rows.map((r) => r.id)).toEqual([soon, late, none]);
    // pages split across the two parts (deadline first, then the rest)
    expect((await listCases(db, { filter: 'all', limit: 1, offset: 1 })).rows.map((r) => r.id)).toEqual([late]);
    expect((await listCases(db, { filter: 'all', limit: 5, offset: 2 })).rows.map((r) => r.id)).toEqual([none]);
    expect(await listCases(db, { filter: 'all', query: 'sf-b', limit: 10, offset: 0 })).toMatchObject({
      total: 1,
      rows: [{ id: none }],
    });
    if (testEngine === 'sqlite') {
      // the list's own query, with and without a search, reads the deadline index in order: no sort
      for (const query of ['', 'late']) {
        const q = casesPageQuery(db, 'due', { filter: 'all', query, limit: 100, offset: 0 }).compile();
        const plan = (await db.executeQuery({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` })).rows as { detail: string }[];
        const text = plan.map((r) => r.detail).join(' ');
        expect(text).toMatch(/USING (COVERING )?INDEX cases_due/);
        expect(text).not.toMatch(/TEMP B-TREE/);
      }
    }
    // % and _ match themselves
    expect((await listCases(db, { filter: 'all', query: '%', limit: 10, offset: 0 })).total).toBe(0);
    expect((await listCases(db, { filter: 'closed', limit: 10, offset: 0 })).total).toBe(0);

    // a link is upserted (excluded flips), and removed
    const evidenceId = '0190a000-0000-7000-8000-000000000001';
    await db
      .insertInto('evidence')
      .values({
        id: evidenceId,
        order_id: a.id,
        kind: 'photo',
        origin: 'imported',
        mode: null,
        path: 'media/a.jpg',
        original_name: null,
        mime: 'image/jpeg',
        sha256: 'aa',
        bytes: 1,
        duration_ms: null,
        width: null,
        height: null,
        station: '',
        operator: '',
        captured_at: AT,
        parent_id: null,
        check_state: 'ok',
        created_at: AT,
        station_id: db.stationId,
      })
      .execute();
    await setLink(db, late, 'problem-photo', evidenceId, false, AT);
    await setLink(db, late, 'problem-photo', evidenceId, true, AT);
    expect(await linksForCase(db, late)).toEqual([{ requirement: 'problem-photo', evidenceId, excluded: true }]);
    await removeLink(db, late, 'problem-photo', evidenceId);
    expect(await linksForCase(db, late)).toEqual([]);

    // a re-export into the same folder replaces its packet row and files
    const files: PacketFile[] = [
      {
        name: '01.jpg',
        kind: 'photo',
        requirement: 'problem-photo',
        evidenceId,
        sha256: 'aa',
        bytes: 1,
        durationMs: null,
      },
      {
        name: 'sum.pdf',
        kind: 'summary',
        requirement: null,
        evidenceId: null,
        sha256: 'bb',
        bytes: 2,
        durationMs: null,
      },
    ];
    const p = {
      caseId: late,
      name: 'P',
      dir: '/x/P',
      zip: null,
      fingerprint: 'f1',
      manifestSha256: 'm',
      language: 'en',
      createdAt: AT,
    };
    const first = await savePacket(db, p, files);
    const second = await savePacket(db, { ...p, fingerprint: 'f2' }, files.slice(1));
    expect(second).not.toBe(first);
    expect(await packetAt(db, '/x/P')).toMatchObject({ id: second, fingerprint: 'f2', fileCount: 1, totalBytes: 2 });
    expect(await packetFiles(db, first)).toEqual([]);
    expect((await packetFiles(db, second)).map((f) => f.name)).toEqual(['sum.pdf']);
    await expect(getPacket(db, first)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a status change and its audit entry commit together or not at all', async () => {
    const db = await openTestDb(tmp());
    const order = await findOrCreateOrderByNumber(db, 'O-1', null);
    const id = await insertCase(db, draft(order.id, null));
    const before = await countAudit(db);
    const change = (fail: boolean) =>
      inTransaction(db, async (trx) => {
        const c = await getCase(trx, id);
        await updateCase(trx, { ...c, status: 'exported' });
        await appendAudit(trx, { actor: 'li', action: 'case.status', entity: 'case', entityId: id });
        if (fail) throw new Error('disk gone');
      });
    await expect(change(true)).rejects.toThrow('disk gone');
    expect((await getCase(db, id)).status).toBe('draft');
    expect(await countAudit(db)).toBe(before);
    await change(false);
    expect((await getCase(db, id)).status).toBe('exported');
    expect(await countAudit(db)).toBe(before + 1);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });
});
