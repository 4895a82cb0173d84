import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { type TransactWriteInput, transactWriteItems } from './transactions.ts';

/**
 * DynamoDB for rehearsals: dynalite, an implementation of DynamoDB's API on an in-memory LevelDB,
 * served on a loopback port inside this process. Conditional writes, key schemas and error names are
 * DynamoDB's own, not a map pretending to be a table. One server serves every rehearsal of a process;
 * each rehearsal gets tables of its own.
 */
let server: Promise<number> | undefined;

/** The port of this process's dynalite, started on first use. */
function endpoint(): Promise<number> {
  server ??= new Promise((resolve, reject) => {
    const instance = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    instance.once('error', reject);
    // The server never closes an idle kept-alive connection (node's default does after 5 s), so the
    // agent never reuses one the server is closing at that moment, which ended calls with ECONNRESET
    // on a loaded machine.
    instance.keepAliveTimeout = 0;
    // Nor may a connection it accepted: the agent keeps it open for reuse (keep-alive) after the last call.
    instance.on('connection', (socket: { unref(): unknown }) => socket.unref());
    instance.listen(0, '127.0.0.1', () => {
      // A rehearsal never waits for the server to close: it must not keep the process alive.
      instance.unref();
      resolve((instance.address() as AddressInfo).port);
    });
  });
  return server;
}

/** dynalite checks that a request is signed, not the signature; the simulated AWS has no keys to sign with. */
const SIGNED = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=REHEARSAL/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'x-amz-date': '20260101T000000Z',
};

export interface DynamoAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * A request with every TableName `from` (at its top, or in each action of a transaction) renamed `to`:
 * the functions name the table the construct deploys; each rehearsal has one of its own.
 */
export function onTable<T extends Record<string, unknown>>(input: T, from: string, to: string): T {
  const rename = (value: Record<string, unknown>) =>
    value.TableName === from ? { ...value, TableName: to } : value;
  const items = input.TransactItems;
  if (!Array.isArray(items)) return rename(input) as T;
  return {
    ...input,
    TransactItems: items.map((item: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(item).map(([kind, action]) => [kind, rename(action)])),
    ),
  };
}

/** Calls run one at a time, so an emulated transaction is atomic to every other caller. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Sends one DynamoDB JSON request (the operation's name and its input) and returns the raw answer.
 * TransactWriteItems, which dynalite does not serve, is emulated on its single-item operations
 * (rehearsal/sim/dynamodb-transactions.ts).
 */
export function callDynamo(operation: string, input: unknown): Promise<DynamoAnswer> {
  const answer = queue.then(() =>
    operation === 'TransactWriteItems'
      ? transactWriteItems(input as TransactWriteInput, send)
      : send(operation, input),
  );
  queue = answer.catch(() => {});
  return answer;
}

/** Connections kept open between calls; node unrefs an idle one, so none keeps the process alive. */
const agent = new Agent({ keepAlive: true });

/**
 * One request to dynalite, as it is. Through node:http, which dynalite's server has loaded already,
 * not fetch: the first fetch of a process loads and compiles node's bundled HTTP client (undici),
 * most of a CLI rehearsal's start-up after its own code.
 */
async function send(operation: string, input: unknown): Promise<DynamoAnswer> {
  const port = await endpoint();
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          ...SIGNED,
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(body),
          'x-amz-target': `DynamoDB_20120810.${operation}`,
        },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** The table stepshift's CDK construct deploys: pk and sk strings, nothing else declared. */
export async function createReleaseTable(name: string): Promise<void> {
  const answer = await callDynamo('CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  });
  if (answer.status !== 200)
    throw new Error(`the rehearsal could not create its table ${name}: ${answer.body}`);
  // dynalite answers CREATING and turns the table ACTIVE on a timer, as DynamoDB does; until then an
  // item call gets ResourceNotFoundException. Wait for ACTIVE, as a deployment would.
  for (let attempt = 0; attempt < 100; attempt++) {
    const described = await callDynamo('DescribeTable', { TableName: name });
    const status = (JSON.parse(described.body) as { Table?: { TableStatus?: string } }).Table?.TableStatus;
    if (status === 'ACTIVE') return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`the rehearsal's table ${name} did not become ACTIVE`);
}
