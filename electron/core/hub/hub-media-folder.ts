import fsp from 'node:fs/promises';
import path from 'node:path';
import { safeFileStem } from '../../../shared/domain/safe-name';
import type { HubEvidenceTable } from '../db/schema-hub';

/**
 * Where verified evidence lives on a hub that keeps media in a folder (the data folder's
 * `hub-media`, or `--media DIR`, which may be a mounted NAS share):
 * `<root>/<station>/<day captured>/<order>/<file>`, so staff browsing the share find an
 * order the way they would at the station. Every part is made safe (order numbers may hold
 * `/ \ .. :` or emoji); the station folder carries the start of the station id, so two
 * stations given the same name never mix. Uploads in progress live in `<root>/.incoming`.
 */
export class HubMediaFolder {
  readonly root: string;
  readonly incoming: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.incoming = path.join(this.root, '.incoming');
  }

  async ensure(): Promise<void> {
    await fsp.mkdir(this.incoming, { recursive: true });
  }

  /** The final folder and name for a record (not yet taken: a clash gets the evidence id). */
  async destinationFor(row: HubEvidenceTable): Promise<string> {
    const station = `${safeFileStem(row.station_name || 'station', 40)}-${row.station_id.slice(0, 8)}`;
    const day = /^\d{4}-\d{2}-\d{2}/.test(row.captured_at) ? row.captured_at.slice(0, 10) : 'undated';
    const dir = path.join(this.root, station, day, safeFileStem(row.order_no, 80));
    const name = safeFileStem(row.file_name, 120);
    await fsp.mkdir(dir, { recursive: true });
    const first = path.join(dir, name);
    const taken = await fsp.stat(first).then(
      () => true,
      () => false,
    );
    if (!taken) return first;
    const ext = path.extname(name);
    return path.join(dir, `${path.basename(name, ext)}-${row.evidence_id.slice(-8)}${ext}`);
  }

  /** Moves a finished upload into place (same file system: a rename, never a copy). */
  async place(uploadFile: string, row: HubEvidenceTable): Promise<string> {
    const dest = await this.destinationFor(row);
    await fsp.rename(uploadFile, dest);
    return dest;
  }
}
