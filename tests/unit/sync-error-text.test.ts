import { describe, expect, it } from 'vitest';
import { DB_UNAVAILABLE_MESSAGE } from '../../electron/core/db/db-unavailable';
import { HubCertificateChanged, certificateRefusal } from '../../electron/core/sync/hub-transport';
import { describeSyncError } from '../../shared/hub/sync-error-text';
import { translate, type Params } from '../../shared/i18n';

const zh = (key: string, params?: Params) => translate('zh-CN', key, params);
const en = (key: string, params?: Params) => translate('en', key, params);

/** each message as ProofPack itself writes it (station, hub, pinning), and what a packer reads */
describe('describeSyncError: a sync error in the reader’s language', () => {
  it.each([
    [
      'hub unreachable (http://192.168.1.20:4870: ECONNREFUSED)',
      '无法连接仓库中心 http://192.168.1.20:4870（ECONNREFUSED）',
    ],
    ['http://10.0.0.5:80 did not answer as a ProofPack hub', 'http://10.0.0.5:80 的应答不是 ProofPack 仓库中心'],
    ['This station was revoked on the hub: pair it again', '此工位已在仓库中心被吊销'],
    [DB_UNAVAILABLE_MESSAGE, '仓库中心的数据库暂时无响应'],
    [
      'The hub’s media store is full (/mnt/nas/pp): ENOSPC: no space left on device, write. The station keeps it and sends it again.',
      '仓库中心的存储空间已满（/mnt/nas/pp）',
    ],
    [
      'The hub could not store the file in its media store (s3://wh/pp): InternalError: We encountered an internal error. Please try again.. The station keeps it and sends it again.',
      '仓库中心无法写入其存储（s3://wh/pp）：InternalError: We encountered an internal error. Please try again.',
    ],
    [new HubCertificateChanged('AA:BB', 'CC:DD').message, '仓库中心的证书与配对时不同，未发送任何内容'],
    [
      certificateRefusal(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))!,
      '仓库中心的证书与配对时不同',
    ],
    ['The bytes the hub stored do not hash to the record: send the file again', '中心收到的文件与本机校验值不一致'],
    [
      'the file is missing at the station: D:\\ProofPack\\media\\a.mp4',
      '本机找不到该文件：D:\\ProofPack\\media\\a.mp4',
    ],
  ])('%s', (raw, words) => {
    expect(describeSyncError(zh, raw)).toContain(words);
    expect(describeSyncError(en, raw)).not.toMatch(/[\u4e00-\u9fff]{2}/); // and English for English readers
  });

  it('anything else is shown as it came', () => {
    expect(describeSyncError(zh, 'HTTP 502 Bad Gateway from proxy')).toBe('HTTP 502 Bad Gateway from proxy');
  });
});
