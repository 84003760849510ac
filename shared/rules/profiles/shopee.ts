import type { RuleProfileInput } from '../profile-schema';

const MiB = 1024 * 1024;

/**
 * Shopee seller proof for return/refund disputes: one short continuous clip (so a
 * too-long video is trimmed to an in/out segment rather than split) and up to three
 * photos per set. Deadlines vary by market and are marked assumed.
 */
export const shopeeProfile: RuleProfileInput = {
  id: 'shopee',
  version: 1,
  name: { 'zh-CN': 'Shopee 虾皮', en: 'Shopee' },
  platform: 'shopee',
  source: { title: 'Shopee Seller Centre: return/refund dispute, upload proof', checkedAt: '2026-11-22' },
  video: {
    formats: { value: ['mp4', 'mov'], basis: 'documented' },
    maxBytes: { value: 30 * MiB, basis: 'documented', note: '30 MB per video.' },
    maxDurationSec: { value: 60, basis: 'documented', note: '60 seconds per video.' },
    minShortSidePx: { value: 720, basis: 'assumed' },
    maxGapSec: { value: 1, basis: 'assumed' },
    overLengthFix: 'trim',
  },
  photo: {
    formats: { value: ['jpg', 'png'], basis: 'documented', note: 'JPG/JPEG/PNG.' },
    maxBytes: { value: 10 * MiB, basis: 'documented', note: '10 MB per photo.' },
    minSharpness: { value: 35, basis: 'assumed' },
    maxFilesPerSet: { value: 3, basis: 'documented', note: 'Up to 3 photos per proof set.' },
  },
  document: {
    formats: { value: ['jpg', 'png', 'pdf'], basis: 'assumed' },
    maxBytes: { value: 10 * MiB, basis: 'assumed' },
  },
  label: { checkPhotos: true, checkVideos: true, barcodeFormats: ['Code128', 'QRCode', 'Code39'] },
  deadlines: {
    evidenceHoursAfterSignFor: {
      value: 72,
      basis: 'assumed',
      note: 'Markets differ (typically 2–3 days to respond); verify for yours.',
    },
    appealDaysAfterRefund: { value: 7, basis: 'assumed', note: 'Verify for your market.' },
  },
  severities: {},
};
