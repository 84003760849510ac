import { listCommand } from './list';
import { syncCommand } from './sync';
import { retentionCommand } from './retention';
import { checkCommand } from './check';
import { fixCommand } from './fix';
import { ordersImportCommand } from './orders-import';
import { coverageCommand } from './coverage';
import { addCommand } from './add';
import { cameraAddCommand, cameraListCommand } from './camera';
import { caseCreateCommand, caseListCommand, caseStatusCommand } from './case';
import { dbCopyCommand } from './db-copy';
import { apiTokenCreateCommand, apiTokenRevokeCommand } from './api-token';
import { webhookAddCommand, webhookListCommand, webhookRemoveCommand, webhookRetryCommand } from './webhook';
import { hubCommand, hubPairCommand, hubRevokeCommand, hubStationsCommand, joinCommand } from './hub';
import { hubRenameCommand, hubSettingsCommand } from './hub-settings';
import { hubCheckStoreCommand, hubJobsCommand } from './hub-jobs';
import { usersAddCommand, usersListCommand } from './users';
import { shareCommand, shareRevokeCommand } from './share';
import { auditVerifyCommand, exportCommand, verifyCommand } from './packet-commands';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** One entry per command; multi-word commands are keyed "case create", "api token create". */
export const commands: Record<string, Command> = {
  list: listCommand,
  retention: retentionCommand,
  check: checkCommand,
  fix: fixCommand,
  'orders import': ordersImportCommand,
  coverage: coverageCommand,
  add: addCommand,
  'case create': caseCreateCommand,
  'case list': caseListCommand,
  'case status': caseStatusCommand,
  export: exportCommand,
  verify: verifyCommand,
  'audit verify': auditVerifyCommand,
  'db copy': dbCopyCommand,
  'api token create': apiTokenCreateCommand,
  'api token revoke': apiTokenRevokeCommand,
  'webhook add': webhookAddCommand,
  'webhook list': webhookListCommand,
  'webhook remove': webhookRemoveCommand,
  'webhook retry': webhookRetryCommand,
  'camera add': cameraAddCommand,
  'camera list': cameraListCommand,
  hub: hubCommand,
  'hub pair': hubPairCommand,
  'hub stations': hubStationsCommand,
  'hub settings': hubSettingsCommand,
  'hub revoke': hubRevokeCommand,
  'hub rename': hubRenameCommand,
  'hub check-store': hubCheckStoreCommand,
  'hub jobs': hubJobsCommand,
  'users add': usersAddCommand,
  'users list': usersListCommand,
  share: shareCommand,
  'share revoke': shareRevokeCommand,
  join: joinCommand,
  sync: syncCommand,
};
