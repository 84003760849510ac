import type { RuleProfileInput } from '../profile-schema';

const MiB = 1024 * 1024;

/**
 * Pinduoduo (拼多多), the default profile. Documented values come from the platform's
 * after-sales evidence guide for merchants (see SPEC.md "Documented evidence rules");
 * everything the guide does not state is marked `assumed` and shown as such in the UI.
 */
export const pddProfile: RuleProfileInput = {
  id: 'pdd',
  version: 1,
  name: { 'zh-CN': '拼多多', en: 'Pinduoduo' },
  platform: 'pinduoduo',
  source: { title: '拼多多商家后台 售后举证指南（开箱视频、举证时效、维权退款订单申诉）', checkedAt: '2026-11-22' },
  video: {
    formats: {
      value: ['wmv', 'avi', '3gp', 'mov', 'mp4', 'flv', 'rmvb', 'mkv', 'm4v'],
      basis: 'documented',
      note: 'The guide ends the list with "etc."; WebM is not listed.',
    },
    maxBytes: { value: 300 * MiB, basis: 'documented', note: '300 MB, counted as 300 × 1024 × 1024 bytes.' },
    maxDurationSec: { value: 600, basis: 'documented', note: 'At most 10 minutes per file.' },
    minShortSidePx: {
      value: 720,
      basis: 'assumed',
      note: 'The guide asks for a clear video; 720p is our floor for a readable label.',
    },
    maxGapSec: {
      value: 1,
      basis: 'assumed',
      note: 'The guide asks for a continuous, uninterrupted video; a pause over 1 s is flagged.',
    },
    overLengthFix: 'split',
  },
  photo: {
    formats: { value: ['jpg', 'png'], basis: 'assumed', note: 'The guide names no photo formats.' },
    maxBytes: { value: 10 * MiB, basis: 'assumed', note: 'The guide names no photo size limit.' },
    minSharpness: { value: 35, basis: 'assumed', note: 'Blur score threshold (Laplacian variance at 1024 px).' },
  },
  document: {
    formats: { value: ['pdf', 'jpg', 'png'], basis: 'assumed' },
    maxBytes: { value: 10 * MiB, basis: 'assumed' },
  },
  label: { checkPhotos: true, checkVideos: true, barcodeFormats: ['Code128', 'QRCode', 'Code39'] },
  deadlines: {
    evidenceHoursAfterSignFor: {
      value: 24,
      basis: 'documented',
      note: 'After the returned parcel is signed for (签收).',
    },
    evidenceHoursProofBeforeRefusal: {
      value: 48,
      basis: 'documented',
      note: 'When evidence is given first and the parcel then refused (先举证后拒签).',
    },
    appealDaysAfterRefund: {
      value: 7,
      basis: 'documented',
      note: 'Appeal of a refunded order (维权退款订单申诉) within 7 days of the refund.',
    },
  },
  severities: {},
};
