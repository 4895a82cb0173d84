import type { DoctorDeps } from '#core/doctor/doctor.ts';
import { InvalidRequestError } from '#core/errors.ts';
import type { WebhookPing } from '#core/observing-ports.ts';
import type { Clock, HealthSource } from '#core/ports.ts';
import { routerKinds } from '#routers/registry.ts';
import { awsErrorName, errorMessage } from './aws/aws-errors.ts';
import type { AwsClients } from './aws/clients.ts';
import { createAlarmHealthSource } from './aws/cloudwatch-alarms.ts';
import { createMetricHealthSource } from './aws/cloudwatch-metrics.ts';
import { hookRunnerOver } from './aws/hook-runner.ts';
import { createLambdaFunctions } from './aws/lambda-functions.ts';
import { prepareRouterFactory } from './prepare-router-port.ts';
import type { WebhookTransport } from './webhook/transport.ts';

/**
 * What CloudWatch answers a request it finds invalid (API reference, Common Errors), and the adapter's
 * refusal of a query's data: said of the query, as a finding, not as AWS out of reach.
 */
const REFUSALS = new Set([
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'MissingParameter',
  'MissingRequiredParameterException',
  'ValidationError',
  'MetricDataForbidden',
]);

function refusalsAsFindings(clients: AwsClients): HealthSource['readMetrics'] {
  const { readMetrics } = createMetricHealthSource(clients.cloudWatch);
  return async (read) => {
    try {
      return await readMetrics(read);
    } catch (error) {
      if (!REFUSALS.has(awsErrorName(error))) throw error;
      throw new InvalidRequestError([`${awsErrorName(error)}: ${errorMessage(error)}`]);
    }
  };
}

/**
 * The read-only ports `stepshift doctor` asks the account through: the routers, CloudWatch's alarms and
 * metrics, over these clients (AWS's, or a scenario's simulated account). The same adapters Prepare uses.
 */
export interface DoctorDepsOptions {
  /** Call each webhook hook once with a signed test call (HookCall.ping): --ping-webhooks. */
  readonly pingWebhooks?: boolean;
  /** How webhooks are called: Node's https behind the address policy unless a scenario scripts them. */
  readonly webhook?: WebhookTransport;
}

/**
 * A webhook's test call, made by the hook runner a release uses: the same URL rules, address policy,
 * timeout, retries and signature (its secret read from Secrets Manager), the body marked as a ping.
 */
function webhookPing(clients: AwsClients, clock: Clock, webhook: WebhookTransport | undefined): WebhookPing {
  const runner = hookRunnerOver(clients, { webhook, now: () => clock.now() });
  return {
    ping: (hook, service) =>
      runner.run(hook, {
        releaseId: 'stepshift-doctor-ping',
        service,
        version: '',
        phase: hook.phase,
        step: 0,
        targets: [],
        ping: true,
      }),
  };
}

export function createDoctorDeps(
  clients: AwsClients,
  clock: Clock,
  options: DoctorDepsOptions = {},
): DoctorDeps {
  return {
    ...(options.pingWebhooks ? { webhooks: webhookPing(clients, clock, options.webhook) } : {}),
    routerFor: prepareRouterFactory(clients),
    routerKinds,
    health: { ...createAlarmHealthSource(clients.cloudWatch), readMetrics: refusalsAsFindings(clients) },
    clock,
    functions: createLambdaFunctions(clients.lambda),
  };
}
