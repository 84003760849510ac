/**
 * Tells a barcode scanner from a person typing. A USB scanner is a keyboard that types
 * a whole code in a burst (a few ms per key) and usually presses Enter; a person types
 * 100+ ms per key. Pure: the caller feeds keys with their timestamps and calls `tick`
 * from a timer so scanners that send no Enter are finished by a short pause.
 */
export interface DetectorOptions {
  maxInterKeyMs: number;
  minLength: number;
  endPauseMs: number;
}

export type DetectorOutput = { kind: 'scan'; code: string } | null;

export class ScannerDetector {
  private buffer = '';
  private lastAt = -Infinity;
  private firstAt = 0;

  constructor(private opts: DetectorOptions) {}

  setOptions(opts: DetectorOptions) {
    this.opts = opts;
  }

  /**
   * Feed one key (KeyboardEvent.key) pressed at time `at` (ms). Returns a scan when the
   * key completes one. `consumed` says whether the key belongs to a burst in progress,
   * so the UI can keep it out of a focused text box.
   */
  feed(key: string, at: number): { output: DetectorOutput; consumed: boolean } {
    const gap = at - this.lastAt;
    if (key === 'Enter') {
      const output = this.finish(gap);
      return { output, consumed: output !== null };
    }
    if (key.length !== 1) return { output: null, consumed: false };
    // one slow gap (a busy PC, a USB hiccup) does not break a burst; a human pause does
    if (gap > this.opts.maxInterKeyMs * 3) {
      this.buffer = '';
      this.firstAt = at;
    }
    this.buffer += key;
    this.lastAt = at;
    return { output: null, consumed: this.buffer.length >= 2 };
  }

  /** Call periodically: ends an Enter-less scan after a pause. */
  tick(now: number): DetectorOutput {
    if (this.buffer.length === 0 || now - this.lastAt < this.opts.endPauseMs) return null;
    return this.finish(now - this.lastAt);
  }

  private finish(gap: number): DetectorOutput {
    const code = this.buffer;
    const keys = code.length;
    const span = this.lastAt - this.firstAt;
    this.buffer = '';
    this.lastAt = -Infinity;
    const enterInTime = gap <= Math.max(this.opts.endPauseMs, this.opts.maxInterKeyMs * 3);
    // a burst of single keys: the average gap must be scanner-fast as well as each gap
    const avgGap = keys > 1 ? span / (keys - 1) : 0;
    if (keys >= this.opts.minLength && enterInTime && avgGap <= this.opts.maxInterKeyMs) {
      return { kind: 'scan', code };
    }
    return null;
  }
}
