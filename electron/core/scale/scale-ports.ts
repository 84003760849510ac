import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortInfo {
  path: string;
  /** maker / adapter name when the system tells it (CH340, FTDI, Prolific …) */
  label: string;
}

/** device names of serial ports on Linux (USB-serial adapters, built-in RS-232, CDC-ACM) */
const LINUX_SERIAL = /^tty(S\d+|USB\d+|ACM\d+|AMA\d+|WCH\d+|XRUSB\d+)$/;

/**
 * The serial ports a scale could be on. serialport's list() asks `udevadm` on Linux and
 * crashes the process when it is missing (the spawn error is not handled in the
 * library), so without udevadm the /dev folder is read instead.
 */
export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  if (process.platform !== 'linux' || hasUdevadm()) {
    try {
      const ports = await SerialPort.list();
      return ports.map((p) => ({ path: p.path, label: [p.manufacturer, p.serialNumber].filter(Boolean).join(' ') }));
    } catch {
      if (process.platform !== 'linux') return [];
    }
  }
  const found: SerialPortInfo[] = [];
  const byId = '/dev/serial/by-id';
  for (const name of safeReaddir(byId)) found.push({ path: path.join(byId, name), label: name });
  for (const name of safeReaddir('/dev')) {
    if (LINUX_SERIAL.test(name) && !name.startsWith('ttyS')) found.push({ path: `/dev/${name}`, label: '' });
  }
  // ttyS0..3: built-in RS-232 ports (the kernel lists 32 whether or not they exist)
  for (const n of [0, 1, 2, 3]) if (fs.existsSync(`/dev/ttyS${n}`)) found.push({ path: `/dev/ttyS${n}`, label: '' });
  return found;
}

let udevadm: boolean | null = null;
function hasUdevadm(): boolean {
  if (udevadm == null) {
    try {
      execFileSync('udevadm', ['--version'], { stdio: 'ignore', timeout: 2000 });
      udevadm = true;
    } catch {
      udevadm = false;
    }
  }
  return udevadm;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
