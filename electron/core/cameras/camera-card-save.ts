import type { CoreContext } from '../context';
import type { RecordingRow } from '../capture/recording-service';
import { cameraOfRecording } from './camera-parts-repo';
import { TITLE_CARD_MS, withTitleCards } from './title-card';

/**
 * At save, a network camera's part gets its title cards (the overlay a stream copy cannot
 * carry): returns the carded MPEG-TS to remux instead of the part, or null for a webcam
 * recording or a stream that cannot take a card. A failure to draw the card never costs
 * the footage: it is logged and the part is saved as it is.
 */
export async function cardedCameraPart(
  ctx: CoreContext,
  row: RecordingRow,
  partAbs: string,
): Promise<{ file: string; cardMs: number } | null> {
  if (row.mime !== 'video/mp2t') return null;
  const camera = await cameraOfRecording(ctx.db, row.id);
  if (!camera) return null;
  try {
    const file = await withTitleCards(partAbs, {
      orderNo: camera.orderNo,
      trackingNo: camera.trackingNo,
      station: row.station,
      operator: row.operator,
      cameraName: camera.cameraName,
      startedAt: new Date(row.started_at),
      lang: ctx.settings.get().language,
    });
    return file ? { file, cardMs: TITLE_CARD_MS } : null;
  } catch (e) {
    console.warn(`[proofpack] camera "${camera.cameraName}": no title card (${(e as Error).message})`);
    return null;
  }
}
