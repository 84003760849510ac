import { describe, expect, it } from 'vitest';
import { isInterceptStatus, statusFromText } from '../../shared/domain/order-status';

describe('order status from an export’s text', () => {
  it.each([
    ['退款中', 'refund-requested'],
    ['买家申请退款', 'refund-requested'],
    ['已发货，退款中', 'refund-requested'],
    ['售后中', 'refund-requested'],
    ['退款成功', 'refunded'],
    ['已退款', 'refunded'],
    ['交易关闭', 'cancelled'],
    ['已取消', 'cancelled'],
    ['Cancelled', 'cancelled'],
    ['已发货', 'shipped'],
    ['待发货', 'paid'],
    ['交易成功', 'completed'],
    ['refund-requested', 'refund-requested'],
    ['无退款申请', null],
    ['退款关闭', null],
    ['', null],
    ['随便写的', null],
  ])('%s → %s', (text, status) => {
    expect(statusFromText(text)).toBe(status);
  });

  it('only refund and cancel statuses intercept', () => {
    expect(['refund-requested', 'refunded', 'cancelled'].every(isInterceptStatus)).toBe(true);
    expect(['paid', 'shipped', 'completed', 'pending', null].some(isInterceptStatus)).toBe(false);
  });
});
