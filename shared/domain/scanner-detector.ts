/**
 * Tells a barcode scanner from a person typing. A USB scanner is a keyboard that types
 * a whole code in a burst (a few ms per key) and usually presses Enter; a person types
 * 100+ ms per key. Pure: the caller feeds keys with their timestamps and calls `tick`
 * from a timer so scanners that send no Enter are finished by a short pause.
 *
 * The decision uses the median gap of the burst, not the largest: a busy PC can stall
 * one key event for a few hundred ms, and that must not cut the code.
 */
export interface DetectorOptions {
  maxInterKeyMs: number;
  minLength: number;
  endPauseMs: number;
}

export type DetectorOutput = { kind: 'scan'; code: string } | null;

/** a pause this long always separates two codes, whatever the scanner */
const BURST_BREAK_MS = 1000;
const MAX_KEYS = 256;

export class ScannerDetector {
  private keys: { ch: string; at: number }[] = [];
  /** once a scan ended with Enter, pauses no longer end codes (that scanner sends Enter) */
  private sawEnter = false;

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
    if (key === 'Enter') {
      const output = this.finish();
      if (output) this.sawEnter = true;
      return { output, consumed: output !== null };
    }
    if (key.length !== 1) return { output: null, consumed: false };
    const last = this.keys[this.keys.length - 1];
    if (last && at - last.at > BURST_BREAK_MS) this.keys = [];
    this.keys.push({ ch: key, at });
    if (this.keys.length > MAX_KEYS) this.keys.shift();
    const fast = !!last && at - last.at <= this.opts.maxInterKeyMs;
    return { output: null, consumed: fast && this.keys.length >= 2 };
  }

  /** Call periodically: ends an Enter-less scan after a pause. */
  tick(now: number): DetectorOutput {
    const last = this.keys[this.keys.length - 1];
    if (!last || this.sawEnter || now - last.at < this.opts.endPauseMs) return null;
    return this.finish();
  }

  private finish(): DetectorOutput {
    const keys = this.keys;
    this.keys = [];
    if (keys.length < this.opts.minLength) return null;
    const gaps = keys
      .slice(1)
      .map((k, i) => k.at - keys[i].at)
      .sort((a, b) => a - b);
    const median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
    if (median > this.opts.maxInterKeyMs) return null;
    return { kind: 'scan', code: keys.map((k) => k.ch).join('') };
  }
}
