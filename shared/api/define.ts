import type { z } from 'zod';

/** A call in the contract: a zod schema for its input and a phantom type for its output. */
export interface CallDef<I extends z.ZodType, O> {
  input: I;
  /** never set at run time: carries the output type only */
  output?: O;
}

export const call =
  <O>() =>
  <I extends z.ZodType>(input: I): CallDef<I, O> => ({ input });
