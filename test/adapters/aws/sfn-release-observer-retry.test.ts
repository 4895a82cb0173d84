import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  createSfnReleaseObserver,
  FIRST_PAGE,
  observedEventsOf,
  observerClientConfig,
  THROTTLED_TRIES,
} from '#adapters/aws/sfn-release-observer.ts';
import { recordedHistory, releaseHistory } from '../../support/execution-history.ts';

// The SDK's own retry middleware runs here (aws-sdk-client-mock would skip it): a real client whose
// transport answers each request with the next canned answer of Step Functions' JSON protocol.

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:orders-v2';

type Answer = { readonly status: number; readonly body: unknown };
const throttled: Answer = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
const broken: Answer = { status: 500, body: { __type: 'InternalServerError', message: 'oops' } };
/** A page of history events as the wire carries them: dates in epoch seconds. */
const page = (events: readonly object[], nextToken?: string): Answer => ({
  status: 200,
  body: {
    events: events.map((e) => {
      const { timestamp, ...rest } = e as { timestamp: Date };
      return { ...rest, timestamp: timestamp.getTime() / 1000 };
    }),
    ...(nextToken ? { nextToken } : {}),
  },
});

function observerAnswering(answers: Answer[]) {
  const requests: { maxResults?: number; nextToken?: string }[] = [];
  const pauses: number[] = [];
  const config = observerClientConfig(
    MACHINE,
    {},
    {
      sleep: async (ms) => {
        pauses.push(ms);
      },
      random: () => 0.5,
    },
  );
  const client = new SFNClient({
    ...config,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: {
      async handle(request: { body?: string }) {
        requests.push(JSON.parse(request.body ?? '{}'));
        const next = answers[Math.min(requests.length, answers.length) - 1] as Answer;
        return {
          response: {
            statusCode: next.status,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Buffer.from(JSON.stringify(next.body)),
          },
        };
      },
    },
  });
  return { observer: createSfnReleaseObserver(client, MACHINE), requests, pauses };
}

describe("the CLI's observer, throttled", () => {
  const payments = recordedHistory(releaseHistory('promoted'), { service: 'payments' });

  it('tries a throttled read again after growing pauses, and once it answers reads no further', async () => {
    const { observer, requests, pauses } = observerAnswering([
      throttled,
      throttled,
      page(payments.slice(0, FIRST_PAGE), 'n'),
    ]);

    expect(await observer.events(ARN, 'orders')).toBeUndefined();
    expect(requests).toHaveLength(3);
    // Half of 500 ms × 2^n, as random() says: the pauses after throttling, growing.
    expect(pauses).toEqual([250, 500]);
  });

  it('gives up after THROTTLED_TRIES attempts of one call, with the throttle', async () => {
    const { observer, requests, pauses } = observerAnswering([throttled]);

    await expect(observer.events(ARN, 'orders')).rejects.toThrow('Rate exceeded');
    expect(requests).toHaveLength(THROTTLED_TRIES);
    expect(pauses).toHaveLength(THROTTLED_TRIES - 1);
  });

  it('keeps one retry for an error other than throttling, so a person hears of it at once', async () => {
    const { observer, requests } = observerAnswering([broken]);

    await expect(observer.events(ARN)).rejects.toThrow('oops');
    expect(requests).toHaveLength(2);
  });

  it('tries again only the page that was throttled, not the history from its start', async () => {
    const orders = recordedHistory(releaseHistory('promoted'));
    const { observer, requests } = observerAnswering([
      page(orders.slice(0, 20), 'p2'),
      throttled,
      page(orders.slice(20)),
    ]);

    const events = await observer.events(ARN);

    expect(events).toEqual(observedEventsOf(orders));
    expect(requests.map((r) => r.nextToken)).toEqual([undefined, 'p2', 'p2']);
  });
});
