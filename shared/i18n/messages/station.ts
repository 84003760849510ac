import type { MessageBundle } from '../index';

export const station: MessageBundle = {
  'zh-CN': {
    'station.title': '打包台',
  },
  en: {
    'station.title': 'Packing station',
  },
};
