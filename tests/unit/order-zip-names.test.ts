import { describe, expect, it } from 'vitest';
import { zipEntryNames } from '../../electron/core/hub/order-zip';
import type { OrderFile } from '../../shared/hub/hub-file';

const file = (fileName: string, stationName: string): OrderFile => ({
  stationId: 's',
  evidenceId: 'e',
  orderNo: 'o',
  kind: 'video',
  mode: null,
  fileName,
  sha256: '0'.repeat(64),
  bytes: 1,
  durationMs: null,
  capturedAt: '2026-12-04T08:00:00.000Z',
  operator: '',
  stationName,
  location: '/x',
  chapters: [],
});

describe('names inside an order zip', () => {
  it('are numbered in capture order and safe whatever the station or file is called', () => {
    const names = zipEntryNames([
      file('../../etc/passwd', 'A'),
      file('C:\\temp\\a:b.MP4', '打包台/2'),
      file('📦开箱🎥.jpg', 'con'),
      file('same.mp4', 'A'),
      file('same.mp4', 'A'),
      file('noext', 'A'),
    ]);
    for (const n of names) {
      expect(n).not.toMatch(/[/\\:]|\.\./);
      expect(n).not.toMatch(/\p{Extended_Pictographic}/u);
    }
    expect(names[0]).toBe('1-A-passwd');
    expect(names[1]).toMatch(/^2-打包台_2-[0-9a-f]{8}-a_b-[0-9a-f]{8}\.mp4$/);
    expect(names[2]).toMatch(/^3-_con-开箱-[0-9a-f]{8}\.jpg$/);
    // the same name twice stays two entries
    expect(names[3]).toBe('4-A-same.mp4');
    expect(names[4]).toBe('5-A-same.mp4');
    expect(names[5]).toBe('6-A-noext');
    expect(new Set(names).size).toBe(names.length);
  });

  it('pads the number so the files sort in order', () => {
    const names = zipEntryNames(Array.from({ length: 12 }, (_, i) => file(`f${i}.jpg`, 'S')));
    expect(names[0]).toBe('01-S-f0.jpg');
    expect(names[11]).toBe('12-S-f11.jpg');
  });
});
