/**
 * An order's status as ERPs report it, reduced to what the station acts on. Statuses in
 * INTERCEPT_STATUSES stop the packer (拦截): the buyer asked for a refund or the order was
 * cancelled before the parcel left.
 */
export const ORDER_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'completed',
  'refund-requested',
  'refunded',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const INTERCEPT_STATUSES: readonly OrderStatus[] = ['refund-requested', 'refunded', 'cancelled'];

export const isInterceptStatus = (s: string | null | undefined): s is OrderStatus =>
  s != null && (INTERCEPT_STATUSES as readonly string[]).includes(s);

/**
 * The status a back-office export's text means (退款状态 / 订单状态 columns of 聚水潭,
 * 旺店通, 拼多多 … exports, or English words). Refund words win over shipping words: "已发货,
 * 退款中" still has to stop the packer. Unknown text → null (the order keeps its status).
 */
export function statusFromText(text: string | null | undefined): OrderStatus | null {
  const t = (text ?? '').trim().toLowerCase();
  if (!t) return null;
  if ((ORDER_STATUSES as readonly string[]).includes(t)) return t as OrderStatus;
  if (/退款成功|已退款|refunded/.test(t)) return 'refunded';
  if (/(无|没有|未申请|拒绝)退款|退款(关闭|失败|已拒绝|已撤销)/.test(t)) return null;
  if (/退款|售后中|refund/.test(t)) return 'refund-requested';
  if (/取消|作废|交易关闭|已关闭|cancel|closed/.test(t)) return 'cancelled';
  if (/交易成功|已完成|已签收|completed|signed/.test(t)) return 'completed';
  if (/已发货|已出库|shipped/.test(t)) return 'shipped';
  if (/待发货|已付款|待审核|paid/.test(t)) return 'paid';
  if (/待付款|未付款|pending/.test(t)) return 'pending';
  return null;
}
