import type { MessageBundle } from '../index';

/**
 * The notes and source titles of the built-in rule profiles (shared/rules/profiles), in
 * both UI languages. The profile data keeps one English note per value (it is also what
 * the CLI and a JSON export show); the rules screen shows these instead while a note is
 * still the shipped text, so zh-CN staff read no English. Keys: profileNote.<id>.<path>.
 */
export const profileNotes: MessageBundle = {
  'zh-CN': {
    'profileNote.pdd.source': '拼多多商家后台 售后举证指南（开箱视频、举证时效、维权退款订单申诉）',
    'profileNote.pdd.video.formats': '指南列表以“等”结尾；未列出 WebM。',
    'profileNote.pdd.video.maxBytes': '300 MB，按 300 × 1024 × 1024 字节计。',
    'profileNote.pdd.video.maxDurationSec': '每个文件最长 10 分钟。',
    'profileNote.pdd.video.minShortSidePx': '指南要求视频清晰；720p 是面单可读的最低要求（本软件设定）。',
    'profileNote.pdd.video.maxGapSec': '指南要求连续不间断；超过 1 秒的停顿会被标出。',
    'profileNote.pdd.photo.formats': '指南未规定照片格式。',
    'profileNote.pdd.photo.maxBytes': '指南未规定照片大小上限。',
    'profileNote.pdd.photo.minSharpness': '模糊度阈值（按 1024 像素计算的拉普拉斯方差）。',
    'profileNote.pdd.deadlines.evidenceHoursAfterSignFor': '退货包裹签收后。',
    'profileNote.pdd.deadlines.evidenceHoursProofBeforeRefusal': '先举证、随后拒签包裹（先举证后拒签）时。',
    'profileNote.pdd.deadlines.appealDaysAfterRefund': '维权退款订单申诉：退款成功后 7 天内。',
    'profileNote.shopee.source': 'Shopee 卖家中心：退货/退款争议，上传证明',
    'profileNote.shopee.video.maxBytes': '每个视频 30 MB。',
    'profileNote.shopee.video.maxDurationSec': '每个视频 60 秒。',
    'profileNote.shopee.photo.formats': 'JPG/JPEG/PNG。',
    'profileNote.shopee.photo.maxBytes': '每张照片 10 MB。',
    'profileNote.shopee.photo.maxFilesPerSet': '每组证明最多 3 张照片。',
    'profileNote.shopee.deadlines.evidenceHoursAfterSignFor': '各站点不同（通常 2–3 天内回应），请按你的站点核实。',
    'profileNote.shopee.deadlines.appealDaysAfterRefund': '请按你的站点核实。',
  },
  en: {
    'profileNote.pdd.source':
      'Pinduoduo merchant back office: after-sales evidence guide (unboxing video, evidence deadlines, refunded-order appeals)',
    'profileNote.pdd.video.formats': 'The guide ends the list with "etc."; WebM is not listed.',
    'profileNote.pdd.video.maxBytes': '300 MB, counted as 300 × 1024 × 1024 bytes.',
    'profileNote.pdd.video.maxDurationSec': 'At most 10 minutes per file.',
    'profileNote.pdd.video.minShortSidePx': 'The guide asks for a clear video; 720p is our floor for a readable label.',
    'profileNote.pdd.video.maxGapSec':
      'The guide asks for a continuous, uninterrupted video; a pause over 1 s is flagged.',
    'profileNote.pdd.photo.formats': 'The guide names no photo formats.',
    'profileNote.pdd.photo.maxBytes': 'The guide names no photo size limit.',
    'profileNote.pdd.photo.minSharpness': 'Blur score threshold (Laplacian variance at 1024 px).',
    'profileNote.pdd.deadlines.evidenceHoursAfterSignFor': 'After the returned parcel is signed for (签收).',
    'profileNote.pdd.deadlines.evidenceHoursProofBeforeRefusal':
      'When evidence is given first and the parcel then refused (先举证后拒签).',
    'profileNote.pdd.deadlines.appealDaysAfterRefund':
      'Appeal of a refunded order (维权退款订单申诉) within 7 days of the refund.',
    'profileNote.shopee.source': 'Shopee Seller Centre: return/refund dispute, upload proof',
    'profileNote.shopee.video.maxBytes': '30 MB per video.',
    'profileNote.shopee.video.maxDurationSec': '60 seconds per video.',
    'profileNote.shopee.photo.formats': 'JPG/JPEG/PNG.',
    'profileNote.shopee.photo.maxBytes': '10 MB per photo.',
    'profileNote.shopee.photo.maxFilesPerSet': 'Up to 3 photos per proof set.',
    'profileNote.shopee.deadlines.evidenceHoursAfterSignFor':
      'Markets differ (typically 2–3 days to respond); verify for yours.',
    'profileNote.shopee.deadlines.appealDaysAfterRefund': 'Verify for your market.',
  },
};
