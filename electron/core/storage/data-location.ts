import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { STATION_ID_FILE } from '../db/station-id';

/**
 * How the app finds a data folder that was moved: the move leaves a small pointer file
 * in the old folder (for the default location that is the OS app-data folder, so a
 * plain start finds it) naming the new one. Opening a folder follows the pointer.
 * The pointer is written only after the new copy was verified, so following it is safe
 * even when the old copy was not removed yet (a crash right after the switch).
 */
export const POINTER_FILE = 'proofpack-location.json';
const MAX_HOPS = 8;

export interface DataPointer {
  movedTo: string;
  movedAt: string;
}

export function readPointer(dir: string): DataPointer | null {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dir, POINTER_FILE), 'utf8')) as DataPointer;
    return typeof v.movedTo === 'string' && path.isAbsolute(v.movedTo) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The folder to open for `dir`: `dir` itself, or where its pointer chain leads. A chain
 * to a folder that cannot be reached (a removed USB disk, an unmounted share) is an
 * error, never a silent fresh start in the old place.
 */
export function resolveMovedDataDir(dir: string): string {
  let current = path.resolve(dir);
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ptr = readPointer(current);
    if (!ptr) return current;
    if (seen.has(current)) break;
    seen.add(current);
    const next = path.resolve(ptr.movedTo);
    // a data folder always holds its station id; its own database file only on SQLite
    if (![STATION_ID_FILE, 'proofpack.db'].some((f) => fs.existsSync(path.join(next, f)))) {
      throw new AppError(
        'DATA_DIR_MISSING',
        `The data folder was moved to ${next}, which cannot be reached (is the disk connected?)`,
        { dataDir: current, movedTo: next, problem: 'moved-away' },
      );
    }
    current = next;
  }
  throw new AppError('DATA_DIR_MISSING', `The data folder pointers of ${dir} go round in a circle`, {
    dataDir: dir,
    problem: 'pointer-loop',
  });
}

/** Written atomically (temp + fsync + rename): a half-written pointer would strand the data. */
export function writePointer(oldDir: string, newDir: string, at = new Date()): void {
  const file = path.join(oldDir, POINTER_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(
      fd,
      JSON.stringify({ movedTo: path.resolve(newDir), movedAt: at.toISOString() } satisfies DataPointer, null, 2),
    );
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * A data folder that was used before (media, an audit anchor, a WAL file) but has no
 * database any more — deleted by a sync tool, half copied by hand — must not quietly get
 * a new, empty database: the files would lose their records and hashes.
 */
export function refuseMissingDatabase(dataDir: string): void {
  if (fs.existsSync(path.join(dataDir, 'proofpack.db'))) return;
  const traces = ['proofpack.db-wal', 'audit-anchor.json'].filter((f) => fs.existsSync(path.join(dataDir, f)));
  const media = path.join(dataDir, 'media');
  const mediaUsed = fs.existsSync(media) && fs.readdirSync(media).some((n) => n !== 'incoming');
  const partsLeft =
    fs.existsSync(path.join(media, 'incoming')) && fs.readdirSync(path.join(media, 'incoming')).length > 0;
  if (traces.length || mediaUsed || partsLeft) {
    throw new AppError(
      'DB_CORRUPT',
      `The database ${path.join(dataDir, 'proofpack.db')} is missing, but the folder holds ProofPack data: restore the database (or choose another folder) instead of starting empty`,
      { dataDir, problem: 'missing', name: path.join(dataDir, 'proofpack.db') },
    );
  }
}
