import { createCore, type Core } from '../core/core';
import { resolveDataDir } from '../core/data-dir';

/** A core for one CLI command; closed by `withCore` whatever happens. */
export async function withCore<T>(dataDirFlag: string | undefined, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ dataDir: resolveDataDir(dataDirFlag), mode: 'cli' });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
