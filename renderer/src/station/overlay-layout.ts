/**
 * The overlay's geometry, from the frame height alone: pure numbers, so the e2e test
 * that compares a recorded frame with a reference rendering lays its text out the same
 * way the station does.
 */
export interface OverlayMetrics {
  /** font size in px */
  size: number;
  /** the box's margin and the text's inset inside it */
  pad: number;
  lineHeight: number;
  weight: number;
}

export function overlayMetrics(frameHeight: number): OverlayMetrics {
  const size = Math.max(14, Math.round(frameHeight / 26));
  return { size, pad: Math.round(size * 0.5), lineHeight: Math.round(size * 1.3), weight: 600 };
}

/** Where line `i` of the overlay starts (textBaseline 'top'). */
export function overlayLineOrigin(m: OverlayMetrics, i: number): { x: number; y: number } {
  return { x: m.pad * 2, y: m.pad * 2 + i * m.lineHeight };
}
