import { contract, isCallName, type Handlers } from '../../shared/api/contract';
import { fail, isAppError, ok, type Result } from '../../shared/api/result';
import { isDiskFullError } from './storage/files';

/**
 * The single entry every adapter uses: unknown calls are refused, inputs are validated
 * with the contract's zod schema, and every outcome becomes a Result.
 */
export type Dispatch = (name: string, rawInput: unknown) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers): Dispatch {
  return async (name, rawInput) => {
    if (!isCallName(name)) return fail('UNKNOWN_CALL', `Unknown call: ${name}`);
    const parsed = contract[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return fail('INVALID_INPUT', `Invalid input for ${name}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })),
      });
    }
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (e) {
      if (isAppError(e)) return fail(e.code, e.message, e.details);
      // out of space in any layer (a write, SQLite, ffmpeg): the same clear message
      if (isDiskFullError(e)) return fail('DISK_FULL', 'The disk is full');
      console.error(`[proofpack] ${name} failed`, e);
      return fail('INTERNAL', (e as Error)?.message ?? String(e));
    }
  };
}
