import type { CDPSession, Page } from 'playwright-core';
import { scannerKeys, USB_SCANNER, type ScannerProfile } from '../helpers/scanner-rhythms';

/**
 * A barcode scanner replayed into the page through CDP. A real scanner's keys carry the
 * times the OS got them, however busy the renderer is; `page.keyboard.type` instead lets
 * the page stamp keys when it gets round to them, so on a busy machine a scan looked like
 * typing. `Input.dispatchKeyEvent` takes a `timestamp` (seconds since the epoch) that
 * Chromium hands to the page as `KeyboardEvent.timeStamp`: the rhythm the page measures is
 * the scanner's, and the product's detection is tested rather than the machine's speed.
 *
 * Keys are sent back to back with timestamps in the past (the last one now), the way a
 * scanner's keys reach the OS before the page sees them; all are sent before any answer is
 * awaited, so this process being slow cannot split a code either.
 */
interface KeySpec {
  key: string;
  code: string;
  keyCode: number;
  text?: string;
  shift?: boolean;
}

const PUNCTUATION: Record<string, Omit<KeySpec, 'key' | 'text'>> = {
  '-': { code: 'Minus', keyCode: 189 },
  _: { code: 'Minus', keyCode: 189, shift: true },
  '.': { code: 'Period', keyCode: 190 },
  '/': { code: 'Slash', keyCode: 191 },
  ' ': { code: 'Space', keyCode: 32 },
};

/** What a US-layout keyboard (which scanners emulate) sends for one character or Enter. */
function keySpec(key: string): KeySpec {
  if (key === 'Enter') return { key, code: 'Enter', keyCode: 13, text: '\r' };
  if (/^[a-z]$/i.test(key)) {
    const upper = key.toUpperCase();
    return { key, code: `Key${upper}`, keyCode: upper.charCodeAt(0), text: key, shift: key === upper };
  }
  if (/^\d$/.test(key)) return { key, code: `Digit${key}`, keyCode: key.charCodeAt(0), text: key };
  const p = PUNCTUATION[key];
  if (!p) throw new Error(`scanner replay: no key for ${JSON.stringify(key)}`);
  return { key, text: key, ...p };
}

/** the fields of CDP's Input.dispatchKeyEvent this replay uses */
interface KeyEvent {
  type: 'rawKeyDown' | 'keyDown' | 'keyUp';
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  modifiers: number;
  /** seconds since the epoch: becomes the page's KeyboardEvent.timeStamp */
  timestamp: number;
  text?: string;
  unmodifiedText?: string;
  location?: number;
}

const SHIFT = 8; // CDP modifier bit

/** The CDP events for one key pressed at `timestamp` (s): Shift around capitals, as a scanner does. */
function keyEvents(spec: KeySpec, timestamp: number): KeyEvent[] {
  const modifiers = spec.shift ? SHIFT : 0;
  const key = { key: spec.key, code: spec.code, windowsVirtualKeyCode: spec.keyCode, modifiers, timestamp };
  const shift = { key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, location: 1, timestamp };
  return [
    ...(spec.shift ? [{ type: 'rawKeyDown' as const, ...shift, modifiers: SHIFT }] : []),
    { type: 'keyDown' as const, ...key, text: spec.text, unmodifiedText: spec.text },
    { type: 'keyUp' as const, ...key },
    ...(spec.shift ? [{ type: 'keyUp' as const, ...shift, modifiers: 0 }] : []),
  ];
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function cdpFor(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = page.context().newCDPSession(page);
    sessions.set(page, s);
  }
  return s;
}

/** How the keys reach the page, when the machine between scanner and page is busy. */
export interface Delivery {
  /** the page gets the keys this long after the scanner sent them */
  lateMs?: number;
  /** the page gets the first `keys` keys, then the others `afterMs` later */
  split?: { keys: number; afterMs: number };
}

function send(cdp: CDPSession, events: KeyEvent[]): Promise<unknown>[] {
  return events.map((ev) => {
    const p = cdp.send('Input.dispatchKeyEvent', ev);
    p.catch(() => undefined); // awaited by the caller; this keeps an early failure from going unhandled
    return p;
  });
}

/**
 * Scan `code` with a scanner of the given rhythm (by default a USB scanner, 5 ms per key,
 * then Enter). Resolves once the page has taken every key.
 */
export async function scan(
  page: Page,
  code: string,
  profile: ScannerProfile = USB_SCANNER,
  delivery: Delivery = {},
): Promise<void> {
  const cdp = await cdpFor(page);
  const keys = scannerKeys(code, profile);
  const start = Date.now() - keys[keys.length - 1].atMs - (delivery.lateMs ?? 0);
  const events = keys.map(({ key, atMs }) => keyEvents(keySpec(key), (start + atMs) / 1000));
  const splitAt = delivery.split?.keys ?? keys.length;
  const sent = send(cdp, events.slice(0, splitAt).flat());
  if (splitAt < keys.length) {
    await new Promise((r) => setTimeout(r, delivery.split!.afterMs));
    sent.push(...send(cdp, events.slice(splitAt).flat()));
  }
  await Promise.all(sent);
}
