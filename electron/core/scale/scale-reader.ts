import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { createFrameParser, type FrameParser, type ScaleReading } from '../../../shared/domain/scale/frames';
import type { ScaleSettings } from '../../../shared/domain/scale/scale-settings';
import type { ScaleConnection } from '../../../shared/domain/scale/weights';

export interface ScaleReaderStatus {
  connection: Exclude<ScaleConnection, 'off'>;
  error: string | null;
  badFrames: number;
}

export interface ScaleReaderOptions {
  settings: ScaleSettings;
  onReading: (r: ScaleReading) => void;
  onStatus: (s: ScaleReaderStatus) => void;
  /** wait before opening the port again after it failed or went away */
  retryMs?: number;
}

/**
 * Reads one serial scale with the `serialport` package and never gives up: a port that
 * cannot be opened, or disappears (USB unplugged, the pty's other end closed), is reported
 * as lost and opened again every `retryMs` until it is back. Nothing here throws.
 */
export class ScaleReader {
  private port: SerialPort | null = null;
  private parser: FrameParser | null = null;
  private retry: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly retryMs: number;

  constructor(private opts: ScaleReaderOptions) {
    this.retryMs = opts.retryMs ?? 2000;
  }

  start(): void {
    this.stopped = false;
    this.open();
    // a USB adapter unplugged (or a pty link removed) does not always end the read at once:
    // the device path going away is the sure sign. Only for file paths: Windows' COM3 is no
    // file (there the driver ends the read, which closes the port)
    const devicePath = this.opts.settings.port.startsWith('/');
    this.watch = setInterval(() => {
      if (devicePath && this.port?.isOpen && !fs.existsSync(this.opts.settings.port)) this.lost('port disappeared');
    }, 1000);
    this.watch.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.watch) clearInterval(this.watch);
    this.retry = this.watch = null;
    await this.closePort();
  }

  private open(): void {
    if (this.stopped) return;
    const s = this.opts.settings;
    this.opts.onStatus({ connection: 'connecting', error: null, badFrames: 0 });
    const parser = createFrameParser({ format: s.format, yaohuaUnit: s.yaohuaUnit });
    let port: SerialPort;
    try {
      port = new SerialPort({
        path: s.port,
        baudRate: s.baudRate,
        dataBits: s.dataBits,
        parity: s.parity,
        stopBits: s.stopBits,
        autoOpen: false,
      });
    } catch (e) {
      this.lost(message(e));
      return;
    }
    this.port = port;
    this.parser = parser;
    port.on('data', (chunk: Buffer) => {
      if (this.port !== port) return;
      const before = parser.badFrames;
      for (const r of parser.push(chunk)) this.opts.onReading(r);
      if (parser.badFrames !== before) this.status('connected', null);
    });
    port.on('error', (e) => this.port === port && this.lost(message(e)));
    port.on('close', (e?: Error | null) => this.port === port && this.lost(e ? message(e) : 'port closed'));
    port.open((e) => {
      if (this.port !== port) return;
      if (e) this.lost(message(e));
      else this.status('connected', null);
    });
  }

  private status(connection: ScaleReaderStatus['connection'], error: string | null): void {
    this.opts.onStatus({ connection, error, badFrames: this.parser?.badFrames ?? 0 });
  }

  private lost(error: string): void {
    if (this.stopped) return;
    this.status('lost', error);
    void this.closePort();
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.open();
    }, this.retryMs);
    this.retry.unref();
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
