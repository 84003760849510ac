import { describe, expect, it } from 'vitest';
import { createFrameParser, parseYaohuaFrame } from '../../shared/domain/scale/frames';
import { compareWeights, formatGrams } from '../../shared/domain/scale/weights';

const weights = (rs: { grams: number; stable: boolean }[]) => rs.map((r) => [r.grams, r.stable]);

describe('scale frame parser', () => {
  it('reads Toledo/ACS-style ST/US lines in kg, g and lb, split anywhere', () => {
    const p = createFrameParser({ format: 'auto' });
    const stream =
      'ST,GS,+0001.234kg\r\nUS,NT,+0000.250kg\r\nST,GS,-0000.005kg\r\nST,NT,+  512g\r\nST,GS,+002.00lb\r\n';
    const out = [...stream].flatMap((ch) => p.push(ch)); // one byte at a time
    expect(weights(out)).toEqual([
      [1234, true],
      [250, false],
      [-5, true],
      [512, true],
      [907.2, true],
    ]);
    expect(out.every((r) => r.format === 'toledo')).toBe(true);
    expect(p.badFrames).toBe(0);
  });

  it('reads plain "   1.234 kg" lines, with or without a stability letter', () => {
    const p = createFrameParser({ format: 'plain' });
    const out = p.push(new TextEncoder().encode('   1.234 kg\r\n+  250 g U\r\n0.5kg S\n'));
    expect(weights(out)).toEqual([
      [1234, true],
      [250, false],
      [500, true],
    ]);
  });

  it('reads Yaohua XK3190 "=" frames low digit first, stable after three equal frames', () => {
    expect(parseYaohuaFrame('432.100', 'kg')?.grams).toBe(1234);
    expect(parseYaohuaFrame('052.00', 'kg')?.grams).toBe(250);
    expect(parseYaohuaFrame('0.21-', 'kg')?.grams).toBe(-12000);
    const p = createFrameParser({ format: 'auto' });
    // no terminators between frames: each ends where the next '=' begins
    const out = p.push('=432.100=432.100=432.100=432.100=');
    expect(weights(out)).toEqual([
      [1234, false],
      [1234, false],
      [1234, true],
      [1234, true],
    ]);
    expect(weights(p.push('532.100=432.100='))).toEqual([
      [1235, false],
      [1234, false],
    ]);
    const g = createFrameParser({ format: 'yaohua', yaohuaUnit: 'g' });
    expect(weights(g.push('=00520=00520=00520='))).toEqual([
      [2500, false],
      [2500, false],
      [2500, true],
    ]);
  });

  it('ignores and counts garbage, overload and frames of the wrong format; keeps a partial frame', () => {
    const p = createFrameParser({ format: 'toledo' });
    expect(p.push('\x00\xff~~noise~~\r\nOL,GS,+9999.999kg\r\n   1.234 kg\r\nST,GS,+0001.0')).toEqual([]);
    expect(p.badFrames).toBe(3);
    expect(weights(p.push('00kg\r\n'))).toEqual([[1000, true]]);
    // a long run without any terminator (wrong baud rate) is dropped, not buffered forever
    expect(p.push('\xfe'.repeat(200))).toEqual([]);
    expect(p.badFrames).toBe(4);
    expect(weights(p.push('\r\nST,GS,+0002.000kg\r\n'))).toEqual([[2000, true]]);
  });

  it('compares packed and returned weights within grams or percent', () => {
    const t = { toleranceGrams: 20, tolerancePercent: 2 };
    expect(compareWeights(500, 515, t)).toBe('match'); // within 20 g
    expect(compareWeights(500, 530, t)).toBe('mismatch');
    expect(compareWeights(5000, 5090, t)).toBe('match'); // within 2 % (100 g)
    expect(compareWeights(5000, 4850, t)).toBe('mismatch');
    expect(formatGrams(1234.6)).toBe('1.235 kg');
    expect(formatGrams(250)).toBe('250 g');
  });
});
