import { common } from './messages/common';
import { station } from './messages/station';
import { errors } from './messages/errors';
import { checks } from './messages/checks';
import { cases } from './messages/cases';
import { packets } from './messages/packets';
import { casesUi } from './messages/cases-ui';
import { insight } from './messages/insight';
import { insightImport } from './messages/insight-import';
import { storage } from './messages/storage';
import { profileNotes } from './messages/profile-notes';
import { problems } from './messages/problems';
import { dbTools } from './messages/db-tools';
import { integrations } from './messages/integrations';
import { skuFirst } from './messages/sku-first';
import { hub } from './messages/hub';
import { cameras } from './messages/cameras';
import { scale } from './messages/scale';
import { accounts } from './messages/accounts';
import { share } from './messages/share';
import { staffApp } from './messages/staff-app';

/**
 * All UI text. zh-CN is the default language, en selectable. Each area owns a file in
 * ./messages exporting `{ 'zh-CN': {...}, en: {...} }` with the same keys in both (a unit
 * test enforces it); register the file in `bundles` below.
 */
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export type MessageBundle = Record<Lang, Record<string, string>>;

export const bundles: MessageBundle[] = [
  common,
  station,
  errors,
  cases,
  packets,
  casesUi,
  checks,
  insight,
  insightImport,
  storage,
  profileNotes,
  problems,
  dbTools,
  integrations,
  skuFirst,
  hub,
  cameras,
  scale,
  accounts,
  share,
  staffApp,
];

const merged: Record<Lang, Record<string, string>> = { 'zh-CN': {}, en: {} };
for (const b of bundles) for (const lang of LANGS) Object.assign(merged[lang], b[lang]);

export type Params = Record<string, string | number | null | undefined>;

/** Translate `key`, filling `{name}` placeholders. Unknown keys fall back to English, then the key. */
export function translate(lang: Lang, key: string, params?: Params): string {
  const text = merged[lang][key] ?? merged.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] == null ? m : String(params[name])));
}

export const hasMessage = (key: string) => key in merged.en;
export const allKeys = (lang: Lang) => Object.keys(merged[lang]);
