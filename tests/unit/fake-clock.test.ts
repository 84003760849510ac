import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';

// Only under `npm run test:clock` (scripts/test-clock.mjs), which runs the unit and
// integration projects with libfaketime shifting the clock a year either way: proves the
// shift reached the test workers and the tools they spawn, so a green run there means the
// tests really ran on another day. Elsewhere there is no faked clock to check.
const days = Number(process.env.PROOFPACK_FAKE_CLOCK_DAYS);
const realNowMs = Number(process.env.PROOFPACK_REAL_NOW_MS);
const DAY = 86_400_000;

describe.runIf(Number.isFinite(days) && Number.isFinite(realNowMs))('the faked clock of npm run test:clock', () => {
  // the whole run takes minutes, not half a day
  const shiftOf = (ms: number) => (ms - realNowMs) / DAY;

  it('reaches the test worker', () => {
    expect(Math.abs(shiftOf(Date.now()) - days)).toBeLessThan(0.5);
  });

  it('reaches the programs the tests spawn, and the monotonic clock is left alone', () => {
    const seen = Number(execFileSync('date', ['+%s%3N'], { encoding: 'utf8' }).trim());
    expect(Math.abs(shiftOf(seen) - days)).toBeLessThan(0.5);
    // the monotonic clock (timers, timeouts, measured durations) still counts from boot
    const monotonicSec = Number(process.hrtime.bigint()) / 1e9;
    expect(Math.abs(monotonicSec - os.uptime())).toBeLessThan(60);
  });
});
