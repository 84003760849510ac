import { describe, expect, it } from 'vitest';
import { attachmentHeader } from '../../electron/web/hub-media-reply';
import { OncePerWindow } from '../../electron/web/once-per-window';
import { pageLang, renderShareEnded, renderSharePage } from '../../electron/web/share-page';

const file = {
  stationId: 's1',
  evidenceId: 'e1',
  orderNo: '<script>alert(1)</script>',
  kind: 'video',
  mode: 'outbound',
  fileName: 'a"b<c>.mp4',
  sha256: 'f'.repeat(64),
  bytes: 3 * 1024 * 1024,
  durationMs: 65_000,
  capturedAt: '2026-12-04T08:00:00.000Z',
  operator: '张三',
  stationName: '打包台 <2>',
  location: '/srv/hub-media/x.mp4',
  chapters: [] as { step: string; atMs: number }[],
};

describe('the share page', () => {
  it('escapes everything a station or an order number brings, and shows no operator or store location', () => {
    const html = renderSharePage({
      lang: 'zh-CN',
      nonce: 'N0NCE',
      orderNo: file.orderNo,
      expiresAt: '2026-12-11T08:00:00.000Z',
      download: false,
      files: [file],
      base: '/s/TOKEN',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('打包台 &lt;2&gt;');
    expect(html).toContain('1:05');
    expect(html).toContain('3.0 MB');
    expect(html).toContain('<style nonce="N0NCE">');
    expect(html).not.toContain('张三');
    expect(html).not.toContain('/srv/hub-media');
    expect(html).not.toContain('download=1');
    expect(html).toContain(
      '<video controls playsinline preload="metadata" poster="/s/TOKEN/t/s1/e1" src="/s/TOKEN/f/s1/e1">',
    );
  });

  it('lists a video’s marks as links that open it at that second, without a script', () => {
    const marked = {
      ...file,
      chapters: [
        { step: 'label-closeup', atMs: 12_400 },
        { step: 'newer-step<x>', atMs: 61_000 },
      ],
    };
    const html = renderSharePage({
      lang: 'en',
      nonce: 'n',
      orderNo: 'PDD1',
      expiresAt: '2026-12-11T08:00:00.000Z',
      download: false,
      files: [marked],
      base: '/s/TOKEN',
    });
    expect(html).toContain('<a href="/s/TOKEN/f/s1/e1#t=12.4">0:12 Label close-up</a>');
    // a step this hub has no name for is shown as the station named it, escaped
    expect(html).toContain('1:01 newer-step&lt;x&gt;</a>');
    expect(html).not.toContain('<script');
  });

  it('an ended link says only that, in the viewer’s language', () => {
    expect(renderShareEnded('en', 'n', 'share-revoked')).toContain('This link has been revoked');
    expect(renderShareEnded('zh-CN', 'n', 'share-expired')).toContain('此链接已过期');
    expect(pageLang('en-US,en;q=0.9')).toBe('en');
    expect(pageLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pageLang(undefined)).toBe('zh-CN');
  });

  it('names a download in UTF-8 with a plain fallback that cannot break the header', () => {
    expect(attachmentHeader('订单 1"2.mp4')).toBe(
      `attachment; filename="__ 1_2.mp4"; filename*=UTF-8''${encodeURIComponent('订单 1"2.mp4')}`,
    );
  });

  it('records a viewing once per window, however many ranges a player fetches', () => {
    const once = new OncePerWindow(60_000);
    expect(once.first('u e1', 0)).toBe(true);
    expect(once.first('u e1', 59_999)).toBe(false);
    expect(once.first('u e2', 1)).toBe(true);
    expect(once.first('u e1', 60_000)).toBe(true);
  });
});
