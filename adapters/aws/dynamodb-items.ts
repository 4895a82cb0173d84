import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '#core/errors.ts';
import { awsErrorName, unavailableAs } from './aws-errors.ts';

/** Items stepshift keeps expire with DynamoDB's TTL after as long as Step Functions keeps an execution name. */
const RETENTION_DAYS = 90;

export type Item = Record<string, AttributeValue>;

/** An item's key in stepshift's table: what it is about (pk) and which record of it (sk). */
export function keyOf(pk: string, sk: string): Item {
  return { pk: { S: pk }, sk: { S: sk } };
}

/** String attributes from a record's string fields. */
export function stringsOf<T, K extends keyof T & string>(record: T, fields: readonly K[]): Item {
  return Object.fromEntries(fields.map((f) => [f, { S: String(record[f]) }]));
}

/** A record of string fields back from an item. */
export function fromStrings<T>(item: Item, fields: readonly (keyof T & string)[]): T {
  return Object.fromEntries(fields.map((f) => [f, item[f]?.S ?? ''])) as T;
}

/** The TTL attribute for an item written at this time (ISO 8601). */
export function expiresAt(isoTime: string): AttributeValue {
  return { N: String(Math.floor(Date.parse(isoTime) / 1000) + RETENTION_DAYS * 86_400) };
}

/**
 * Sends a conditional write: true when DynamoDB applied it, false when its condition did not hold.
 * Any other error is thrown.
 */
export async function ifCondition(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Runs a table call, turning throttling and server errors that outlived the SDK's retries into StoreUnavailable. */
export async function onTable<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unavailableAs(doing, error, StoreUnavailableError);
  }
}
