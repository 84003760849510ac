import { createContext, useContext, type ReactNode } from 'react';
import type { PacketSummary } from '../../../shared/domain/cases';

/**
 * What else a packet in a case's list offers where the screen runs: nothing at a station;
 * on the hub's staff app a share link to the packet (staff/PacketShareButton.tsx). The case
 * screens stay the station's own: the staff app provides this, the station does not.
 */
export const PacketActionsContext = createContext<((packet: PacketSummary) => ReactNode) | null>(null);

export function PacketActions({ packet }: { packet: PacketSummary }) {
  const render = useContext(PacketActionsContext);
  return render ? <>{render(packet)}</> : null;
}
