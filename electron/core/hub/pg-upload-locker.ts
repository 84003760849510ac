import { setTimeout as sleep } from 'node:timers/promises';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';
import pg from 'pg';

/** The first key of every upload lock (pg advisory locks take two int4 keys): "tu". */
const LOCK_CLASS = 0x7475;
/** Where a request that wants an upload asks its holder, in any hub process, to let go. */
const CHANNEL = 'proofpack_tus_release';
const RETRY_MS = 100;

/**
 * tus upload locks shared by every hub process on one PostgreSQL (scale-out): two processes
 * behind a load balancer must never write the same upload at once. None of the maintained
 * lockers does this (@tus/server ships a memory locker; Redis ones need Redis), so this is
 * written here, small, on PostgreSQL's own tools:
 * - a lock is a session advisory lock `(LOCK_CLASS, hashtext(upload id))` held on a pooled
 *   connection of its own; a process that dies drops its connections, and PostgreSQL frees
 *   its locks at once (no lease to expire);
 * - a request that finds the upload locked NOTIFYs the channel with the upload's id; the
 *   process holding it calls tus's `requestRelease` (the older request ends, as with the
 *   memory locker), and the newcomer retries every 100 ms until it gets the lock or its
 *   time is up.
 */
export class PgUploadLocker implements Locker {
  readonly pool: pg.Pool;
  /** the uploads this process holds, and how to ask each holding request to let go */
  readonly held = new Map<string, RequestRelease>();
  /** the connections holding those locks (closing the hub drops them, freeing the locks) */
  readonly holding = new Set<pg.PoolClient>();
  private listener: Promise<pg.Client> | null = null;

  constructor(
    private readonly url: string,
    readonly timeoutMs = 30_000,
  ) {
    // one connection per upload in flight, apart from the hub's own pool of queries
    this.pool = new pg.Pool({ connectionString: url, max: 40, connectionTimeoutMillis: timeoutMs });
    this.pool.on('error', (e) => console.error(`[proofpack] upload lock connection closed: ${e.message}`));
  }

  newLock(id: string): Lock {
    return new PgUploadLock(id, this);
  }

  /** LISTEN once per process: release requests for uploads held here. */
  listen(): Promise<pg.Client> {
    this.listener ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', (e) => {
        console.error(`[proofpack] upload lock listener closed: ${e.message}`);
        this.listener = null; // the next lock listens again
      });
      client.on('notification', (n) => {
        const release = n.payload ? this.held.get(n.payload) : undefined;
        if (release) void Promise.resolve(release()).catch(() => undefined);
      });
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      return client;
    })().catch((e: unknown) => {
      this.listener = null;
      throw e;
    });
    return this.listener;
  }

  async close(): Promise<void> {
    const listener = await this.listener?.catch(() => null);
    this.listener = null;
    await listener?.end().catch(() => undefined);
    // uploads still locked (a request cut by the shutdown): their connections end, and
    // PostgreSQL frees the locks with them, as when the process dies
    for (const client of this.holding) client.release(true);
    this.holding.clear();
    this.held.clear();
    await this.pool.end().catch(() => undefined);
  }
}

class PgUploadLock implements Lock {
  private client: pg.PoolClient | null = null;

  constructor(
    private readonly id: string,
    private readonly locker: PgUploadLocker,
  ) {}

  async lock(stop: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.locker.listen();
    const client = await this.locker.pool.connect();
    const deadline = Date.now() + this.locker.timeoutMs;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
          LOCK_CLASS,
          this.id,
        ]);
        if (rows[0]?.ok) {
          this.client = client;
          this.locker.holding.add(client);
          this.locker.held.set(this.id, requestRelease);
          return;
        }
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, this.id]);
        if (stop.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await sleep(RETRY_MS, undefined, { signal: stop }).catch(() => undefined);
      }
    } catch (e) {
      client.release();
      throw e;
    }
  }

  async unlock(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('Releasing an unlocked lock!');
    this.client = null;
    this.locker.held.delete(this.id);
    if (!this.locker.holding.delete(client)) return; // the locker was closed: the lock went with it
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.id]);
      client.release();
    } catch (e) {
      // a connection that broke has lost its locks with it: drop it from the pool
      client.release(e as Error);
    }
  }
}
