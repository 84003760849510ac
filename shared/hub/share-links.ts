/** One opening of a share link: its page, or a file downloaded through it. */
export interface ShareOpen {
  at: string;
  what: 'page' | 'download';
  evidenceId: string | null;
  address: string | null;
  agent: string | null;
}

/** A share link as staff see it on the order (its URL's secret is never kept, so never shown again). */
export interface ShareLink {
  id: string;
  orderNo: string;
  /** a link to a case's packet (its files and zip); null: to the order's evidence */
  packetId: string | null;
  download: boolean;
  /** the maker's name, or `cli` */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
  opens: ShareOpen[];
}

/** The path of a share link's page on the hub. */
export const sharePath = (token: string) => `/s/${token}`;
