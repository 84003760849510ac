import { createCore, type Core } from '../core';

/**
 * Lets a running app follow its data folder when it is moved: the move job calls the
 * relocator after the new copy is verified and the pointer written; a new core opens on
 * the new folder (keeping the event bus and the job list the UI watches), the adapter
 * switches to it, and the old core closes. `onSwitch` is the adapter's part.
 */
export function followRelocations(core: Core, onSwitch: (next: Core) => void | Promise<void>): void {
  core.setRelocator(async (newDir) => {
    const next = await createCore({
      dataDir: newDir,
      mode: core.ctx.mode,
      // the database chosen with --db stays the same; the folder's own file moved with it
      db: core.ctx.dbChoice,
      recover: true,
      events: core.ctx.events,
      jobs: core.ctx.jobs,
    });
    followRelocations(next, onSwitch);
    await onSwitch(next);
    await core.close({ keepJobs: true });
  });
}
