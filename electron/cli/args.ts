import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export class UsageError extends Error {}

/** parseArgs that turns its errors into UsageError (exit code 2). */
export function parse<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
