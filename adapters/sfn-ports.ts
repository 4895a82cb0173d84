import { SFNClient } from '@aws-sdk/client-sfn';
import { executionStatusOver } from './aws/sfn-execution-status.ts';
import { createSfnTaskCallbacks } from './aws/sfn-task-callbacks.ts';
import type { PortBuilder } from './port-builders.ts';

// The Step Functions ports, apart from port-builders.ts: esbuild puts a module that a function reaches
// both statically and through import() into a chunk loaded at start, so Prepare, which imports its
// `executions` on first use (lazy-ports.ts), must not reach this one through port-builders.ts.
export const executions: PortBuilder<'executions'> = (o) => executionStatusOver(o.aws);
export const callbacks: PortBuilder<'callbacks'> = (o) => createSfnTaskCallbacks(o.aws.client(SFNClient));
