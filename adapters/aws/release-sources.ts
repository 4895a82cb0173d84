import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { ReleaseRecord } from '#core/ports.ts';
import { readLedgerRecord } from './dynamodb-ledger.ts';
import { personClientConfig, type ReleaseExecutionsOptions } from './release-executions.ts';
import { createExecutionHistories, type ExecutionHistories } from './sfn-execution-history.ts';

/** What `stepshift report` reads a real release from: its execution's history, and the ledger. */
export interface ReleaseSources {
  readonly histories: ExecutionHistories;
  readonly ledger: (table: string, service: string, releaseId: string) => Promise<ReleaseRecord | undefined>;
}

/** The report's sources on the state machine of this ARN, its clients configured as personClientConfig says. */
export function releaseSourcesOn(
  stateMachineArn: string,
  options: ReleaseExecutionsOptions = {},
): ReleaseSources {
  const config = personClientConfig(stateMachineArn, options);
  const dynamodb = new DynamoDBClient(config);
  return {
    histories: createExecutionHistories(new SFNClient(config), stateMachineArn),
    ledger: (table, service, releaseId) => readLedgerRecord(dynamodb, table, service, releaseId),
  };
}
