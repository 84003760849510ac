/**
 * How real barcode scanners type, as key times. The unit tests feed them to the detector;
 * the e2e replay (tests/e2e/scanner-replay.ts) stamps the page's key events with them.
 */
export type ScannerRhythm =
  /** a USB scanner: one key every `gapMs` */
  | { kind: 'steady'; gapMs: number }
  /** a Bluetooth scanner: `keysPerBurst` keys 0 ms apart, then `pauseMs`, and again */
  | { kind: 'bursts'; keysPerBurst: number; pauseMs: number };

export interface ScannerProfile {
  name: string;
  rhythm: ScannerRhythm;
  /** whether the scanner sends Enter after the code (most do; some are set up without) */
  enter: boolean;
}

export const USB_SCANNER: ScannerProfile = {
  name: 'USB, 5 ms per key, Enter',
  rhythm: { kind: 'steady', gapMs: 5 },
  enter: true,
};

/** The rhythms the default threshold is chosen from (shared/domain/settings.ts). */
export const REAL_SCANNERS: ScannerProfile[] = [
  { name: 'USB, 1 ms per key, Enter', rhythm: { kind: 'steady', gapMs: 1 }, enter: true },
  USB_SCANNER,
  { name: 'USB, 10 ms per key, Enter', rhythm: { kind: 'steady', gapMs: 10 }, enter: true },
  { name: 'USB, 10 ms per key, no Enter', rhythm: { kind: 'steady', gapMs: 10 }, enter: false },
  {
    name: 'Bluetooth, 8 keys per burst, 30 ms pauses, Enter',
    rhythm: { kind: 'bursts', keysPerBurst: 8, pauseMs: 30 },
    enter: true,
  },
  {
    name: 'Bluetooth, 3 keys per burst, 60 ms pauses, no Enter',
    rhythm: { kind: 'bursts', keysPerBurst: 3, pauseMs: 60 },
    enter: false,
  },
  {
    name: 'Bluetooth, 2 keys per burst, 60 ms pauses, Enter',
    rhythm: { kind: 'bursts', keysPerBurst: 2, pauseMs: 60 },
    enter: true,
  },
];

/** ms after the first key at which each of `count` keys is pressed (an Enter counts as a key). */
export function keyTimes(count: number, rhythm: ScannerRhythm): number[] {
  return Array.from({ length: count }, (_, i) =>
    rhythm.kind === 'steady' ? i * rhythm.gapMs : Math.floor(i / rhythm.keysPerBurst) * rhythm.pauseMs,
  );
}

/** The keys a scanner sends for `code` with their times: the characters, then Enter if it sends one. */
export function scannerKeys(code: string, profile: ScannerProfile): { key: string; atMs: number }[] {
  const keys = [...code, ...(profile.enter ? ['Enter'] : [])];
  const times = keyTimes(keys.length, profile.rhythm);
  return keys.map((key, i) => ({ key, atMs: times[i] }));
}
