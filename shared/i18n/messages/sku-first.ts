import type { MessageBundle } from '../index';

/** SKU-first packing (issue 14): provisional orders and linking them. */
export const skuFirst: MessageBundle = {
  'zh-CN': {
    'station.overlay.provisional': '待关联 · SKU {sku}',
    'station.provisionalHint': '由商品 {sku} 开始录制：请扫描面单或订单号关联订单',
    'station.linked': '已关联到订单 {order}，继续录制',
    'station.itemScanned': '已扫商品 {sku}',
    'problem.link-needs-order': '{code} 不是订单号或快递单号：请扫描面单或订单号',
    'problem.order-not-provisional': '{orderNo} 不是待关联订单',
    'problem.order-already-linked': '{orderNo} 已关联过订单',
    'problem.recording-has-order': '这段录像已属于订单 {orderNo}',
    'orders.unlinked.title': '待关联订单（先扫商品、未扫面单）',
    'orders.unlinked.help':
      '这些录像开始于商品条码，录制中没有扫到订单号或面单。扫描或输入真实的订单号/快递单号即可关联，录像随之归入该订单。',
    'orders.unlinked.sku': 'SKU',
    'orders.unlinked.started': '开始时间',
    'orders.unlinked.files': '文件数',
    'orders.unlinked.code': '订单号或快递单号',
    'orders.unlinked.link': '关联',
    'orders.unlinked.linked': '{from} 已关联到订单 {order}',
  },
  en: {
    'station.overlay.provisional': 'to be linked · SKU {sku}',
    'station.provisionalHint': 'Started from item {sku}: scan the label or the order number to link the order',
    'station.linked': 'Linked to order {order}; still recording',
    'station.itemScanned': 'Item scanned: {sku}',
    'problem.link-needs-order': '{code} is not an order or tracking number: scan the label or the order number',
    'problem.order-not-provisional': '{orderNo} is not a provisional order',
    'problem.order-already-linked': '{orderNo} is already linked',
    'problem.recording-has-order': 'This recording is for order {orderNo} already',
    'orders.unlinked.title': 'Orders to link (item scanned, label never scanned)',
    'orders.unlinked.help':
      'These recordings started from an item barcode and no order or tracking number was scanned while recording. Scan or type the real order or tracking number to link one; its files move to that order.',
    'orders.unlinked.sku': 'SKU',
    'orders.unlinked.started': 'Started',
    'orders.unlinked.files': 'Files',
    'orders.unlinked.code': 'Order or tracking number',
    'orders.unlinked.link': 'Link',
    'orders.unlinked.linked': '{from} linked to order {order}',
  },
};
