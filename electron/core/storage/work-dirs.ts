import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * Scratch folders of long work (a hub building a packet, fetching a zip to verify) in the
 * data folder's tmp, named after the process that made them. A process that is killed
 * cannot remove its own: the next start removes those whose process is gone. (Several hub
 * processes may share a data folder on one machine, so a live one's folder is left alone.)
 */
export async function makeWorkDir(tmp: string, purpose: string): Promise<string> {
  await fsp.mkdir(tmp, { recursive: true });
  return fsp.mkdtemp(path.join(tmp, `${purpose}-${process.pid}-`));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
};

/** removes the work folders of `purpose` left by processes that no longer run; how many */
export async function removeAbandonedWorkDirs(tmp: string, purpose: string): Promise<number> {
  const entries = await fsp.readdir(tmp).catch(() => [] as string[]);
  let removed = 0;
  for (const name of entries) {
    const m = new RegExp(`^${purpose}-(\\d+)-`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await fsp.rm(path.join(tmp, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
