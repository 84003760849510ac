import { z } from 'zod';
import { call } from '../define';
import { SettingsPatchSchema, type Settings } from '../../domain/settings';

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web';
  dataDir: string;
  dbPath: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** things the app did at start that the user should know (recovered recordings …) */
  startupNotices: { code: string; message: string; params?: Record<string, string | number> }[];
}

export const appCalls = {
  'app.info': call<AppInfo>()(z.object({}).strict()),
  'settings.get': call<Settings>()(z.object({}).strict()),
  'settings.update': call<Settings>()(SettingsPatchSchema.strict()),
};
