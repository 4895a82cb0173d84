import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultObserveContext } from '../../cli/observe.ts';
import { defaultOperatorContext, operatorCommand } from '../../cli/operator-command.ts';
import { defaultContext, startCommand } from '../../cli/start-command.ts';
import { statusViewCommand } from '../../cli/watch-command.ts';
import { nothingConfigured, withCredentials } from '../support/no-aws.ts';

/**
 * Every command that calls AWS, run through the real SDK clients with no AWS in reach: no region, no
 * credentials, an endpoint that refuses, one that is not a URL, one that denies access (a local server
 * answering as AWS would), and one that answers "no such release". Each ends with exit 2 and one
 * sentence, or exit 1 only for the answer "no such release"; never a thrown error.
 */

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';

/** A local server that answers every AWS JSON call with one error, as AWS's JSON protocols do. */
let server: Server;
let answer: { status: number; type: string; message: string };
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': answer.type,
      });
      response.end(JSON.stringify({ __type: answer.type, message: answer.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  vi.unstubAllEnvs();
  nothingConfigured();
  answer = { status: 400, type: 'AccessDeniedException', message: 'User: x is not authorized' };
});

type Flags = { region?: string; endpointUrl?: string; json?: boolean };

/** The three kinds of AWS-calling command, each run with the real clients and captured output. */
const commands: Record<string, (flags: Flags) => Promise<{ code: number; out: string; err: string }>> = {
  start: async (flags) => {
    const io = capture();
    const code = await startCommand(
      'orders',
      'v2',
      { stateMachine: MACHINE, ...flags },
      {
        ...defaultContext,
        ...io.streams,
        env: {},
      },
    );
    return { code, ...io.text() };
  },
  status: async (flags) => {
    const io = capture();
    const code = await statusViewCommand(
      'orders-v2',
      { stateMachine: MACHINE, ...flags },
      {
        ...defaultObserveContext,
        ...io.streams,
        env: {},
      },
    );
    return { code, ...io.text() };
  },
  abort: async (flags) => {
    const io = capture();
    const code = await operatorCommand(
      'abort',
      'orders-v2',
      { table: 'stepshift', ...flags },
      {
        ...defaultOperatorContext,
        ...io.streams,
        env: {},
      },
    );
    return { code, ...io.text() };
  },
};

function capture() {
  let out = '';
  let err = '';
  return {
    streams: { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } },
    text: () => ({ out, err }),
  };
}

/** One line on stderr, no stack frame in it. */
function expectOneSentence(err: string) {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
}

describe.each(Object.keys(commands))('stepshift %s without AWS in reach', (name) => {
  const command = commands[name] as (typeof commands)[string];

  it('with no region: exit 2 with a sentence (start and status read the region from the ARN, so credentials are missing next)', async () => {
    // Prepare: start and status take the region from the state machine's ARN, so only abort lacks one.
    const flags = name === 'abort' ? {} : { region: '' };

    // Act
    const { code, err } = await command(flags);

    // Assess
    expect(code).toBe(2);
    expectOneSentence(err);
    expect(err).toMatch(name === 'abort' ? /needs an AWS region: pass --region <region>/ : /credentials/);
  });

  it('with no credentials: exit 2, saying how to give them', async () => {
    const { code, err } = await command({ region: 'eu-west-1' });
    expect(code).toBe(2);
    expectOneSentence(err);
    expect(err).toContain('needs AWS credentials and found none');
    expect(err).toContain('--profile <name>');
  });

  it('with an endpoint that refuses the connection: exit 2, naming the network', async () => {
    withCredentials();
    const { code, err } = await command({ region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:1' });
    expect(code).toBe(2);
    expectOneSentence(err);
    expect(err).toContain('could not reach AWS (ECONNREFUSED');
  });

  it('with an endpoint that is not a URL: exit 2, and one JSON document with --json', async () => {
    withCredentials();
    const { code, err, out } = await command({ region: 'eu-west-1', endpointUrl: 'not a url', json: true });
    expect(code).toBe(2);
    expectOneSentence(err);
    expect(JSON.parse(out)).toEqual({ error: err.trim() });
    expect(err).toContain('--endpoint-url "not a url" is not an http(s) URL');
  });

  it('when AWS denies access: exit 2, naming the error and what to use instead', async () => {
    withCredentials();
    const { code, err } = await command({ region: 'eu-west-1', endpointUrl: endpoint });
    expect(code).toBe(2);
    expectOneSentence(err);
    expect(err).toContain('was refused by AWS (AccessDeniedException: User: x is not authorized)');
  });
});

describe('stepshift status when AWS answers', () => {
  it('exits 1 when Step Functions has no such release', async () => {
    // Prepare
    withCredentials();
    answer = { status: 400, type: 'ExecutionDoesNotExist', message: 'Execution Does Not Exist' };

    // Act
    const { code, err, out } =
      (await commands.status?.({ region: 'eu-west-1', endpointUrl: endpoint, json: true })) ?? {};

    // Assess
    expect(code).toBe(1);
    expect(err).toContain('no release orders-v2 on');
    expect(JSON.parse(out ?? '')).toMatchObject({ notFound: true });
  });
});
