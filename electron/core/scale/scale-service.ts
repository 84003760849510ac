import type { ScaleReading } from '../../../shared/domain/scale/frames';
import type { ScaleSettings } from '../../../shared/domain/scale/scale-settings';
import { formatGrams, type OrderWeight, type ScaleState } from '../../../shared/domain/scale/weights';
import type { Id } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { ScaleReader, type ScaleReaderStatus } from './scale-reader';
import { recordWeight } from './weights-repo';

/** readings below this are an empty platform (or drift around zero), never a parcel's weight */
const EMPTY_GRAMS = 1;

/**
 * The station's scale: one reader on the port Settings names, the current weight streamed
 * to the UI (`scale.state` events, sent when something visible changes), and the weight of
 * each running recording: the last stable reading seen while it ran is stored with the
 * order when it stops (packing: the packed weight; return: compared with it).
 */
export class ScaleService {
  private reader: ScaleReader | null = null;
  private configured: string | null = null;
  private state: ScaleState = { connection: 'off', port: '', grams: null, stable: false, badFrames: 0, error: null };
  /** running recordings → the last stable, non-empty weight seen since they started */
  private recordings = new Map<Id, number | null>();

  constructor(
    private ctx: CoreContext,
    private opts: { retryMs?: number } = {},
  ) {}

  current(): ScaleState {
    return { ...this.state };
  }

  /** (re)open the port when the scale settings changed; no port: scale off */
  async configure(settings: ScaleSettings = this.ctx.settings.get().scale): Promise<void> {
    const key = JSON.stringify(settings);
    if (key === this.configured) return;
    this.configured = key;
    await this.reader?.stop();
    this.reader = null;
    this.update({ connection: 'off', port: settings.port, grams: null, stable: false, badFrames: 0, error: null });
    if (!settings.port.trim()) return;
    this.reader = new ScaleReader({
      settings,
      retryMs: this.opts.retryMs,
      onReading: (r) => this.reading(r),
      onStatus: (s) => this.status(s),
    });
    this.reader.start();
  }

  /**
   * Only readings that arrive after the start count: the weight showing at that moment may
   * be the previous parcel's, and a continuous-output scale repeats a weight that is still
   * there many times a second anyway.
   */
  recordingStarted(id: Id): void {
    this.recordings.set(id, null);
  }

  /** stores the recording's weight with its order (null: the scale gave no stable weight) */
  async recordingStopped(id: Id, now = new Date()): Promise<OrderWeight | null> {
    const grams = this.recordings.get(id) ?? null;
    this.recordings.delete(id);
    if (grams == null) return null;
    const weight = await recordWeight(this.ctx.db, { recordingId: id, grams }, this.ctx.settings.get().scale, now);
    // an open order screen reloads and shows the weight
    this.ctx.events.emit('evidence.changed', { orderId: weight.orderId, evidenceId: null });
    if (weight.result === 'mismatch') {
      this.ctx.events.emit('notice', {
        level: 'error',
        code: 'scale.weightMismatch',
        params: { packed: formatGrams(weight.packedGrams ?? 0), returned: formatGrams(weight.grams) },
      });
    }
    return weight;
  }

  async close(): Promise<void> {
    await this.reader?.stop();
    this.reader = null;
  }

  private reading(r: ScaleReading): void {
    if (r.stable && r.grams >= EMPTY_GRAMS) for (const id of this.recordings.keys()) this.recordings.set(id, r.grams);
    this.update({ connection: 'connected', grams: r.grams, stable: r.stable, error: null });
  }

  private status(s: ScaleReaderStatus): void {
    // a lost port shows no weight: the last one may be wrong by now
    const gone = s.connection !== 'connected';
    this.update({
      connection: s.connection,
      error: s.error,
      badFrames: s.badFrames,
      ...(gone ? { grams: null, stable: false } : {}),
    });
  }

  private update(patch: Partial<ScaleState>): void {
    const next = { ...this.state, ...patch };
    const changed = (Object.keys(next) as (keyof ScaleState)[]).some((k) => next[k] !== this.state[k]);
    this.state = next;
    if (changed) this.ctx.events.emit('scale.state', this.current());
  }
}
