/**
 * The order facts an import can fill, and how their columns are recognised in the
 * exports of Chinese back offices (拼多多/淘宝/抖店 …) and ERPs, in Chinese or English.
 * A mapping is by header text, not column position: a re-export with reordered or added
 * columns still maps the same way.
 */
export const IMPORT_FIELDS = [
  'orderNo',
  'trackingNo',
  'courier',
  'shippedAt',
  'signedAt',
  'returnTrackingNo',
  'returnSignedAt',
  'item',
  'quantity',
  'amount',
  'buyerNote',
  'orderStatus',
  'shop',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** field → the header text of the column it is read from */
export type ColumnMapping = Partial<Record<ImportField, string>>;

export type FieldType = 'code' | 'time' | 'amount' | 'integer' | 'text';
export const FIELD_TYPES: Record<ImportField, FieldType> = {
  orderNo: 'code',
  trackingNo: 'code',
  courier: 'text',
  shippedAt: 'time',
  signedAt: 'time',
  returnTrackingNo: 'code',
  returnSignedAt: 'time',
  item: 'text',
  quantity: 'integer',
  amount: 'amount',
  buyerNote: 'text',
  orderStatus: 'text',
  shop: 'text',
};

export const REQUIRED_FIELDS: ImportField[] = ['orderNo'];

/** Header texts per field, compared after `normalizeHeader`. Longer, more specific names win. */
const SYNONYMS: Record<ImportField, string[]> = {
  orderNo: [
    '订单号',
    '订单编号',
    '订单id',
    '主订单号',
    '主订单编号',
    '平台订单号',
    '网店订单号',
    '原始单号',
    '原始订单号',
    '交易订单号',
    'orderno',
    'ordernumber',
    'orderid',
    'ordersn',
    'order',
    'platformorderid',
  ],
  trackingNo: [
    '快递单号',
    '运单号',
    '物流单号',
    '快递运单号',
    '物流运单号',
    '面单号',
    '运单编号',
    '快递单号码',
    '发货快递单号',
    'trackingnumber',
    'trackingno',
    'tracking',
    'waybill',
    'waybillno',
    'waybillnumber',
    'awb',
    'logisticsno',
    'shippingnumber',
  ],
  courier: [
    '快递公司',
    '物流公司',
    '承运商',
    '快递',
    '物流',
    'carrier',
    'courier',
    'logisticscompany',
    'shippingcompany',
  ],
  shippedAt: [
    '发货时间',
    '发货日期',
    '出库时间',
    '揽收时间',
    'shiptime',
    'shippedat',
    'shippingtime',
    'shipdate',
    'shippedtime',
    'dispatchtime',
  ],
  signedAt: [
    '签收时间',
    '买家签收时间',
    '妥投时间',
    'signfortime',
    'signedat',
    'deliveredat',
    'deliverytime',
    'signedtime',
  ],
  returnTrackingNo: [
    '退货快递单号',
    '退货运单号',
    '退货物流单号',
    '退回快递单号',
    '退货单号',
    '买家退货单号',
    'returntrackingnumber',
    'returntrackingno',
    'returntracking',
    'returnwaybill',
  ],
  returnSignedAt: [
    '退货签收时间',
    '商家签收时间',
    '退货收货时间',
    '退货入库时间',
    '卖家签收时间',
    'returnsignedat',
    'returnreceivedat',
    'returnsignfortime',
    'returnreceivedtime',
  ],
  item: [
    '商品',
    '商品名称',
    '商品名',
    '宝贝标题',
    '商品标题',
    '货品名称',
    '品名',
    '商品信息',
    'item',
    'itemname',
    'product',
    'productname',
    'title',
    'goods',
    'goodsname',
  ],
  quantity: ['数量', '商品数量', '购买数量', '件数', '发货数量', 'quantity', 'qty'],
  amount: [
    '金额',
    '实付金额',
    '订单金额',
    '商品总价',
    '实收金额',
    '支付金额',
    '用户实付金额',
    '商家实收金额',
    '应付金额',
    '订单总金额',
    'amount',
    'total',
    'paidamount',
    'orderamount',
    'totalamount',
    'payment',
  ],
  buyerNote: [
    '买家留言',
    '买家备注',
    '客户留言',
    '留言',
    '买家留言备注',
    'buyernote',
    'buyermessage',
    'buyerremark',
    'customernote',
    'note',
  ],
  // a refund-status column counts too: its 退款中 / 退款成功 intercept the packer (issue 14)
  orderStatus: ['订单状态', '状态', '交易状态', 'status', 'orderstatus', '退款状态', '售后状态', 'refundstatus'],
  // a 3PL's client: which of its shops the order belongs to (staff can be limited to shops, issue 12)
  shop: [
    '店铺',
    '店铺名称',
    '店铺名',
    '网店',
    '网店名称',
    '店铺昵称',
    '所属店铺',
    'shop',
    'shopname',
    'store',
    'storename',
  ],
};

/** "订单号（必填）", " Order No. ", "快递单号:" → comparable text */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s_\-.:：/\\#*]+/g, '')
    .trim();
}

