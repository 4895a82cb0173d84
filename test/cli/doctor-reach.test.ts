import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DoctorFlags, defaultDoctorContext, doctorCommand } from '../../cli/doctor-command.ts';
import { nothingConfigured, withCredentials } from '../support/no-aws.ts';
import { ordersProfile } from '../support/profiles.ts';

/**
 * stepshift doctor against AWS through the real SDK clients with no AWS in reach, as
 * test/cli/conventions.test.ts runs the other AWS-calling commands: each ends with exit 2 and one
 * sentence, never a thrown error.
 */

let server: Server;
let endpoint: string;

beforeAll(async () => {
  // Answers every call as AWS answers a caller IAM refuses (REST-JSON: the error's name in a header).
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(403, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'AccessDeniedException',
      });
      response.end(
        JSON.stringify({ message: 'User: x is not authorized to perform: appmesh:DescribeRoute' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  vi.unstubAllEnvs();
  nothingConfigured();
});

async function doctor(flags: DoctorFlags) {
  const file = join(mkdtempSync(join(tmpdir(), 'stepshift-doctor-')), 'orders.json');
  writeFileSync(file, JSON.stringify(ordersProfile()));
  let out = '';
  let err = '';
  const code = await doctorCommand(file, flags, {
    ...defaultDoctorContext,
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
  });
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return { code, out, err };
}

describe('stepshift doctor without AWS in reach', () => {
  it('with no region: exit 2, saying how to give one', async () => {
    const { code, err } = await doctor({});
    expect(code).toBe(2);
    expect(err).toContain('needs an AWS region: pass --region <region>');
  });

  it('with no credentials: exit 2, saying how to give them', async () => {
    const { code, err } = await doctor({ region: 'eu-west-1' });
    expect(code).toBe(2);
    expect(err).toContain('needs AWS credentials and found none');
  });

  it('with an endpoint that is not a URL: exit 2, and one JSON document with --json', async () => {
    withCredentials();
    const { code, err, out } = await doctor({ region: 'eu-west-1', endpointUrl: 'not a url', json: true });
    expect(code).toBe(2);
    expect(JSON.parse(out)).toEqual({ error: err.trim() });
  });

  it('when AWS denies access: exit 2, naming the error', async () => {
    withCredentials();
    const { code, err } = await doctor({ region: 'eu-west-1', endpointUrl: endpoint });
    expect(code).toBe(2);
    expect(err).toContain('AccessDeniedException');
  });
});
