import fs from 'node:fs';
import path from 'node:path';
import { newId } from './ids';

export const STATION_ID_FILE = 'station-id';

/**
 * This station's id: made once, kept in the data folder (so it moves with the folder and
 * stays the same whichever database the station writes to). Every row the station
 * creates carries it. Two processes starting at once agree: only one create wins.
 */
export function stationIdFor(dataDir: string): string {
  const file = path.join(dataDir, STATION_ID_FILE);
  const read = () => fs.readFileSync(file, 'utf8').trim();
  try {
    return read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${newId()}\n`, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return read();
}
