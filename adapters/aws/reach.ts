import { awsErrorName, errorMessage } from './aws-errors.ts';

/** What the SDK leaves on an error that never became an AWS answer. */
interface ReachErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** Node's codes for a connection that never carried an answer (DNS, refused, reset, unreachable). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * AWS's answers that mean "these credentials may not do this" or "these are not credentials AWS
 * accepts": IAM's AccessDenied family, STS's token errors and the signature errors every service shares.
 */
const DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
]);

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Why a call could not reach AWS, as one sentence that says what to set, or undefined when AWS did
 * answer (a service's own error, such as "no such execution", is the caller's to read).
 * `doing` is what the command was doing ("reading release orders-v2").
 */
export function whyAwsUnreachable(error: unknown, doing: string): string | undefined {
  const e = (error ?? {}) as ReachErrorShape;
  const name = awsErrorName(error);
  const message = oneLine(errorMessage(error));
  // @smithy/config-resolver throws a plain Error "Region is missing" when no source names a region.
  if (/^Region is missing/.test(message)) {
    return `${doing} needs an AWS region: pass --region <region> (eu-west-1, say), set AWS_REGION, or give the AWS profile a region in ~/.aws/config`;
  }
  // The credential chain (env, shared files, SSO, process, web identity, container, instance metadata) found nothing.
  if (name === 'CredentialsProviderError' || /credentials/i.test(name)) {
    return `${doing} needs AWS credentials and found none (${message}): pass --profile <name> for a profile in ~/.aws/config (run "aws sso login --profile <name>" first if it uses SSO), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (name === 'TypeError' && /Invalid URL/i.test(message)) {
    return `${doing} was given an endpoint that is not a URL: write --endpoint-url as http(s)://host[:port], or leave it out to use AWS's own endpoint`;
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return `${doing} could not reach AWS (${code ?? name}: ${message}): check the network, the region (--region) and, if you gave one, --endpoint-url`;
  }
  const status = e.$metadata?.httpStatusCode;
  if (DENIED_NAMES.has(name) || status === 401 || status === 403) {
    return `${doing} was refused by AWS (${name}: ${message}): use credentials (--profile, or the AWS_* variables) whose role holds the stack's grant for this command`;
  }
  // An answer the SDK could not read as AWS's did not come from the AWS API (a wrong endpoint).
  if (name === 'SyntaxError' || /Deserialization error/i.test(message)) {
    return `${doing} got no AWS answer (${name}: ${message}): check --endpoint-url, the region (--region) and the network`;
  }
  return undefined;
}
