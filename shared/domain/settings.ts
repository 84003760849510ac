import { z } from 'zod';
import { ScaleSettingsSchema } from './scale/scale-settings';

/** Keys are KeyboardEvent.code values so a pedal or keyboard layout cannot confuse them. */
export const HotkeysSchema = z.object({
  toggleRecording: z.string().min(1).default('F2'),
  pedal: z.string().min(1).default('F9'),
  photo: z.string().min(1).default('F8'),
  markStep: z.string().min(1).default('F4'),
  /** confirms the refund-interception alert; not Enter, which scanners send after each code */
  confirmInterception: z.string().min(1).default('Space'),
});

export const ScannerSchema = z.object({
  /**
   * The slowest pace (ms per key, over two gaps) still taken for a scanner. USB scanners
   * type a key every 1–10 ms; Bluetooth ones send keys in bursts 0 ms apart with 30–60 ms
   * between bursts, a pace of at most 30 ms; people type 120+ ms per key even when fast.
   * 60 sits twice above the slowest scanner and twice below quick typing.
   */
  maxInterKeyMs: z.number().int().min(5).max(200).default(60),
  minLength: z.number().int().min(1).max(64).default(4),
  /** scanners that send no Enter: this long without a key (as the page receives them) ends the code */
  endPauseMs: z.number().int().min(30).max(2000).default(250),
  /** the same code scanned again within this window is ignored (double trigger) */
  duplicateWindowMs: z.number().int().min(0).max(60000).default(2500),
});

const GiB = 1024 ** 3;

/**
 * Disk guard and retention. The reserve counts the whole disk's free space (not a quota
 * of the data folder): below it no recording starts, and a running one stops cleanly.
 */
export const StorageSettingsSchema = z.object({
  reserveBytes: z
    .number()
    .int()
    .min(0)
    .max(2 ** 50)
    .default(5 * GiB),
  retentionEnabled: z.boolean().default(true),
  /** footage no case needs is deleted this many days after it was captured */
  retentionDays: z
    .object({
      outbound: z.number().int().min(1).max(3650).default(60),
      return: z.number().int().min(1).max(3650).default(60),
    })
    .default({ outbound: 60, return: 60 }),
  /**
   * A station paired with a hub keeps its local copy this many days after the hub verified
   * it (unset: HUB_KEEP_DAYS), and never deletes one the hub has not verified, however old.
   */
  hubKeepDays: z.number().int().min(0).max(3650).optional(),
});
export const HUB_KEEP_DAYS = 7;
export type StorageSettings = z.infer<typeof StorageSettingsSchema>;

export const SettingsSchema = z.object({
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  stationName: z.string().max(64).default(''),
  operator: z.string().max(64).default(''),
  /** the shop this station packs for now (a 3PL's client): stamped on orders its scans create */
  shop: z.string().max(100).default(''),
  mode: z.enum(['outbound', 'return']).default('outbound'),
  profileId: z.string().min(1).max(64).default('pdd'),
  cameraDeviceId: z.string().max(512).default(''),
  videoWidth: z.number().int().min(320).max(3840).default(1280),
  videoHeight: z.number().int().min(240).max(2160).default(720),
  fps: z.number().int().min(5).max(60).default(30),
  recordAudio: z.boolean().default(false),
  /** read an order's buyer note and seller remark aloud when it is scanned (speech synthesis) */
  speakNotes: z.boolean().default(false),
  /** meters turn amber at this share of a limit */
  warnAtRatio: z.number().min(0.5).max(0.99).default(0.8),
  hotkeys: HotkeysSchema.default(HotkeysSchema.parse({})),
  scanner: ScannerSchema.default(ScannerSchema.parse({})),
  /** regular expressions (source text) telling tracking numbers from order numbers */
  trackingPatterns: z
    .array(z.string().max(200))
    .max(50)
    .default([
      '^SF\\d{12,15}$',
      '^(YT|JT|JD|JDX|DPK|YD|ZT)\\d{10,16}$',
      '^(7[0-9]|5[0-9]|4[0-9])\\d{10,13}$',
      '^[A-Z]{2}\\d{9}[A-Z]{2}$',
    ]),
  orderPatterns: z.array(z.string().max(200)).max(50).default(['^\\d{6}-\\d{15}$']),
  /** serial number / IMEI barcodes (issue: serial proof) */
  serialPatterns: z.array(z.string().max(200)).max(50).default(['^\\d{15}$', '^SN[A-Z0-9]{6,30}$']),
  /**
   * SKU / pick-list barcodes (SKU-first packing, issue 14): at an idle station such a scan
   * starts a recording for a provisional order; during a recording it is an item packed.
   * Empty (the default) turns SKU-first packing off: SKU formats differ per merchant.
   */
  skuPatterns: z.array(z.string().max(200)).max(50).default([]),
  storage: StorageSettingsSchema.default(StorageSettingsSchema.parse({})),
  /** the weighing scale on a serial port (issue 14) */
  scale: ScaleSettingsSchema.default(ScaleSettingsSchema.parse({})),
  /**
   * "This PC is the warehouse hub" (issue 11): the app serves stations on the LAN, as
   * `proofpack hub` does, with this folder's database and its hub-media folder. Port 0
   * takes any free port (shown in Settings).
   */
  hubServe: z
    .object({
      enabled: z.boolean().default(false),
      port: z.number().int().min(0).max(65535).default(4870),
      /** HTTPS with a certificate this PC makes once; stations pin it when they pair */
      https: z.boolean().default(false),
    })
    .default({ enabled: false, port: 4870, https: false }),
});

export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
export const defaultSettings = (): Settings => SettingsSchema.parse({});
