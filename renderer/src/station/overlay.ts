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
  const { width, height } = ctx.canvas;
  ctx.drawImage(video, 0, 0, width, height);
  const m = overlayMetrics(height);
  const { size, pad } = m;
  ctx.font = evidenceFont(m.weight, size);
  ctx.textBaseline = 'top';
  const stamp = formatDateTime(info.now, info.lang);
  const lines = info.lines.flatMap((l) => wrapAtGaps(ctx, l, width - pad * 4));
  lines.push(stamp);
  if (info.elapsedText) lines.push(`● REC ${info.elapsedText}`);
  const boxW = Math.min(width - pad * 2, Math.max(...lines.map((l) => ctx.measureText(l).width)) + pad * 2);
  const boxH = lines.length * m.lineHeight + pad * 2;
  ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.fillRect(pad, pad, boxW, boxH);
  lines.forEach((line, i) => {
    const isRec = info.elapsedText && i === lines.length - 1;
    ctx.fillStyle = isRec ? '#ff4d4f' : '#ffffff';
    const at = overlayLineOrigin(m, i);
    ctx.fillText(line, at.x, at.y, width - pad * 4);
  });
  if (info.recording) {
    ctx.strokeStyle = '#ff4d4f';
    ctx.lineWidth = Math.max(4, Math.round(size / 4));
    ctx.strokeRect(ctx.lineWidth / 2, ctx.lineWidth / 2, width - ctx.lineWidth, height - ctx.lineWidth);
  }
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
