/**
 * Frames of the continuous output that common (mostly Chinese) weighing indicators send
 * over RS-232 / USB-serial, turned into weights in grams. Pure: bytes in, readings out.
 *
 * - `yaohua`: 耀华 XK3190-A9/A12 and their many clones in "continuous mode 1": `=` then the
 *   weight's characters LOW digit first (`=432.100` read back to front is `001.234`),
 *   no unit (the indicator's unit is set in Settings: `yaohuaUnit`). A minus
 *   sign sits at the end of the reversed text. These frames carry no stable flag: the
 *   same value three frames running counts as stable.
 * - `toledo`: the `ST,GS,+0001.234kg` line of Toledo-style, ACS, 凯丰 and most "电子秤
 *   RS232 连续输出" indicators: ST/US (stable/unstable) or OL (overload), GS/NT/TR
 *   (gross/net/tare), signed value and unit.
 * - `plain`: a line holding a number and a unit (`   1.234 kg`, `+  250 g`, `2.5lb S`).
 * - `auto`: each frame is tried in that order; the first that parses wins.
 */

export type ScaleFrameFormat = 'auto' | 'yaohua' | 'toledo' | 'plain';
export const SCALE_FRAME_FORMATS: ScaleFrameFormat[] = ['auto', 'yaohua', 'toledo', 'plain'];
export type ScaleUnit = 'kg' | 'g' | 'lb';

export interface ScaleReading {
  /** weight in grams, rounded to 0.1 g (negative when the indicator shows below zero) */
  grams: number;
  stable: boolean;
  /** which format the frame was */
  format: Exclude<ScaleFrameFormat, 'auto'>;
}

const GRAMS_PER: Record<ScaleUnit, number> = { kg: 1000, g: 1, lb: 453.59237 };
const round1 = (n: number) => Math.round(n * 10) / 10;

/** One frame's text (without its terminator) → reading, or null when it is not that format. */
export function parseToledoFrame(text: string): ScaleReading | null {
  const m = /^\s*(ST|US|OL)\s*,\s*(GS|NT|TR|G|N)\s*,\s*([+-])?\s*(\d+(?:\.\d+)?|\.\d+)\s*(kg|g|lb)\s*$/i.exec(text);
  if (!m) return null;
  const [, state, , sign, digits, unit] = m;
  if (state.toUpperCase() === 'OL') return null; // overload: no weight to show
  const grams = round1(Number(digits) * GRAMS_PER[unit.toLowerCase() as ScaleUnit]) * (sign === '-' ? -1 : 1);
  return { grams: grams || 0, stable: state.toUpperCase() === 'ST', format: 'toledo' };
}

export function parsePlainFrame(text: string): ScaleReading | null {
  // optional stability letter some indicators append (S stable, U unstable)
  const m = /^\s*([+-])?\s*(\d+(?:\.\d+)?|\.\d+)\s*(kg|g|lb)\s*([SU])?\s*$/i.exec(text);
  if (!m) return null;
  const [, sign, digits, unit, flag] = m;
  const grams = round1(Number(digits) * GRAMS_PER[unit.toLowerCase() as ScaleUnit]) * (sign === '-' ? -1 : 1);
  return { grams: grams || 0, stable: flag ? flag.toUpperCase() === 'S' : true, format: 'plain' };
}

/** `body` is what follows the `=`: the weight's characters low digit first. */
export function parseYaohuaFrame(body: string, unit: ScaleUnit): ScaleReading | null {
  if (!/^[0-9.]{2,8}-?$/.test(body) || (body.match(/\./g)?.length ?? 0) > 1) return null;
  const forward = [...body].reverse().join('');
  const negative = forward.startsWith('-');
  const value = Number(negative ? forward.slice(1) : forward);
  if (!Number.isFinite(value)) return null;
  const grams = round1(value * GRAMS_PER[unit]) * (negative ? -1 : 1);
  // stability is decided by the parser from repeats (see createFrameParser)
  return { grams: grams || 0, stable: false, format: 'yaohua' };
}

export interface FrameParserOptions {
  format: ScaleFrameFormat;
  /** the unit a Yaohua-style indicator is set to (its frames do not say) */
  yaohuaUnit?: ScaleUnit;
}

export interface FrameParser {
  /** feed bytes as they arrive (any split); returns the readings they completed */
  push(chunk: string | Uint8Array): ScaleReading[];
  /** frames that were complete but unreadable (noise, wrong format, overload) */
  readonly badFrames: number;
}

/** frames longer than this are noise (a wrong baud rate), dropped without growing the buffer */
const MAX_FRAME = 64;
/** a Yaohua frame's value seen this many times running counts as stable */
const YAOHUA_STABLE_REPEATS = 3;

/**
 * Splits the byte stream into frames: CR/LF ends a line frame, `=` starts a Yaohua frame
 * (which then ends at the next `=` or line end). A partial frame waits for the next chunk.
 */
export function createFrameParser(opts: FrameParserOptions): FrameParser {
  const decoder = new TextDecoder('latin1');
  const unit = opts.yaohuaUnit ?? 'kg';
  let buffer = '';
  let bad = 0;
  let lastYaohua: number | null = null;
  let repeats = 0;

  const readFrame = (frame: string): ScaleReading | null => {
    // STX/ETX and other control bytes some indicators wrap frames in
    const text = [...frame]
      .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
      .join('')
      .trim();
    if (!text) return null;
    if (text.startsWith('=')) {
      if (opts.format !== 'auto' && opts.format !== 'yaohua') return null;
      const r = parseYaohuaFrame(text.slice(1).trim(), unit);
      if (!r) return null;
      repeats = r.grams === lastYaohua ? repeats + 1 : 1;
      lastYaohua = r.grams;
      return { ...r, stable: repeats >= YAOHUA_STABLE_REPEATS };
    }
    if (opts.format === 'auto' || opts.format === 'toledo') {
      const r = parseToledoFrame(text);
      if (r) return r;
    }
    if (opts.format === 'auto' || opts.format === 'plain') return parsePlainFrame(text);
    return null;
  };

  return {
    get badFrames() {
      return bad;
    },
    push(chunk) {
      buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk);
      const out: ScaleReading[] = [];
      // a frame ends at CR/LF, or just before the '=' that starts the next Yaohua frame
      for (;;) {
        const m = /[\r\n]|(?<=.)=/s.exec(buffer);
        if (!m) break;
        const frame = buffer.slice(0, m.index);
        buffer = buffer.slice(m[0] === '=' ? m.index : m.index + 1);
        if (!frame.trim()) continue;
        const r = readFrame(frame);
        if (r) out.push(r);
        else bad++;
      }
      if (buffer.length > MAX_FRAME) {
        buffer = '';
        bad++;
      }
      return out;
    },
  };
}
