import type { AppMeshClientConfig } from '@aws-sdk/client-app-mesh';
import { type BackoffRetryOptions, BackoffRetryStrategy } from './retry.ts';

export interface AwsClientsOptions {
  readonly region?: string;
  /** Replaces only the transport: an object with `handle(request)`, as the rehearsal's simulated AWS. */
  readonly requestHandler?: AppMeshClientConfig['requestHandler'];
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly retry?: BackoffRetryOptions;
  /** A named profile of the shared config files (the CLI's --profile); the SDK's chain otherwise. */
  readonly profile?: string;
  /** Every call goes to this URL instead of the service's endpoint (the CLI's --endpoint-url). */
  readonly endpoint?: string;
}

/** What every client is built with: its own retry strategy and the caller's options. */
export type AwsClientConfig = ReturnType<typeof clientConfig>;

function clientConfig(options: AwsClientsOptions) {
  const retryStrategy = new BackoffRetryStrategy(options.retry);
  return {
    retryStrategy,
    // Only the amz-sdk-request header reads this; the strategy itself decides when to stop.
    maxAttempts: retryStrategy.maxAttempts,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.requestHandler === undefined ? {} : { requestHandler: options.requestHandler }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
}

/**
 * Each SDK client, by its class, built the first time an adapter asks for it and shared after that.
 * Adapters name the class they use, so a Lambda function's bundle holds only the clients its ports
 * ask for (functions/*.ts list their ports). This module imports no client, so that a router's
 * client, imported when a release first uses that router, is not in every function's code.
 */
export interface AwsClientSource {
  client<C>(Client: new (config: AwsClientConfig) => C): C;
}

export function awsClientSource(options: AwsClientsOptions = {}): AwsClientSource {
  const made = new Map<unknown, unknown>();
  return {
    client<C>(Client: new (config: AwsClientConfig) => C): C {
      if (!made.has(Client)) made.set(Client, new Client(clientConfig(options)));
      return made.get(Client) as C;
    },
  };
}
