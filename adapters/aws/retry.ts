import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2, RetryToken } from '@smithy/types';

/** Longest pause between two attempts, as in the SDK's standard strategy. */
const MAX_DELAY_MS = 20_000;
const THROTTLING_BASE_MS = 500;
const DEFAULT_BASE_MS = 100;
const RETRYABLE: ReadonlySet<RetryErrorType> = new Set(['THROTTLING', 'TRANSIENT', 'SERVER_ERROR']);

export interface RetryInfo {
  /** How many retries came before this one: 0 for the first retry. Also the backoff exponent. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly errorType: string;
}

export interface BackoffRetryOptions {
  /** Attempts in all, the first included (the SDK's meaning of maxAttempts). */
  readonly maxAttempts?: number;
  /** Attempts in all while the service throttles, when that many differ from maxAttempts. */
  readonly throttledAttempts?: number;
  /** How to wait; the rehearsal advances a virtual clock here instead of waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); seeded in the rehearsal so its retries are repeatable. */
  readonly random?: () => number;
  /** Told of every retry just before its pause. */
  readonly onRetry?: (info: RetryInfo) => void;
}

/**
 * Full-jitter exponential backoff: a random share of base * 2^attempt, capped at 20 s, in whole
 * milliseconds. The base is 500 ms after throttling and 100 ms otherwise.
 */
export function backoffDelayMs(attempt: number, errorType: string, random: () => number): number {
  const base = errorType === 'THROTTLING' ? THROTTLING_BASE_MS : DEFAULT_BASE_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** attempt));
}

class BackoffRetryToken implements RetryToken {
  /** The retry middleware adds this to $metadata.totalRetryDelay; the pause already happened. */
  readonly $retryLog: { acquisitionDelay: number };

  constructor(
    private readonly count: number,
    acquisitionDelay: number,
  ) {
    this.$retryLog = { acquisitionDelay };
  }

  getRetryCount(): number {
    return this.count;
  }

  /** Always 0: the strategy has slept already, so the middleware must not sleep again with setTimeout. */
  getRetryDelay(): number {
    return 0;
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The SDK's retry contract (RetryStrategyV2) with every pause going through an injected `sleep`, so
 * that an offline rehearsal retries in virtual time. Like the SDK's StandardRetryStrategy it sleeps
 * inside refreshRetryTokenForRetry and throws when it will not retry, which makes the middleware
 * rethrow the original error.
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly maxAttempts: number;
  private readonly throttledAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;

  constructor(options: BackoffRetryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.throttledAttempts = options.throttledAttempts ?? this.maxAttempts;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
  }

  async acquireInitialRetryToken(_retryTokenScope: string): Promise<RetryToken> {
    return new BackoffRetryToken(0, 0);
  }

  async refreshRetryTokenForRetry(tokenToRenew: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const attempt = tokenToRenew.getRetryCount();
    const attempts = errorInfo.errorType === 'THROTTLING' ? this.throttledAttempts : this.maxAttempts;
    if (!RETRYABLE.has(errorInfo.errorType) || attempt + 1 >= attempts) {
      throw new Error('No retry token available');
    }
    const delayMs = backoffDelayMs(attempt, errorInfo.errorType, this.random);
    this.onRetry?.({ attempt, delayMs, errorType: errorInfo.errorType });
    await this.sleep(delayMs);
    return new BackoffRetryToken(attempt + 1, delayMs);
  }

  recordSuccess(_token: RetryToken): void {
    // No retry budget to refill: a release makes a handful of calls, not a stream of them.
  }
}
