import { describe, expect, it } from 'vitest';
import { whyAwsUnreachable } from '#adapters/aws/reach.ts';

const doing = 'reading release orders-v2';
const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('whyAwsUnreachable', () => {
  it.each([
    ['no region', new Error('Region is missing'), 'needs an AWS region: pass --region'],
    [
      'no credentials',
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'needs AWS credentials and found none',
    ],
    [
      'a host that does not resolve',
      sdkError('Error', 'getaddrinfo ENOTFOUND nosuch.invalid', { code: 'ENOTFOUND', $metadata: {} }),
      'could not reach AWS (ENOTFOUND',
    ],
    ['a timeout', sdkError('TimeoutError', 'socket hang up'), 'could not reach AWS (TimeoutError'],
    ['an endpoint that is not a URL', new TypeError('Invalid URL'), 'endpoint that is not a URL'],
    [
      'access denied',
      sdkError('AccessDeniedException', 'not authorized', { $metadata: { httpStatusCode: 400 } }),
      'was refused by AWS (AccessDeniedException: not authorized)',
    ],
    [
      'an expired token',
      sdkError('ExpiredTokenException', 'The security token included in the request is expired'),
      'was refused by AWS (ExpiredTokenException',
    ],
    [
      'an endpoint that does not speak AWS',
      sdkError('SyntaxError', 'Unexpected token < in JSON: Deserialization error'),
      'got no AWS answer (SyntaxError',
    ],
  ])('says what to set for %s, in one sentence that names what it was doing', (_label, error, says) => {
    const sentence = whyAwsUnreachable(error, doing);
    expect(sentence).toContain(says);
    expect(sentence?.startsWith(doing)).toBe(true);
    expect(sentence).not.toContain('\n');
  });

  it("leaves AWS's own answers (no such execution, throttling) and bugs to the caller", () => {
    const notFound = sdkError('ExecutionDoesNotExist', 'no such execution', {
      $metadata: { httpStatusCode: 400 },
    });
    const throttled = sdkError('ThrottlingException', 'slow down', { $metadata: { httpStatusCode: 400 } });
    expect(whyAwsUnreachable(notFound, doing)).toBeUndefined();
    expect(whyAwsUnreachable(throttled, doing)).toBeUndefined();
    expect(whyAwsUnreachable(new TypeError('x is not a function'), doing)).toBeUndefined();
  });
});
