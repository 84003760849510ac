/**
 * Says yes to a key once per window: a video player fetches one file in many ranges (and
 * a seek can start anywhere), so "viewed" and "downloaded" are recorded once per person
 * and file in a window, not once per range, and no range escapes the record. Per process:
 * behind a load balancer two processes may each record the same viewing once.
 */
export class OncePerWindow {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs = 10 * 60_000) {}

  first(key: string, nowMs: number): boolean {
    const last = this.seen.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.seen.set(key, nowMs);
    if (this.seen.size > 10_000) for (const [k, at] of this.seen) if (nowMs - at >= this.windowMs) this.seen.delete(k);
    return true;
  }
}
