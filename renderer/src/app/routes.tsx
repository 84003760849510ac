import type { ComponentType } from 'react';
import { StationScreen } from '../station/StationScreen';
import { OrdersScreen } from '../orders/OrdersScreen';
import { SettingsScreen } from '../settings/SettingsScreen';

/**
 * The screens in the top bar, in order. `keepMounted` screens stay alive while hidden
 * (the station keeps its camera live). Add a screen here to put it in the app.
 */
export interface ScreenDef {
  id: string;
  labelKey: string;
  component: ComponentType<{ active: boolean; navigate: (id: string, arg?: string) => void; arg?: string }>;
  keepMounted?: boolean;
}

export const screens: ScreenDef[] = [
  { id: 'station', labelKey: 'nav.station', component: StationScreen, keepMounted: true },
  { id: 'orders', labelKey: 'nav.orders', component: OrdersScreen },
  { id: 'settings', labelKey: 'nav.settings', component: SettingsScreen },
];
