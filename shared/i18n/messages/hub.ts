import type { MessageBundle } from '../index';

/** The warehouse hub and pairing stations with it (issue 11). */
export const hub: MessageBundle = {
  'zh-CN': {
    'problem.hub-station-name': '工位名称需为 1–64 个字符',
    'problem.hub-pairing-code': '配对码错误、已使用或已过期：请在仓库中心重新生成',
    'problem.hub-station-revoked': '此工位已在仓库中心被吊销：请重新配对',
    'problem.hub-station-unknown': '此工位尚未与仓库中心配对',
    'problem.hub-url': '不是有效的仓库中心地址：{url}（应为 http(s)://主机:端口/）',
    'problem.hub-unreachable': '无法连接 {url}：请确认仓库中心正在运行、地址和网络正确',
    'problem.hub-not-a-hub': '{url} 的应答不是 ProofPack 仓库中心',
    'problem.hub-request': '请求内容不正确',
    'cli.hub.badPort': '端口不正确：{port}（应为 0–65535）',
    'cli.hub.code': '工位 {station} 的配对码：{code}（{expiresAt} 前有效，只能使用一次）',
    'cli.hub.noStations': '还没有工位与本仓库中心配对',
    'cli.hub.revoked': '已吊销',
    'cli.hub.lastSeen': '最近联系：{at}',
    'cli.hub.stationRevoked': '已吊销工位 {station} 的凭据',
    'cli.hub.noSuchStation': '没有名为 {station} 的有效工位',
    'cli.hub.joined': '已与仓库中心 {hubUrl} 配对，本工位名称：{stationName}',
  },
  en: {
    'problem.hub-station-name': 'A station name is 1–64 characters',
    'problem.hub-pairing-code': 'This pairing code is wrong, used or expired: make a new one on the hub',
    'problem.hub-station-revoked': 'This station was revoked on the hub: pair it again',
    'problem.hub-station-unknown': 'This station is not paired with the hub',
    'problem.hub-url': 'Not a hub address: {url} (expected http(s)://host:port/)',
    'problem.hub-unreachable':
      'Cannot reach {url}: check that the hub is running and the address and network are right',
    'problem.hub-not-a-hub': '{url} did not answer as a ProofPack hub',
    'problem.hub-request': 'The request is not valid',
    'cli.hub.badPort': 'Not a port: {port} (0–65535)',
    'cli.hub.code': 'Pairing code for station {station}: {code} (valid once, until {expiresAt})',
    'cli.hub.noStations': 'No station is paired with this hub yet',
    'cli.hub.revoked': 'revoked',
    'cli.hub.lastSeen': 'last seen {at}',
    'cli.hub.stationRevoked': 'Revoked the credential of station {station}',
    'cli.hub.noSuchStation': 'No live station named {station}',
    'cli.hub.joined': 'Paired with the hub at {hubUrl} as station {stationName}',
  },
};
