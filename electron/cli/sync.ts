import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncSummary } from '../../shared/hub/protocol';
import { describeSyncError } from '../../shared/hub/sync-error-text';
import { managedSettingsApplier } from '../core/hub/apply-managed-settings';
import { syncNow } from '../core/sync/station-sync';
import { parse } from './args';
import type { Command } from './commands';
import { cliLang, cliT, waitSeconds } from './cli-support';
import { reportingErrors } from './hub';
import { withCore } from './open-core';

/** Between passes while waiting: long enough not to hammer a hub that is down. */
const WAIT_RETRY_MS = 2000;

export const syncCommand: Command = {
  summary: "Send this station's evidence to its hub now",
  usage: `Usage: proofpack sync [--data-dir DIR] [--db URL] [--wait SECONDS] [--json]

Sends every file not yet verified by the hub (resuming cut uploads) and prints
{queued, uploaded, verified, failed, lastError}. With --wait it keeps trying until nothing
is queued (exit 0) or the time is up (exit 1).`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      wait: { type: 'string' },
      json: { type: 'boolean' },
    });
    const waitSec = waitSeconds(values.wait);
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      const t = cliT(lang);
      return reportingErrors(lang, async () => {
        const deadline = Date.now() + (waitSec ?? 0) * 1000;
        const total: SyncSummary = { queued: 0, uploaded: 0, verified: 0, failed: 0, lastError: null };
        for (;;) {
          const pass = await syncNow(core.ctx.db, core.ctx.paths.root, {
            applyManaged: managedSettingsApplier(core.ctx.db, core.ctx.settings),
          });
          total.queued = pass.queued;
          total.uploaded += pass.uploaded;
          total.verified += pass.verified;
          total.failed += pass.failed;
          total.lastError = pass.queued ? pass.lastError : null;
          if (waitSec === null || pass.queued === 0 || Date.now() >= deadline) break;
          await sleep(Math.min(WAIT_RETRY_MS, Math.max(0, deadline - Date.now())));
        }
        if (values.json) console.log(JSON.stringify(total));
        else {
          console.log(t('cli.sync.summary', { ...total }));
          if (total.lastError) console.log(t('cli.sync.lastError', { error: describeSyncError(t, total.lastError) }));
        }
        if (waitSec !== null) return total.queued === 0 ? 0 : 1;
        return total.failed && total.queued ? 1 : 0;
      });
    });
  },
};
