import type { ComponentType } from 'react';
import { StationScreen } from '../station/StationScreen';
import { OrdersScreen } from '../orders/OrdersScreen';
import { CasesScreen } from '../cases/CasesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { ProfilesScreen } from '../checks/ProfilesScreen';
import { StorageScreen } from '../storage/StorageScreen';
import { ImportScreen } from '../insight/ImportScreen';
import { CoverageScreen } from '../insight/CoverageScreen';
import { DashboardScreen } from '../insight/DashboardScreen';

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
  { id: 'cases', labelKey: 'nav.cases', component: CasesScreen },
  { id: 'import', labelKey: 'nav.import', component: ImportScreen },
  { id: 'coverage', labelKey: 'nav.coverage', component: CoverageScreen },
  { id: 'dashboard', labelKey: 'nav.dashboard', component: DashboardScreen },
  { id: 'storage', labelKey: 'nav.storage', component: StorageScreen },
  { id: 'profiles', labelKey: 'profiles.title', component: ProfilesScreen },
  { id: 'settings', labelKey: 'nav.settings', component: SettingsScreen },
];
