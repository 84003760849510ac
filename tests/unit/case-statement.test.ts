import { describe, expect, it } from 'vitest';
import { draftStatement, statementLength, type StatementFacts } from '../../shared/domain/cases';

const facts: StatementFacts = {
  orderNo: '241124-123456789012345',
  trackingNo: 'SF1234567890123',
  appealType: 'goods',
  scenario: 'damaged',
  signForAt: '2026-11-24T02:00:00.000Z',
  refundAt: '2026-11-24T06:30:00.000Z',
  proofBeforeRefusal: false,
  amountClaimedCents: 4990,
  freightKind: null,
  evidence: [
    {
      requirement: 'unboxing-video',
      kind: 'video',
      mode: 'return',
      capturedAt: '2026-11-24T02:10:00.000Z',
      durationMs: 192_000,
      station: 'A1',
      operator: '张三',
      chapters: [
        { step: 'six-sides', atMs: 5000 },
        { step: 'label-closeup', atMs: 40_000 },
        { step: 'problem', atMs: 130_000 },
      ],
    },
    {
      requirement: 'item-label-photo',
      kind: 'photo',
      mode: 'return',
      capturedAt: '2026-11-24T02:14:00.000Z',
      durationMs: null,
      station: 'A1',
      operator: '张三',
      chapters: [],
    },
  ],
};

describe('statement drafting', () => {
  it('drafts from the facts: order, times in local time, what each file shows, chapter times', () => {
    const text = draftStatement(facts, { lang: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(text).toContain('订单号 241124-123456789012345（运单号 SF1234567890123）');
    expect(text).toContain('申诉类型：货款申诉；问题：商品损坏');
    expect(text).toContain('退回包裹于 2026-11-24 10:00 (UTC+08:00) 签收');
    expect(text).toContain('退款于 2026-11-24 14:30 (UTC+08:00) 完成');
    expect(text).toContain('1. 拆包视频（2026-11-24 10:10 (UTC+08:00) 录制，时长 03:12，工位 A1，操作员 张三）');
    expect(text).toContain('视频标记：00:05 包裹六面、00:40 面单特写、02:10 问题部位');
    expect(text).toContain('2. 商品与面单合照');
    expect(text).toContain('¥49.90');
    const en = draftStatement(facts, { lang: 'en', timeZone: 'UTC' });
    expect(en).toContain('The returned parcel was signed for at 2026-11-24 02:00 (UTC+00:00)');
    expect(en).toContain('marks in the video: 00:05 Six sides of the parcel');
  });

  it('never calls a label legible when the checks could not read it', () => {
    expect(draftStatement(facts, { lang: 'zh-CN', timeZone: 'UTC' })).toContain('面单清晰可读');
    const unread: StatementFacts = { ...facts, evidence: facts.evidence.map((e) => ({ ...e, labelRead: false })) };
    const zh = draftStatement(unread, { lang: 'zh-CN', timeZone: 'UTC' });
    expect(zh).not.toContain('面单清晰');
    expect(zh).toContain('连续不间断');
    const en = draftStatement(unread, { lang: 'en', timeZone: 'UTC' });
    expect(en).not.toContain('legible');
    expect(en).toContain('the item and the shipping label together');
  });

  it('stays within the profile length limit, dropping detail before cutting', () => {
    const full = draftStatement(facts, { lang: 'zh-CN', timeZone: 'Asia/Shanghai' });
    for (const limit of [400, 200, 120, 60, 10]) {
      const text = draftStatement(facts, { lang: 'zh-CN', timeZone: 'Asia/Shanghai', maxChars: limit });
      expect(statementLength(text), `limit ${limit}`).toBeLessThanOrEqual(limit);
    }
    const shorter = draftStatement(facts, {
      lang: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      maxChars: statementLength(full) - 1,
    });
    expect(shorter).not.toContain('视频标记'); // chapter times went first
    expect(shorter).toContain('拆包视频');
  });

  it('shipping fee statement names the exact amount and the freight kind', () => {
    const text = draftStatement(
      {
        ...facts,
        appealType: 'shipping',
        scenario: 'shipping-fee',
        amountClaimedCents: 1200,
        freightKind: 'bulky-return',
        evidence: [],
      },
      { lang: 'zh-CN', timeZone: 'Asia/Shanghai' },
    );
    expect(text).toContain('追回运费（大件商品退货运费）¥12.00');
  });
});
