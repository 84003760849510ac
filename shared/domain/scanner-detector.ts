/**
 * Tells a barcode scanner from a person typing. A scanner is a keyboard that types a
 * whole code in a burst and usually presses Enter; a person types 120+ ms per key. Pure:
 * the caller feeds keys with two times and calls `tick` from a timer so scanners that
 * send no Enter are finished by a pause.
 *
 * Two clocks, for two questions:
 * - "is this a scanner?" uses the key's own timestamp (KeyboardEvent.timeStamp, set when
 *   the OS got the key), so a busy page that handles the keys late cannot slow a scan down;
 * - "has the code ended?" uses when the page handled the key. On a busy station keys are
 *   handled hundreds of ms after their timestamps, and that lag must not read as a pause
 *   (it used to cut `SF1400000000007` into `SF14` and `SF140000`).
 *
 * Speed is judged by the pace (the mean of a key's gap and the gap before it), not by
 * single gaps: a Bluetooth scanner sends a few keys 0 ms apart, then pauses 30–60 ms, and
 * never two pauses in a row, so its pace stays ≤ 30 ms. The decision uses the median pace
 * of the burst, not the slowest: the OS can stall one key for a few hundred ms.
 */
export interface DetectorOptions {
  /** the slowest pace (ms per key) still taken for a scanner */
  maxInterKeyMs: number;
  minLength: number;
  /** an Enter-less code ends after the page received no key for this long */
  endPauseMs: number;
}

export type DetectorOutput = { kind: 'scan'; code: string } | null;

/** a pause this long (by the keys' timestamps) always separates two codes */
const BURST_BREAK_MS = 1000;
const MAX_KEYS = 256;

interface Key {
  ch: string;
  /** the key's timestamp */
  at: number;
  /** when the page handled it */
  receivedAt: number;
}

export class ScannerDetector {
  private keys: Key[] = [];
  /** once a scan ended with Enter, pauses no longer end codes (that scanner sends Enter) */
  private sawEnter = false;
  /** the previous tick already saw the pause: see `tick` */
  private pauseSeen = false;

  constructor(private opts: DetectorOptions) {}

  setOptions(opts: DetectorOptions) {
    this.opts = opts;
  }

  /**
   * Feed one key (KeyboardEvent.key) with its timestamp `at` and the time the page
   * handled it, `receivedAt` (performance.now(); both ms on the same clock). Returns a
   * scan when the key completes one. `consumed` says whether the key belongs to a burst
   * in progress, so the UI can keep it out of a focused text box.
   */
  feed(key: string, at: number, receivedAt = at): { output: DetectorOutput; consumed: boolean } {
    if (key === 'Enter') {
      const output = this.finish();
      if (output) this.sawEnter = true;
      return { output, consumed: output !== null };
    }
    if (key.length !== 1) return { output: null, consumed: false };
    const last = this.keys[this.keys.length - 1];
    if (last && at - last.at > BURST_BREAK_MS) this.keys = [];
    this.keys.push({ ch: key, at, receivedAt });
    this.pauseSeen = false;
    if (this.keys.length > MAX_KEYS) this.keys.shift();
    return { output: null, consumed: this.lastKeyIsFast() };
  }

  /**
   * Call periodically with performance.now(): ends an Enter-less scan after a pause. The
   * pause must be seen by two ticks in a row: a tick that runs right after the page was
   * blocked may come before keys queued behind the block, and the next tick sees them.
   * A page that handled the last key late waits at least that long too, since the key
   * after it may be just as late.
   */
  tick(now: number): DetectorOutput {
    const last = this.keys[this.keys.length - 1];
    if (!last || this.sawEnter) return null;
    const lag = Math.min(Math.max(last.receivedAt - last.at, 0), BURST_BREAK_MS);
    if (now - last.receivedAt < Math.max(this.opts.endPauseMs, lag)) return null;
    if (!this.pauseSeen) {
      this.pauseSeen = true;
      return null;
    }
    return this.finish();
  }

  /**
   * Whether the key just fed keeps up a scanner's pace. With one gap to go on, it must be
   * twice as fast: a person's two first keys can roll within a few tens of ms, and a key
   * kept out of the text box is a key lost if the burst turns out to be typing.
   */
  private lastKeyIsFast(): boolean {
    const n = this.keys.length;
    if (n < 2) return false;
    if (n === 2) return this.keys[1].at - this.keys[0].at <= this.opts.maxInterKeyMs / 2;
    return (this.keys[n - 1].at - this.keys[n - 3].at) / 2 <= this.opts.maxInterKeyMs;
  }

  private finish(): DetectorOutput {
    const keys = this.keys;
    this.keys = [];
    this.pauseSeen = false;
    if (keys.length < this.opts.minLength) return null;
    if (medianPace(keys) > this.opts.maxInterKeyMs) return null;
    return { kind: 'scan', code: keys.map((k) => k.ch).join('') };
  }
}

/** median of each key's pace: its gap for the second key, else the mean of its last two gaps */
function medianPace(keys: Key[]): number {
  const paces = keys
    .slice(1)
    .map((k, i) => (i === 0 ? k.at - keys[0].at : (k.at - keys[i - 1].at) / 2))
    .sort((a, b) => a - b);
  return paces.length ? paces[Math.floor(paces.length / 2)] : 0;
}
