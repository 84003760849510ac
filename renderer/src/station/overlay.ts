import type { Lang } from '../../../shared/i18n';
import { formatDateTime } from '../i18n';
import { evidenceFont } from './evidence-font';
import { overlayLineOrigin, overlayMetrics } from './overlay-layout';

/**
 * The overlay burned into every frame: it proves when and what. Drawn on the same canvas
 * that is both the preview and the recorded stream, so what the packer sees is what is
 * recorded. Its text is drawn in the bundled CJK font (see evidence-font.ts), which the
 * station loads before it opens the camera.
 */
export interface OverlayInfo {
  lines: string[];
  recording: boolean;
  elapsedText: string | null;
  now: Date;
  lang: Lang;
}

export function drawFrame(ctx: CanvasRenderingContext2D, video: HTMLVideoElement, info: OverlayInfo) {
  ctx.drawImage(video, 0, 0, ctx.canvas.width, ctx.canvas.height);
  drawOverlay(ctx, info);
}

/** The box and, while recording, the red frame, over the picture already on the canvas. */
export function drawOverlay(ctx: CanvasRenderingContext2D, info: OverlayInfo) {
  const { width, height } = ctx.canvas;
  paintOverlayBox(ctx, layoutOverlayBox(ctx, width, height, info));
  if (info.recording) {
    ctx.strokeStyle = REC_COLOR;
    ctx.lineWidth = recordingBorderWidth(height);
    ctx.strokeRect(ctx.lineWidth / 2, ctx.lineWidth / 2, width - ctx.lineWidth, height - ctx.lineWidth);
  }
}

export const REC_COLOR = '#ff4d4f';

/** The red frame round a picture while it records (the packer's cue that it is on). */
export const recordingBorderWidth = (height: number) => Math.max(4, Math.round(overlayMetrics(height).size / 4));

export interface OverlayBox {
  lines: string[];
  recLine: boolean;
  /** the box's width and height; it sits `pad` from the frame's top left */
  boxW: number;
  boxH: number;
  pad: number;
  width: number;
  height: number;
}

/** The box's lines (wrapped to the frame) and size; `ctx` measures text only. */
export function layoutOverlayBox(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  info: OverlayInfo,
): OverlayBox {
  const m = overlayMetrics(height);
  const { size, pad } = m;
  ctx.font = evidenceFont(m.weight, size);
  const lines = info.lines.flatMap((l) => wrapAtGaps(ctx, l, width - pad * 4));
  lines.push(formatDateTime(info.now, info.lang));
  if (info.elapsedText) lines.push(`● REC ${info.elapsedText}`);
  const boxW = Math.min(width - pad * 2, Math.max(...lines.map((l) => ctx.measureText(l).width)) + pad * 2);
  const boxH = lines.length * m.lineHeight + pad * 2;
  return { lines, recLine: !!info.elapsedText, boxW, boxH, pad, width, height };
}

/** The dark box and its text, at the frame's top left. */
export function paintOverlayBox(ctx: CanvasRenderingContext2D, box: OverlayBox) {
  const m = overlayMetrics(box.height);
  ctx.font = evidenceFont(m.weight, m.size);
  ctx.textBaseline = 'top';
  ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.fillRect(box.pad, box.pad, box.boxW, box.boxH);
  box.lines.forEach((line, i) => {
    ctx.fillStyle = box.recLine && i === box.lines.length - 1 ? REC_COLOR : '#ffffff';
    const at = overlayLineOrigin(m, i);
    ctx.fillText(line, at.x, at.y, box.width - box.pad * 4);
  });
}

/**
 * Overlay lines join their parts with two spaces (station, operator, mode …). A line too
 * wide for the frame is broken at those gaps rather than squeezed by fillText's maxWidth,
 * which made long station and operator names unreadable in the evidence. A single part
 * still too wide (a 64-character code) is squeezed as before.
 */
function wrapAtGaps(ctx: CanvasRenderingContext2D, line: string, maxWidth: number): string[] {
  if (ctx.measureText(line).width <= maxWidth) return [line];
  const out: string[] = [];
  let current = '';
  for (const part of line.split('  ')) {
    const joined = current ? `${current}  ${part}` : part;
    if (current && ctx.measureText(joined).width > maxWidth) {
      out.push(current);
      current = part;
    } else current = joined;
  }
  if (current) out.push(current);
  return out;
}
