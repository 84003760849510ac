import { portableMigration } from '../migrate';

/**
 * Orders carry a shop (issue 12): a 3PL packs for many client shops, and a hub user can be
 * limited to some of them. Filled from the order import's 店铺 column, else by the
 * station's current shop (Settings) when a scan creates the order. NULL: not known.
 */
const DDL = `
  ALTER TABLE orders ADD COLUMN shop TEXT;
  CREATE INDEX orders_shop ON orders(shop);
`;

export const m022OrderShop = portableMigration(22, 'order-shop', DDL);
