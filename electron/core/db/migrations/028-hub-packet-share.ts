import { portableMigration } from '../migrate';

/**
 * A share link to one case's packet (issue 12), not only to an order: `packet_id` names
 * the packet made on the hub; its page shows the packet's evidence files and its download
 * is the packet's own zip (statement, summary PDF, checksums). NULL: an order's link.
 */
const DDL = `
  ALTER TABLE hub_share_links ADD COLUMN packet_id TEXT;
`;

export const m028HubPacketShare = portableMigration(28, 'hub-packet-share', DDL);
