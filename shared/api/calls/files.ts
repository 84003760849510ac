import { z } from 'zod';
import { call } from '../define';

/**
 * A file the UI sends for import (a buyer's video, a voucher), in pieces of a few MB so
 * no request or IPC message has to carry a large file; `evidence.import` then takes the
 * finished upload's id.
 */
export const fileCalls = {
  'files.upload': call<{ uploadId: string; bytes: number }>()(
    z
      .object({
        uploadId: z.string().uuid().optional(),
        fileName: z.string().min(1).max(500),
        seq: z.number().int().min(0),
        data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'Expected bytes' }),
        final: z.boolean(),
      })
      .strict(),
  ),
};
