import { translate, type Lang } from '../../shared/i18n';
import { formatLocalTime } from '../../shared/domain/cases/time-format';
import type { OrderFile } from '../../shared/hub/hub-file';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The viewer's language from Accept-Language: English only when they prefer it, Chinese otherwise. */
export function pageLang(acceptLanguage: string | undefined): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/** capture and expiry times as `2026-12-04 16:25:53 (UTC+08:00)`: unambiguous for whoever reads them, wherever */
const when = (_lang: Lang, iso: string) => formatLocalTime(iso);

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Phone first: one column, media as wide as the screen, the hash wrapping instead of overflowing. */
const STYLE = `
  body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1d2129}
  header{background:#1d2129;color:#fff;padding:14px 16px}
  header h1{font-size:18px;margin:0}
  header p{margin:4px 0 0;color:#c9cdd4;font-size:13px}
  main{max-width:880px;margin:0 auto;padding:12px}
  article{background:#fff;border-radius:8px;margin:0 0 14px;overflow:hidden;box-shadow:0 1px 2px #0001}
  video,img{display:block;width:100%;max-height:75vh;background:#000;object-fit:contain}
  dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0;padding:10px 14px}
  dt{color:#86909c}dd{margin:0;word-break:break-all}
  .marks{display:flex;flex-wrap:wrap;gap:6px;list-style:none;margin:0;padding:0 14px 10px}
  .marks a{display:inline-block;padding:4px 10px;border-radius:14px;background:#e8f3ff;color:#165dff;text-decoration:none;font-size:13px}
  .hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
  a.dl.all{margin:0 0 14px}
  a.dl{display:block;margin:0 14px 12px;padding:10px;text-align:center;border-radius:6px;background:#165dff;color:#fff;text-decoration:none}
  footer{color:#86909c;font-size:12px;text-align:center;padding:8px 16px 24px}
  .ended{max-width:520px;margin:15vh auto;background:#fff;border-radius:8px;padding:24px;text-align:center}
`;

function page(lang: Lang, nonce: string, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${body}</body></html>`;
}

/** A share link's page: the order's videos and photos with when, where and the SHA-256 of each. */
export function renderSharePage(opts: {
  lang: Lang;
  nonce: string;
  orderNo: string;
  expiresAt: string;
  download: boolean;
  files: OrderFile[];
  /** a case's packet: its own title, and its zip to download */
  packet?: boolean;
  /** this link's path, e.g. /s/TOKEN */
  base: string;
}): string {
  const t = (key: string, p?: Record<string, string | number>) => translate(opts.lang, key, p);
  const cards = opts.files.map((f) => {
    const id = `${encodeURIComponent(f.stationId)}/${encodeURIComponent(f.evidenceId)}`;
    const src = `${opts.base}/f/${id}`;
    // the poster: phones (iOS) show no frame of a video before it plays
    const shown =
      f.kind === 'video'
        ? `<video controls playsinline preload="metadata" poster="${esc(`${opts.base}/t/${id}`)}" src="${esc(src)}"></video>`
        : f.kind === 'photo'
          ? `<img alt="${esc(f.fileName)}" src="${esc(src)}">`
          : '';
    const rows: [string, string, string?][] = [
      [t('share.file'), f.fileName],
      [t('share.captured'), when(opts.lang, f.capturedAt)],
      [t('share.station'), f.stationName],
      [t('share.size'), size(f.bytes)],
      ...(f.durationMs ? ([[t('share.duration'), duration(f.durationMs)]] as [string, string][]) : []),
      ['SHA-256', f.sha256, 'hash'],
    ];
    // a step a newer station knows and this hub does not: its own name rather than a key
    const stepName = (step: string) => (t(`step.${step}`) === `step.${step}` ? step : t(`step.${step}`));
    // no script on this page: a mark opens the video at that second (a media fragment)
    const marks = f.chapters.length
      ? `<ol class="marks" aria-label="${esc(t('share.marks'))}">${f.chapters
          .map(
            (c) =>
              `<li><a href="${esc(src)}#t=${(c.atMs / 1000).toFixed(1)}">${esc(duration(c.atMs))} ${esc(stepName(c.step))}</a></li>`,
          )
          .join('')}</ol>`
      : '';
    const dl = opts.download
      ? `<a class="dl" href="${esc(src)}?download=1" download>${esc(t('share.download'))}</a>`
      : '';
    return `<article>${shown}<dl>${rows
      .map(([k, v, cls]) => `<dt>${esc(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${esc(v)}</dd>`)
      .join('')}</dl>${marks}${dl}</article>`;
  });
  const title = t(opts.packet ? 'share.packetTitle' : 'share.title', { order: opts.orderNo });
  const sub = t(opts.download ? 'share.untilDownload' : 'share.untilView', { until: when(opts.lang, opts.expiresAt) });
  return page(
    opts.lang,
    opts.nonce,
    title,
    `<header><h1>${esc(title)}</h1><p>${esc(sub)}</p></header><main>${
      opts.download && (opts.packet || opts.files.length > 1)
        ? `<a class="dl all" href="${esc(opts.base)}/zip" download>${esc(
            opts.packet ? t('share.downloadPacket') : t('share.downloadAll', { n: opts.files.length }),
          )}</a>`
        : ''
    }${
      cards.join('') || `<article><dl><dd>${esc(t('share.noFiles'))}</dd></dl></article>`
    }</main><footer>${esc(t('share.footer'))}</footer>`,
  );
}

/** What a link that ended (410) or never was (404) shows: nothing about the order or the hub. */
export function renderShareEnded(lang: Lang, nonce: string, problem: string): string {
  const text = translate(lang, `problem.${problem}`);
  return page(lang, nonce, text, `<div class="ended"><h1>${esc(text)}</h1></div>`);
}
