import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { DeployedFunction } from '#functions/index.ts';

/**
 * The partition keys of stepshift's table, by what they hold (adapters/aws/dynamodb-*.ts):
 * route#<route ARN> the lock, execution#<execution ARN> the snapshot and the profile it runs with, release#<service>#<release id>
 * the ledger, control#<release id> a release's controls, running#<service> which release of a service
 * runs.
 */
export const TABLE_KEYS = {
  lock: 'route#',
  execution: 'execution#',
  ledger: 'release#',
  control: 'control#',
  running: 'running#',
} as const;

export type TableKey = keyof typeof TABLE_KEYS;

/**
 * The item actions a role may take, on items of these partition keys only. TransactWriteItems and
 * TransactGetItems are no IAM actions of their own (the Service Authorization Reference lists none): each
 * Put, Update, Delete and ConditionCheck of a transaction is authorized as PutItem, UpdateItem,
 * DeleteItem and ConditionCheckItem, with dynamodb:LeadingKeys, so a transaction is scoped by the same
 * lines as single writes.
 */
export interface TableAccess {
  readonly actions: readonly ('GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem')[];
  readonly keys: readonly TableKey[];
}

/**
 * What each function does with the table, by what its state calls (core/release/*.ts):
 * - Prepare takes the route's lock (conditional PutItem; GetItem reads a refusing holder; a stale holder
 *   is taken over with PutItem; DeleteItem lets go when anything after it fails), stores the snapshot,
 *   claims the release id in the ledger (PutItem, GetItem on a refusal) and opens the controls (PutItem
 *   control# and running#, GetItem control# on a refusal).
 * - Shift, Promote, Finish and Rollback read the lock right before and after each route write (GetItem:
 *   whether this execution still holds it at its fence).
 * - Shift, Analyze, Promote, Finish and Rollback load the profile their release runs with (GetItem
 *   execution#<execution ARN> / profile), which Prepare stored (PutItem, as the snapshot).
 * - Bake records its task token in the controls (UpdateItem); Analyze reads them (GetItem).
 * - Finish and Rollback free the lock and close the controls (DeleteItem).
 * - The guard reads the snapshot and the lock, takes the lock over while it works (UpdateItem: its mark
 *   and a new fence), frees it and closes the controls.
 * - The alarm function finds the release of a service (running#) and its task token (control#).
 * - An operator (grantOperate) records a request in a release's controls (UpdateItem, conditional on
 *   the item existing) and nothing else: no lock, snapshot or ledger item.
 */
export const TABLE_ACCESS: Readonly<Record<DeployedFunction | 'Operator', readonly TableAccess[]>> = {
  Prepare: [
    { actions: ['GetItem'], keys: ['lock', 'ledger', 'control'] },
    { actions: ['PutItem'], keys: ['lock', 'execution', 'ledger', 'control', 'running'] },
    { actions: ['DeleteItem'], keys: ['lock'] },
  ],
  Shift: [{ actions: ['GetItem'], keys: ['lock', 'execution'] }],
  Bake: [{ actions: ['UpdateItem'], keys: ['control'] }],
  Analyze: [{ actions: ['GetItem'], keys: ['control', 'execution'] }],
  Promote: [{ actions: ['GetItem'], keys: ['lock', 'execution'] }],
  Finish: [
    { actions: ['GetItem'], keys: ['lock', 'execution'] },
    { actions: ['DeleteItem'], keys: ['lock', 'control', 'running'] },
  ],
  Rollback: [
    { actions: ['GetItem'], keys: ['lock', 'execution'] },
    { actions: ['DeleteItem'], keys: ['lock', 'control', 'running'] },
  ],
  Guard: [
    { actions: ['GetItem'], keys: ['lock', 'execution'] },
    { actions: ['UpdateItem'], keys: ['lock'] },
    { actions: ['DeleteItem'], keys: ['lock', 'control', 'running'] },
  ],
  Alarm: [{ actions: ['GetItem'], keys: ['control', 'running'] }],
  Operator: [{ actions: ['UpdateItem'], keys: ['control'] }],
};

/**
 * The statements for `access` on `table`: each conditioned on dynamodb:LeadingKeys, the item's partition
 * key. LeadingKeys is multivalued, so ForAllValues:StringLike (every partition key of the request starts
 * with one of the prefixes), with a Null check so that a request carrying no partition key is not let
 * through by ForAllValues' empty set (IAM User Guide, "Single-valued vs. multivalued context keys").
 */
export function tableStatements(
  table: dynamodb.ITableV2,
  access: readonly TableAccess[],
  sid: string,
): iam.PolicyStatement[] {
  return access.map(
    ({ actions, keys }, i) =>
      new iam.PolicyStatement({
        sid: `${sid}${i}`,
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys.map((k) => `${TABLE_KEYS[k]}*`) },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
  );
}
