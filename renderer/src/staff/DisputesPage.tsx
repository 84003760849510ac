import { useCallback, useMemo } from 'react';
import { ApiProvider, useApi } from '../api/context';
import { CasesScreen } from '../cases/CasesScreen';
import { NoticesProvider, useNotify } from '../components/Notices';
import { CoverageScreen } from '../insight/CoverageScreen';
import { DashboardScreen } from '../insight/DashboardScreen';
import { isDisputeScreen, type DisputeScreen } from './dispute-screens';
import { staffContractClient } from './staff-contract-client';
import { useStaff } from './staff-context';
import './disputes.css';
import type { PacketSummary } from '../../../shared/domain/cases';
import { PacketActionsContext } from '../cases/packet-actions';
import { PacketShareButton } from './PacketShareButton';

/**
 * The station app's own dispute screens — cases, coverage, dashboard — over every station's
 * evidence mirrored on the hub, for clerks and admins without a shop limit (the hub refuses
 * these calls to anyone else). The screens are the station's, unchanged: they get the
 * contract through a client that speaks the staff route, and the toasts they use.
 * One client for the page's life, so a job followed on one screen is still followed on the next.
 * Loaded on demand (StaffApp): viewers and phones never download these screens.
 */
export function DisputesPage({ screen, arg }: { screen: DisputeScreen; arg?: string }) {
  const { client } = useStaff();
  const api = useMemo(() => staffContractClient(client), [client]);
  return (
    <ApiProvider client={api}>
      {/* outside the toasts: they render beside the screen and take the scoped styles too */}
      <div className="staff-disputes" data-testid={`staff-${screen}`}>
        <NoticesProvider>
          <PacketActionsContext.Provider value={packetActions}>
            <Screen screen={screen} arg={arg} />
          </PacketActionsContext.Provider>
        </NoticesProvider>
      </div>
    </ApiProvider>
  );
}

/** a packet made on the hub can be shared with the platform's agent */
const packetActions = (packet: PacketSummary) => <PacketShareButton packet={packet} />;

function Screen({ screen, arg }: { screen: DisputeScreen; arg?: string }) {
  const navigate = useStaffNavigate();
  if (screen === 'coverage') return <CoverageScreen active navigate={navigate} />;
  if (screen === 'dashboard') return <DashboardScreen active navigate={navigate} />;
  return <CasesScreen active arg={arg} navigate={navigate} />;
}

/**
 * The station screens' `navigate(screen, arg)` as the staff app's hash routes: a case by id
 * (`#cases=<id>`, or `new:<order no>` for the form), the other dispute screens, and an order
 * — which the station names by id and the staff app shows by number (its files from every
 * station, share links), so the id is looked up first.
 */
function useStaffNavigate(): (id: string, arg?: string) => void {
  const { go } = useStaff();
  const api = useApi();
  const notify = useNotify();
  return useCallback(
    (id: string, arg?: string) => {
      if (id === 'orders' && arg) {
        void api.call('orders.get', { id: arg }).then((r) => {
          if (r.ok) go(`order=${encodeURIComponent(r.value.order.orderNo)}`);
          else notify.error(r.error);
        });
      } else if (isDisputeScreen(id)) go(arg ? `${id}=${encodeURIComponent(arg)}` : id);
      else go('');
    },
    [api, go, notify],
  );
}
