import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropTestDatabases, ensureTestDatabase, testDatabaseName } from '../../electron/core/db/postgres/test-database';
import { PgUploadLocker } from '../../electron/core/hub/pg-upload-locker';

const base = process.env.PROOFPACK_TEST_PG;
const open: PgUploadLocker[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});
afterAll(async () => {
  if (base) await dropTestDatabases(base, [testDatabaseName('upload-locks')]);
});
const locker = async (timeoutMs = 5_000) => {
  const l = new PgUploadLocker(await ensureTestDatabase(base!, 'upload-locks'), timeoutMs);
  open.push(l);
  return l;
};
const never = new AbortController().signal;

// two lockers on one database stand for two hub processes behind a load balancer
describe.skipIf(!base)('tus upload locks shared by hub processes (PostgreSQL advisory locks)', () => {
  it('one holder per upload across processes; a newcomer asks the holder to let go and then gets it', async () => {
    const [a, b] = [await locker(), await locker()];
    const events: string[] = [];
    const held = a.newLock('warehouse/.incoming/s1_upload');
    await held.lock(never, async () => {
      events.push('a asked to let go');
      await sleep(50);
      events.push('a lets go');
      await held.unlock();
    });
    // another upload is not held up
    const other = b.newLock('warehouse/.incoming/s1_other');
    await other.lock(never, () => undefined);
    await other.unlock();

    const wanted = b.newLock('warehouse/.incoming/s1_upload');
    await wanted.lock(never, () => undefined);
    events.push('b holds it');
    expect(events).toEqual(['a asked to let go', 'a lets go', 'b holds it']);
    await wanted.unlock();
  });

  it('a holder that never lets go makes the newcomer time out; a holder whose process died frees it at once', async () => {
    const [a, b] = [await locker(), await locker(400)];
    const stuck = a.newLock('u-stuck');
    await stuck.lock(never, () => undefined);
    await expect(b.newLock('u-stuck').lock(never, () => undefined)).rejects.toMatchObject({
      body: 'failed to acquire lock before timeout',
    });
    // the process holding it is gone: its connections close, PostgreSQL frees the lock
    await a.close();
    open.splice(open.indexOf(a), 1);
    const after = b.newLock('u-stuck');
    await after.lock(never, () => undefined);
    await after.unlock();
  });

  it('a request that gives up (its client went away) stops waiting', async () => {
    // waiting would last 10 min: only the abort can end it within the test's time
    const [a, b] = [await locker(), await locker(600_000)];
    await a.newLock('u-busy').lock(never, () => undefined);
    const stop = new AbortController();
    const waiting = b.newLock('u-busy').lock(stop.signal, () => undefined);
    setTimeout(() => stop.abort(), 200);
    await expect(waiting).rejects.toMatchObject({ body: 'failed to acquire lock before timeout' });
  });
});
