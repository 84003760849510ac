import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { shortRef } from '../../../shared/domain/id';
import {
  formatAmount,
  formatClock,
  formatLocalTime,
  type CaseDetail,
  type ExportProblem,
  type PacketFileKind,
  type RequirementId,
} from '../../../shared/domain/cases';
import { translate, type Lang } from '../../../shared/i18n';
import { loadCjkFont } from './pdf-font';
import { pdfFontkit } from './pdf-fontkit';
import type { Thumb } from './thumbnails';

export interface SummaryFile {
  name: string;
  kind: PacketFileKind;
  requirement: RequirementId | null;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  capturedAt: string | null;
  thumbs: Thumb[];
}

export interface SummaryInput {
  lang: Lang;
  timeZone?: string;
  appVersion: string;
  generatedAt: string;
  detail: CaseDetail;
  files: SummaryFile[];
  problems: ExportProblem[];
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.42, 0.42, 0.46);
const STATE_COLOR: Record<string, RGB> = {
  present: rgb(0.13, 0.55, 0.25),
  missing: rgb(0.75, 0.12, 0.12),
  failing: rgb(0.85, 0.45, 0.05),
};

/**
 * The summary sheet (申诉摘要) of a packet: case facts, deadlines, the checklist, the
 * statement, and key frames / thumbnails of every video and photo. All text is drawn
 * with an embedded, subset CJK font so Chinese renders in any viewer and stays
 * extractable (copy-paste, search).
 */
export async function buildSummaryPdf(input: SummaryInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfFontkit as never);
  const font = await doc.embedFont(await loadCjkFont(), { subset: true });
  const t = (key: string, params?: Record<string, string | number | null>) => translate(input.lang, key, params);
  const time = (iso: string | null) => (iso ? formatLocalTime(iso, { timeZone: input.timeZone, seconds: false }) : '—');
  const w = new Writer(doc, font);
  const { case: c, order, checklist, profile } = input.detail;

  w.text(t('pdf.title'), { size: 18 });
  w.text(`${t('pdf.order')} ${order.orderNo}`, { size: 11, color: MUTED });
  w.gap(8);

  w.heading(t('pdf.facts'));
  const facts: [string, string][] = [
    [t('pdf.order'), order.orderNo],
    [t('pdf.tracking'), order.trackingNo ?? '—'],
    [t('pdf.profile'), `${profile.name[input.lang]} (${profile.id} v${profile.version})`],
    [t('pdf.appealType'), t(`appealType.${c.appealType}`)],
    [t('pdf.scenario'), t(`scenario.${c.scenario}`)],
    [t('pdf.signFor'), time(c.signForAt)],
    [t('pdf.refund'), time(c.refundAt)],
    [t('pdf.evidenceDue'), time(c.evidenceDueAt)],
    [t('pdf.appealDue'), time(c.appealDueAt)],
    [t('pdf.amount'), c.amountClaimedCents != null ? `¥${formatAmount(c.amountClaimedCents)}` : '—'],
    [t('pdf.status'), t(`caseStatus.${c.status}`)],
  ];
  if (c.notes) facts.push([t('pdf.notes'), c.notes]);
  for (const [k, v] of facts) w.pair(k, v);

  w.heading(t('pdf.checklist'));
  for (const item of checklist.items) {
    const names = input.files.filter((f) => f.requirement === item.requirement).map((f) => f.name);
    w.checkItem(
      t(`checklist.${item.state}`),
      STATE_COLOR[item.state],
      `${t(`requirement.${item.requirement}`)} (${t(item.required ? 'checklist.required' : 'checklist.recommended')})`,
      names.join(', '),
    );
  }
  if (input.problems.length) {
    w.gap(4);
    for (const p of input.problems) {
      w.text(
        t(`packet.problem.${p.reason}`, { id: shortRef(p.evidenceId), requirement: t(`requirement.${p.requirement}`) }),
        {
          size: 9,
          color: STATE_COLOR.failing,
        },
      );
    }
  }

  w.heading(t('pdf.statement'));
  for (const para of input.detail.statement.split(/\r?\n/)) w.text(para, { size: 10 });

  w.heading(t('pdf.evidence'));
  for (const f of input.files.filter((x) => x.kind === 'video' || x.kind === 'photo' || x.kind === 'document')) {
    const meta = [
      t(`kind.${f.kind}`),
      f.capturedAt ? time(f.capturedAt) : null,
      f.durationMs ? formatClock(f.durationMs) : null,
      formatBytes(f.bytes),
    ]
      .filter(Boolean)
      .join(' · ');
    w.keepTogether(f.thumbs.length ? 150 : 40);
    w.text(f.name, { size: 10 });
    w.text(meta, { size: 8.5, color: MUTED });
    w.text(`SHA-256 ${f.sha256}`, { size: 7.5, color: MUTED });
    if (f.thumbs.length) {
      const captions = f.thumbs.map((th) =>
        th.atMs != null ? `${formatClock(th.atMs)}${th.step ? ` ${t(`step.${th.step}`)}` : ''}` : '',
      );
      await w.images(
        f.thumbs.map((th) => th.jpeg),
        captions,
      );
    }
    w.gap(6);
  }

  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const footer = t('pdf.footer', {
      version: input.appVersion,
      time: time(input.generatedAt),
      page: i + 1,
      pages: pages.length,
    });
    page.drawText(footer, { x: MARGIN, y: 22, size: 7.5, font, color: MUTED });
  });
  doc.setTitle(`${t('pdf.title')} ${order.orderNo}`);
  doc.setCreator('ProofPack');
  doc.setProducer(`ProofPack ${input.appVersion}`);
  doc.setCreationDate(new Date(input.generatedAt));
  doc.setModificationDate(new Date(input.generatedAt));
  return doc.save();
}

