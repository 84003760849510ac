import type { RecordingSession } from '../../../shared/domain/types';

/**
 * Reads the order's buyer note and seller remark aloud (Settings → speak notes). Uses the
 * system voices through the Web Speech API; a machine without one stays silent.
 */
export function speakNotes(
  session: RecordingSession,
  lang: string,
  t: (key: string, params?: Record<string, string>) => string,
): void {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  const n = session.notes;
  if (!synth || !n) return;
  const lines = [
    n.buyerNote ? t('station.notes.buyer', { text: n.buyerNote }) : null,
    n.sellerRemark ? t('station.notes.seller', { text: n.sellerRemark }) : null,
  ].filter((l): l is string => Boolean(l));
  if (!lines.length) return;
  synth.cancel(); // the previous order's notes stop when the next order is scanned
  for (const line of lines) {
    const u = new SpeechSynthesisUtterance(line);
    u.lang = lang;
    synth.speak(u);
  }
}
