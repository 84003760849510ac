import type { StationReport, StationReportAnswer } from '../../../shared/hub/protocol';
import { clockIsOff } from '../../../shared/hub/clock-skew';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';

/**
 * The hub keeps each station's last status report and measures the station's clock against
 * its own (station − hub; the request's travel time is well under the 2 min that matters).
 * A clock that goes off, or comes back, is audited once per change, not once per report.
 */
export async function receiveStationReport(
  db: Db,
  station: { id: string; name: string },
  report: StationReport,
  now = new Date(),
): Promise<StationReportAnswer> {
  const clockSkewMs = Math.round(Date.parse(report.sentAt) - now.getTime());
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom('hub_stations')
      .select('clock_skew_ms')
      .where('id', '=', station.id)
      .executeTakeFirst();
    const wasOff = clockIsOff(before?.clock_skew_ms == null ? null : Number(before.clock_skew_ms));
    await trx
      .updateTable('hub_stations')
      .set({
        status_at: now.toISOString(),
        queued: report.queued,
        queued_bytes: report.queuedBytes,
        failed: report.failed,
        last_error: report.lastError,
        free_bytes: report.freeBytes,
        clock_skew_ms: clockSkewMs,
        app_version: report.appVersion,
      })
      .where('id', '=', station.id)
      .execute();
    const isOff = clockIsOff(clockSkewMs);
    if (isOff !== wasOff)
      await appendAudit(
        trx,
        {
          actor: 'hub',
          action: isOff ? 'hub.station-clock-off' : 'hub.station-clock-ok',
          entity: 'hub_station',
          entityId: station.id,
          details: { name: station.name, clockSkewMs, stationTime: report.sentAt },
        },
        now,
      );
  });
  return { hubTime: now.toISOString(), clockSkewMs };
}