const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KB` : `${n} B`;

/** A top-to-bottom page writer: wraps text, starts new pages, lays out thumbnails. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  private readonly width = A4[0] - MARGIN * 2;

  constructor(
    private doc: PDFDocument,
    private font: PDFFont,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  keepTogether(height: number) {
    if (this.y - height < MARGIN + 16) this.newPage();
  }

  gap(h: number) {
    this.y -= h;
  }

  heading(text: string) {
    this.gap(8);
    this.keepTogether(40);
    this.text(text, { size: 13 });
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - 5 },
      end: { x: MARGIN + this.width, y: this.y - 5 },
      thickness: 0.5,
      color: MUTED,
    });
    this.gap(10);
  }

  text(text: string, opts: { size: number; color?: RGB; indent?: number }) {
    const indent = opts.indent ?? 0;
    const lines = wrap(clean(text), (s) => this.font.widthOfTextAtSize(s, opts.size), this.width - indent);
    for (const line of lines.length ? lines : ['']) {
      this.keepTogether(opts.size * 1.5);
      this.y -= opts.size * 1.45;
      if (line)
        this.page.drawText(line, {
          x: MARGIN + indent,
          y: this.y,
          size: opts.size,
          font: this.font,
          color: opts.color ?? INK,
        });
    }
  }

  pair(label: string, value: string) {
    const size = 10;
    this.keepTogether(size * 1.5);
    const top = this.y;
    this.y -= size * 1.45;
    this.page.drawText(clean(label), { x: MARGIN, y: this.y, size, font: this.font, color: MUTED });
    this.y = top;
    this.text(value, { size, indent: 110 });
  }

  checkItem(state: string, color: RGB, label: string, files: string) {
    const size = 10;
    this.keepTogether(size * 3);
    this.y -= size * 1.45;
    this.page.drawRectangle({ x: MARGIN, y: this.y - 2, width: 62, height: size + 4, color, opacity: 0.9 });
    this.page.drawText(clean(state), {
      x: MARGIN + 4,
      y: this.y,
      size: size - 1,
      font: this.font,
      color: rgb(1, 1, 1),
    });
    this.page.drawText(clean(label), { x: MARGIN + 70, y: this.y, size, font: this.font, color: INK });
    if (files) this.text(files, { size: 8, color: MUTED, indent: 70 });
  }

  async images(jpegs: Uint8Array[], captions: string[]) {
    const perRow = 3;
    const gapX = 8;
    const cellW = (this.width - gapX * (perRow - 1)) / perRow;
    for (let i = 0; i < jpegs.length; i += perRow) {
      const row = await Promise.all(jpegs.slice(i, i + perRow).map((j) => this.doc.embedJpg(j)));
      const h = Math.max(...row.map((img) => (img.height / img.width) * cellW));
      this.keepTogether(h + 16);
      row.forEach((img, k) => {
        const ih = (img.height / img.width) * cellW;
        this.page.drawImage(img, { x: MARGIN + k * (cellW + gapX), y: this.y - ih, width: cellW, height: ih });
        const cap = captions[i + k];
        if (cap)
          this.page.drawText(clean(cap), {
            x: MARGIN + k * (cellW + gapX),
            y: this.y - h - 10,
            size: 7.5,
            font: this.font,
            color: MUTED,
          });
      });
      this.y -= h + 14;
    }
  }
}

// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');

/** Greedy wrap: Latin words stay whole, CJK may break between any two characters. */
export function wrap(text: string, measure: (s: string) => number, width: number): string[] {
  const tokens = text.match(/[\x21-\x7e]+|\s+|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const tok of tokens) {
    const next = line + tok;
    if (measure(next) <= width || line === '') {
      if (measure(tok) > width && line === '') {
        // a single token wider than the line (a hash, a long number): break it by characters
        for (const ch of Array.from(tok)) {
          if (measure(line + ch) > width && line) {
            lines.push(line);
            line = ch;
          } else line += ch;
        }
      } else line = next;
    } else {
      lines.push(line.trimEnd());
      line = /^\s+$/.test(tok) ? '' : tok;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}