/**
 * Guess which column each field comes from. Exact (normalised) matches first, then the
 * longest synonym contained in a header ("退货快递单号(新)" is a return tracking number,
 * not a tracking number). Each header serves one field at most.
 */
export function guessMapping(headers: string[]): ColumnMapping {
  const norm = headers.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const i = norm.findIndex((h, idx) => !used.has(idx) && h !== '' && SYNONYMS[field].includes(h));
    if (i >= 0) {
      mapping[field] = headers[i];
      used.add(i);
    }
  }
  const candidates: { field: ImportField; idx: number; len: number }[] = [];
  for (const field of IMPORT_FIELDS) {
    if (mapping[field]) continue;
    norm.forEach((h, idx) => {
      if (used.has(idx) || h === '') return;
      for (const syn of SYNONYMS[field])
        if (syn.length >= 2 && h.includes(syn)) candidates.push({ field, idx, len: syn.length });
    });
  }
  candidates.sort((a, b) => b.len - a.len);
  for (const c of candidates) {
    if (mapping[c.field] || used.has(c.idx)) continue;
    mapping[c.field] = headers[c.idx];
    used.add(c.idx);
  }
  return mapping;
}

/** How many cells of a row look like known headers: finds the header row under title lines. */
export function headerScore(row: string[]): number {
  return Object.keys(guessMapping(row)).length;
}

/** The header row among the first rows: the one naming the most fields, else the first full row. */
export function guessHeaderRow(rows: string[][]): number {
  let best = -1;
  let bestScore = 0;
  rows.slice(0, 20).forEach((r, i) => {
    const s = headerScore(r);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  if (best >= 0) return best;
  const widest = Math.max(0, ...rows.slice(0, 20).map((r) => r.filter((c) => c.trim()).length));
  const i = rows.findIndex((r) => r.filter((c) => c.trim()).length === widest);
  return Math.max(0, i);
}

/** A mapping remembered for one source may name headers a new file lacks: keep what fits, guess the rest. */
export function reconcileMapping(saved: ColumnMapping | null, headers: string[]): ColumnMapping {
  const guessed = guessMapping(headers);
  if (!saved) return guessed;
  const have = new Set(headers);
  const out: ColumnMapping = {};
  const taken = new Set<string>();
  for (const f of IMPORT_FIELDS) {
    const h = saved[f];
    if (h && have.has(h)) {
      out[f] = h;
      taken.add(h);
    }
  }
  for (const f of IMPORT_FIELDS) {
    const h = guessed[f];
    if (!out[f] && h && !taken.has(h) && !(f in saved && saved[f] === '')) {
      out[f] = h;
      taken.add(h);
    }
  }
  return out;
}
