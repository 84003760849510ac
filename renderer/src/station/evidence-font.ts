import { useEffect, useState } from 'react';
// the very file the summary PDFs embed (@embedpdf/fonts-sc, aliased in electron.vite.config.ts);
// vite copies it into the renderer's assets, so it loads from the app's own files in the
// Electron window and from the loopback server's static files alike (CSP: font-src 'self')
import bundledFontUrl from '@bundled-cjk-font?url';

/**
 * The font burned into evidence (overlay, photo captions). The system's fonts are no
 * good for that: a station without a CJK font (a plain Debian install) draws 订单 and
 * station names as empty boxes, and those boxes stay in the video for good. So the
 * overlay draws with the Noto Sans SC the app bundles for its PDFs, registered as a
 * FontFace under its own family name, which no system font can shadow.
 */
export const EVIDENCE_FONT_FAMILY = 'ProofPack Evidence CJK';
/** only used when the bundled font failed to load (a damaged install): better than nothing */
const SYSTEM_FALLBACK = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
/** loading never holds the camera longer than this; a late load is still used when it lands */
const FONT_WAIT_MS = 10_000;

export function evidenceFont(weight: number, sizePx: number): string {
  return `${weight} ${sizePx}px "${EVIDENCE_FONT_FAMILY}", ${SYSTEM_FALLBACK}`;
}

let loading: Promise<boolean> | null = null;
let loaded = false;

/**
 * Fetches and registers the bundled font, once per page (8 MB, every glyph: station and
 * operator names are free text, so no subset would do). Resolves false, never rejects,
 * when it cannot load: recording must go on with the system fonts.
 */
export function loadEvidenceFont(): Promise<boolean> {
  loading ??= new FontFace(EVIDENCE_FONT_FAMILY, `url("${bundledFontUrl}")`).load().then(
    (face) => {
      document.fonts.add(face);
      loaded = true;
      return true;
    },
    (e: unknown) => {
      console.warn('[proofpack] the bundled CJK font did not load; the overlay uses the system fonts', e);
      return false;
    },
  );
  return loading;
}

export type EvidenceFontState = 'loading' | 'ready' | 'failed';

/** The bundled font's state for the station: it opens the camera once this is not 'loading'. */
export function useEvidenceFont(): EvidenceFontState {
  const [state, setState] = useState<EvidenceFontState>(() => (loaded ? 'ready' : 'loading'));
  useEffect(() => {
    let alive = true;
    const timer = setTimeout(() => alive && setState((s) => (s === 'loading' ? 'failed' : s)), FONT_WAIT_MS);
    void loadEvidenceFont().then((ok) => {
      clearTimeout(timer);
      if (alive) setState(ok ? 'ready' : 'failed');
    });
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, []);
  return state;
}
