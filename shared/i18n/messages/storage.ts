import type { MessageBundle } from '../index';

/** Storage (disk guard, retention, moving the data folder) and crash recovery notices. */
export const storage: MessageBundle = {
  'zh-CN': {
    'nav.storage': '存储',
    'storage.title': '存储与保留',
    'storage.disk': '磁盘空间',
    'storage.freeOf': '可用 {free}（共 {total}）',
    'storage.belowReserve': '低于预留空间，无法开始录像',
    'storage.evidence': '证据文件 {count} 个，共 {size}；已按保留规则删除 {purged} 个（{purgedSize}）',
    'storage.rules': '规则',
    'storage.reserveGb': '预留空间（GB，整块磁盘的剩余空间低于此值时不再录像）',
    'storage.retentionEnabled': '自动删除过期录像',
    'storage.retentionDays': '{mode}录像保留天数',
    'storage.pinnedHint': '有进行中申诉的订单、或申诉结束但仍在申诉期内的订单，其录像和照片永不删除。',
    'storage.retention': '过期录像清理',
    'storage.preview': '预览（不删除）',
    'storage.runNow': '立即清理',
    'storage.wouldDelete':
      '将删除 {count} 个文件，释放 {size}；{pinned} 个因申诉需要而保留，{skipped} 个仍被引用而保留',
    'storage.location': '数据文件夹位置',
    'storage.moveTo': '移动到',
    'storage.movePlaceholder': '新位置的完整路径，例如 D:\\ProofPack',
    'storage.moveHint':
      '全部文件（含数据库）逐个复制并校验哈希，切换后才删除旧位置的文件；旧位置留下指向新位置的小文件。',
    'storage.move': '移动数据文件夹',
    'storage.lowDiskDetail': '剩余 {free} GB，低于预留的 {reserve} GB。请清理磁盘或在“存储”中调整。',
    'storage.lowDiskStopped': '剩余 {free} GB，低于预留的 {reserve} GB：录像已停止，已录部分已保存',
    'storage.lowDiskSoon': '磁盘空间即将不足（剩余 {freeGb} GB）',
    'storage.movingBusy': '正在移动数据文件夹，请稍候再试',
    'storage.cli.disabled': '保留规则已关闭，未删除任何文件',
    'storage.cli.dryRun': '预览：将删除 {count} 个文件，释放 {mb} MB（{pinned} 个因申诉保留，{skipped} 个仍被引用）',
    'storage.cli.done': '已删除 {count} 个文件，释放 {mb} MB（{pinned} 个因申诉保留，{skipped} 个仍被引用）',
    'startup.recording.waitingForSpace': '一段中断的录像因磁盘已满暂未保存，原始文件已保留，腾出空间后自动保存',
    'startup.storage.lowDisk': '磁盘空间不足：剩余 {freeGb} GB，低于预留的 {reserveGb} GB，无法开始录像',
    'notice.recordingRecovered': '录像页面意外中断，订单 {orderNo} 已录制的部分已保存（标记为“已恢复”）',
    'notice.recordingUnrecoverable': '一段中断的录像没有可用画面，原始文件已保留',
    'notice.recordingWaitingForSpace': '磁盘已满：录像原始文件已保留，腾出空间后自动保存',
    'error.DATA_DIR_IN_USE': 'ProofPack 已经在使用这个数据文件夹（另一个窗口或程序正在运行）',
    'error.DATA_DIR_MISSING': '数据文件夹已移动到别处，但现在无法访问（磁盘是否已连接？）：{detail}',
  },
  en: {
    'nav.storage': 'Storage',
    'storage.title': 'Storage and retention',
    'storage.disk': 'Disk space',
    'storage.freeOf': '{free} free of {total}',
    'storage.belowReserve': 'below the reserve: no recording can start',
    'storage.evidence': '{count} evidence files, {size}; retention has deleted {purged} ({purgedSize})',
    'storage.rules': 'Rules',
    'storage.reserveGb': 'Reserve (GB of free space on the whole disk; below it no recording starts)',
    'storage.retentionEnabled': 'Delete old footage automatically',
    'storage.retentionDays': 'Keep {mode} footage for (days)',
    'storage.pinnedHint':
      'Footage of an order with an open case, or a case closed less than its appeal window ago, is never deleted.',
    'storage.retention': 'Old footage clean-up',
    'storage.preview': 'Preview (deletes nothing)',
    'storage.runNow': 'Clean up now',
    'storage.wouldDelete':
      '{count} files would be deleted, freeing {size}; {pinned} kept for cases, {skipped} kept because still referenced',
    'storage.location': 'Data folder location',
    'storage.moveTo': 'Move to',
    'storage.movePlaceholder': 'Full path of the new location, e.g. /mnt/evidence/ProofPack',
    'storage.moveHint':
      'Every file (the database too) is copied and verified by hash; the old files are removed only after the switch. The old location keeps a small file pointing to the new one.',
    'storage.move': 'Move data folder',
    'storage.lowDiskDetail':
      '{free} GB free, below the {reserve} GB reserve. Free some space or change the reserve under Storage.',
    'storage.lowDiskStopped':
      '{free} GB free, below the {reserve} GB reserve: recording stopped, the footage so far is saved',
    'storage.lowDiskSoon': 'Disk space is running low ({freeGb} GB free)',
    'storage.movingBusy': 'The data folder is being moved; try again in a moment',
    'storage.cli.disabled': 'Retention is turned off; nothing was deleted',
    'storage.cli.dryRun':
      'Dry run: {count} files would be deleted, freeing {mb} MB ({pinned} kept for cases, {skipped} still referenced)',
    'storage.cli.done': 'Deleted {count} files, freed {mb} MB ({pinned} kept for cases, {skipped} still referenced)',
    'startup.recording.waitingForSpace':
      'An interrupted recording could not be saved because the disk is full; its raw file is kept and saved once space is freed',
    'startup.storage.lowDisk':
      'Low disk space: {freeGb} GB free, below the {reserveGb} GB reserve; no recording can start',
    'notice.recordingRecovered':
      'The recording page went away; what was recorded for order {orderNo} is saved (marked "recovered")',
    'notice.recordingUnrecoverable': 'An interrupted recording holds no usable video; its raw file is kept',
    'notice.recordingWaitingForSpace': 'The disk is full: the raw recording is kept and saved once space is freed',
    'error.DATA_DIR_IN_USE': 'ProofPack is already using this data folder (another window or program is running)',
    'error.DATA_DIR_MISSING':
      'The data folder was moved elsewhere and cannot be reached now (is the disk connected?): {detail}',
  },
};
