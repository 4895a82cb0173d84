import type { DynamoAnswer } from './dynalite.ts';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

interface Conditional {
  readonly TableName: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

/** One action of TransactWriteItems, as the DynamoDB API takes it. */
export interface TransactWriteItem {
  readonly ConditionCheck?: Conditional & { readonly Key: Item };
  readonly Put?: Conditional & { readonly Item: Item };
  readonly Update?: Conditional & { readonly Key: Item; readonly UpdateExpression: string };
  readonly Delete?: Conditional & { readonly Key: Item };
}

export interface TransactWriteInput {
  readonly TransactItems?: readonly TransactWriteItem[];
  readonly ClientRequestToken?: string;
}

type Send = (operation: string, input: unknown) => Promise<DynamoAnswer>;

/** At most this many actions in one request (DynamoDB API Reference, TransactWriteItems). */
const MAX_ACTIONS = 100;
const CONDITION_FAILED = 'The conditional request failed';

/**
 * ClientRequestTokens of applied requests: the same token with the same actions is answered as done
 * without applying them again, with other actions IdempotentParameterMismatchException. DynamoDB
 * forgets a token ten minutes after the request; the rehearsal's process never does (the SDK makes a
 * fresh one per call, and reuses it only for its own retries).
 */
const tokens = new Map<string, string>();

const answer = (status: number, body: unknown): DynamoAnswer => ({ status, body: JSON.stringify(body) });
const validation = (message: string) =>
  answer(400, { __type: 'com.amazon.coral.validate#ValidationException', message });

/**
 * TransactWriteItems as the DynamoDB API Reference describes it, emulated on dynalite's single-item
 * operations (dynalite 4 serves no transactions): every action is applied, or none is. The actions are
 * applied one by one; if any condition fails, those applied are put back as they were, and the request
 * is cancelled with TransactionCanceledException, whose CancellationReasons has one entry per action,
 * in order: "ConditionalCheckFailed" (with the item, under ReturnValuesOnConditionCheckFailure
 * ALL_OLD) or "None". Two actions on one item, no actions or more than 100 are a ValidationException.
 * A ClientRequestToken (the SDK always sends one) makes a repeated request idempotent. Calls to the
 * rehearsal's DynamoDB run one at a time (rehearsal/sim/dynamodb.ts), so nothing sees the actions half
 * applied. Not emulated: the 4 MB aggregate size, and conflicts with concurrent transactions.
 */
export async function transactWriteItems(input: TransactWriteInput, send: Send): Promise<DynamoAnswer> {
  const actions = input.TransactItems ?? [];
  const token = input.ClientRequestToken;
  const request = JSON.stringify(actions);
  if (token !== undefined && tokens.has(token)) {
    if (tokens.get(token) === request) return answer(200, {});
    return answer(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
      message: 'Request has a ClientRequestToken that was used with different parameters',
    });
  }
  if (actions.length === 0 || actions.length > MAX_ACTIONS) {
    return validation(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${MAX_ACTIONS}`,
    );
  }
  const keys: string[] = [];
  const targets: { table: string; key: Item }[] = [];
  for (const action of actions) {
    const kinds = (['ConditionCheck', 'Put', 'Update', 'Delete'] as const).filter((k) => action[k]);
    if (kinds.length !== 1) {
      return validation(
        'each TransactWriteItem must have exactly one of ConditionCheck, Put, Update, Delete',
      );
    }
    const body = action[kinds[0] as keyof TransactWriteItem] as Conditional & { Key?: Item; Item?: Item };
    const key = body.Key ?? (await keyOf(body.TableName, body.Item ?? {}, send));
    const id = `${body.TableName}/${JSON.stringify(key)}`;
    if (keys.includes(id))
      return validation('Transaction request cannot include multiple operations on one item');
    keys.push(id);
    targets.push({ table: body.TableName, key });
  }

  const before: (Item | undefined)[] = [];
  for (const { table, key } of targets) {
    const got = await send('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (got.status !== 200) return got;
    before.push((JSON.parse(got.body) as { Item?: Item }).Item);
  }
  const reasons: { Code: string; Message?: string; Item?: Item }[] = [];
  const applied: number[] = [];
  for (const [i, action] of actions.entries()) {
    const result = await apply(action, send);
    if (result.status === 200) {
      reasons.push({ Code: 'None' });
      // A condition check writes nothing of its own: undone below whatever the outcome.
      applied.push(i);
      continue;
    }
    const type = String((JSON.parse(result.body) as { __type?: string }).__type ?? '');
    if (!type.endsWith('#ConditionalCheckFailedException')) {
      await putBack(applied, targets, before, send);
      return result;
    }
    const old = before[i];
    const conditional = Object.values(action)[0] as Conditional;
    reasons.push({
      Code: 'ConditionalCheckFailed',
      Message: CONDITION_FAILED,
      ...(conditional.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: old } : {}),
    });
  }
  const cancelled = reasons.some((r) => r.Code !== 'None');
  await putBack(
    cancelled ? applied : applied.filter((i) => actions[i]?.ConditionCheck),
    targets,
    before,
    send,
  );
  if (!cancelled) {
    if (token !== undefined) tokens.set(token, request);
    return answer(200, {});
  }
  return answer(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    CancellationReasons: reasons,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
  });
}

/** One action as the single-item operation it stands for; a condition check as a conditional no-op. */
function apply(action: TransactWriteItem, send: Send): Promise<DynamoAnswer> {
  const strip = <T extends Conditional>(body: T) => {
    const { ReturnValuesOnConditionCheckFailure: _, ...rest } = body;
    return rest;
  };
  if (action.Put) return send('PutItem', strip(action.Put));
  if (action.Update) return send('UpdateItem', strip(action.Update));
  if (action.Delete) return send('DeleteItem', strip(action.Delete));
  const check = action.ConditionCheck as NonNullable<TransactWriteItem['ConditionCheck']>;
  // UpdateItem with no update expression applies only the condition (and may create the key, which
  // putBack removes again).
  return send('UpdateItem', strip(check));
}

/** Puts the items of these actions back as they were before the request. */
async function putBack(
  indexes: readonly number[],
  targets: readonly { table: string; key: Item }[],
  before: readonly (Item | undefined)[],
  send: Send,
): Promise<void> {
  for (const i of indexes) {
    const target = targets[i];
    if (!target) continue;
    const old = before[i];
    const restored = old
      ? await send('PutItem', { TableName: target.table, Item: old })
      : await send('DeleteItem', { TableName: target.table, Key: target.key });
    if (restored.status !== 200)
      throw new Error(`the emulated transaction could not put ${target.table} back`);
  }
}

const keySchemas = new Map<string, string[]>();

/** The key attributes of an item, by its table's key schema. */
async function keyOf(table: string, item: Item, send: Send): Promise<Item> {
  let names = keySchemas.get(table);
  if (!names) {
    const described = JSON.parse((await send('DescribeTable', { TableName: table })).body) as {
      Table?: { KeySchema?: { AttributeName: string }[] };
    };
    names = (described.Table?.KeySchema ?? []).map((k) => k.AttributeName);
    keySchemas.set(table, names);
  }
  return Object.fromEntries(names.map((n) => [n, item[n] ?? {}]));
}
