import { sql } from 'kysely';
import type { StorageStatus } from '../../../shared/api/calls/storage';
import type { Handlers } from '../../../shared/api/contract';
import { fail } from '../../../shared/api/result';
import type { RecordingService } from '../capture/recording-service';
import { RecordingWatchdog, type WatchdogOptions } from '../capture/recording-watchdog';
import type { CoreContext } from '../context';
import type { Dispatch } from '../dispatch';
import { diskSpace } from './disk-space';
import { DataFolderMover, type Relocator } from './move';
import { runRetention } from './retention';
import { startRetentionJob, startRetentionSchedule } from './retention-schedule';

type StorageCall = 'storage.status' | 'storage.retentionPreview' | 'storage.retentionRun' | 'storage.move';

/** Calls that still pass while a data-folder move switches over: reads, and what lets a running recording finish. */
const PASS_DURING_SWITCH =
  /^(capture\.(chunk|stop|mark)|jobs\.(list|cancel)|app\.info)$|\.(get|list|search|recent|status|preview|forEvidence|forOrder)$/;

export interface StorageApiOptions {
  watchdog?: WatchdogOptions;
  retention?: { firstAfterMs?: number; everyMs?: number };
}

/**
 * Storage management wired into a core: the free-space view, retention (dry run, run,
 * daily schedule), the data-folder move and its write gate, and the watchdog that
 * finalizes recordings whose page went away.
 */
export function createStorageApi(ctx: CoreContext, recordings: RecordingService, opts: StorageApiOptions = {}) {
  // a recording open or still finalizing (recordings.busy), and any call under way through
  // the gate (a photo or import saving a row): the move waits for all of them
  let callsInFlight = 0;
  const mover = new DataFolderMover(ctx, () => recordings.busy() || callsInFlight > 0);
  const watchdog = new RecordingWatchdog(ctx, recordings, opts.watchdog);
  let stopSchedule = () => undefined as void;
  const actor = () => ctx.settings.get().operator || 'staff';

  const status = async (): Promise<StorageStatus> => {
    const s = diskSpace(ctx.paths.media);
    const reserveBytes = ctx.settings.get().storage.reserveBytes;
    const totals = (table: 'evidence' | 'purged_evidence') =>
      ctx.db
        .selectFrom(table)
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.coalesce(eb.fn.sum<number>('bytes'), sql.lit(0)).as('b'),
        ])
        .executeTakeFirstOrThrow();
    const [ev, pu] = await Promise.all([totals('evidence'), totals('purged_evidence')]);
    return {
      dataDir: ctx.paths.root,
      freeBytes: s.freeBytes,
      totalBytes: s.totalBytes,
      reserveBytes,
      lowDisk: s.freeBytes !== null && s.freeBytes < reserveBytes,
      evidenceBytes: Number(ev.b),
      evidenceCount: Number(ev.n),
      purgedCount: Number(pu.n),
      purgedBytes: Number(pu.b),
      moving: mover.moving,
    };
  };

  const handlers: Pick<Handlers, StorageCall> = {
    'storage.status': status,
    'storage.retentionPreview': () => runRetention(ctx, { dryRun: true }),
    'storage.retentionRun': () => startRetentionJob(ctx, actor()),
    'storage.move': (i) => mover.start(i.target, actor()),
  };

  return {
    handlers,
    status,
    mover,
    watchdog,
    /** wraps the dispatch: while a move switches over, changes wait (BUSY) */
    gate(dispatch: Dispatch): Dispatch {
      return (name, input) => {
        if (mover.gateClosed && !PASS_DURING_SWITCH.test(name))
          return Promise.resolve(
            fail('BUSY', 'The data folder is being moved; try again in a moment', { reason: 'moving' }),
          );
        // the move itself is started through here: it must not wait for its own call
        if (name === 'storage.move') return dispatch(name, input);
        callsInFlight++;
        return dispatch(name, input).finally(() => callsInFlight--);
      };
    },
    setRelocator(fn: Relocator) {
      mover.relocator = fn;
    },
    /** the app's background work (not for one-shot CLI commands) */
    startBackground() {
      watchdog.start();
      stopSchedule = startRetentionSchedule(ctx, opts.retention);
    },
    stop() {
      watchdog.stop();
      stopSchedule();
    },
  };
}
