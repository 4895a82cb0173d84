import type { DoctorDeps } from '#core/doctor/doctor.ts';
import type { Clock } from '#core/ports.ts';
import { routerFactory } from '#routers/adapters.ts';
import { routerKinds } from '#routers/registry.ts';
import type { AwsClients } from './aws/clients.ts';
import { createAlarmHealthSource } from './aws/cloudwatch-alarms.ts';
import { createMetricHealthSource } from './aws/cloudwatch-metrics.ts';

/**
 * The read-only ports `stepshift doctor` asks the account through: the routers, CloudWatch's alarms and
 * metrics, over these clients (AWS's, or a scenario's simulated account). The same adapters Prepare uses.
 */
export function createDoctorDeps(clients: AwsClients, clock: Clock): DoctorDeps {
  return {
    routerFor: routerFactory(clients),
    routerKinds,
    health: {
      ...createAlarmHealthSource(clients.cloudWatch),
      ...createMetricHealthSource(clients.cloudWatch),
    },
    clock,
  };
}
