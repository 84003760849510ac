import { z } from 'zod';
import { SCALE_FRAME_FORMATS } from './frames';

/**
 * The weighing scale on the station's serial port. Empty `port`: no scale. Most Chinese
 * indicators ship at 9600 8N1 in continuous output; Yaohua-style ones often at 1200/2400.
 */
export const ScaleSettingsSchema = z.object({
  /** a device path (/dev/ttyUSB0, COM3) */
  port: z.string().max(256).default(''),
  baudRate: z
    .number()
    .int()
    .refine((n) => [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(n), 'unsupported baud rate')
    .default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  format: z.enum(SCALE_FRAME_FORMATS as ['auto', 'yaohua', 'toledo', 'plain']).default('auto'),
  /** the unit a Yaohua-style indicator shows (its frames carry none) */
  yaohuaUnit: z.enum(['kg', 'g', 'lb']).default('kg'),
  /** packed and returned weights further apart than both of these are a mismatch */
  toleranceGrams: z.number().min(0).max(100_000).default(20),
  tolerancePercent: z.number().min(0).max(100).default(2),
});
export type ScaleSettings = z.infer<typeof ScaleSettingsSchema>;
