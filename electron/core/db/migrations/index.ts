import type { Migration } from '../migrate';
import { m001Foundation } from './001-foundation';
import { m002Checks } from './002-checks';
import { m003Cases } from './003-cases';
import { m004Storage } from './004-storage';
import { m005Insight } from './005-insight';
import { m006StationIds } from './006-station-ids';
import { m007RecordingsEvidence } from './007-recordings-evidence';
import { m008EvidenceDayIndex } from './008-evidence-day-index';
import { m009ApiWebhooks } from './009-api-webhooks';
import { m010CameraParts } from './010-camera-parts';
import { m011Weights } from './011-weights';
import { m012ProvisionalOrders } from './012-provisional-orders';
import { m013HubPairing } from './013-hub-pairing';
import { m014PackedItems } from './014-packed-items';
import { m015HubSync } from './015-hub-sync';
import { m016HubStationStatus } from './016-hub-station-status';
import { m017HubTlsPin } from './017-hub-tls-pin';
import { m018HubStationAudit } from './018-hub-station-audit';
import { m019RecordSync } from './019-record-sync';
import { m020SharedJobs } from './020-shared-jobs';
import { m021HubAccounts } from './021-hub-accounts';
import { m022OrderShop } from './022-order-shop';
import { m023HubOrders } from './023-hub-orders';
import { m024HubShareLinks } from './024-hub-share-links';
import { m025HubOrderPrefixSearch } from './025-hub-order-prefix-search';
import { m026HubChapters } from './026-hub-chapters';
import { m027HubMirror } from './027-hub-mirror';
import { m028HubPacketShare } from './028-hub-packet-share';
import { m029HubPacketStore } from './029-hub-packet-store';

/** Append only. Never edit a migration that has shipped: add the next number. */
export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Checks,
  m003Cases,
  m004Storage,
  m005Insight,
  m006StationIds,
  m007RecordingsEvidence,
  m008EvidenceDayIndex,
  m009ApiWebhooks,
  m010CameraParts,
  m011Weights,
  m012ProvisionalOrders,
  m013HubPairing,
  m014PackedItems,
  m015HubSync,
  m016HubStationStatus,
  m017HubTlsPin,
  m018HubStationAudit,
  m019RecordSync,
  m020SharedJobs,
  m021HubAccounts,
  m022OrderShop,
  m023HubOrders,
  m024HubShareLinks,
  m025HubOrderPrefixSearch,
  m026HubChapters,
  m027HubMirror,
  m028HubPacketShare,
  m029HubPacketStore,
];
