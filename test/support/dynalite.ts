import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';

/**
 * A DynamoDB client over the simulated AWS, whose DynamoDB is dynalite: DynamoDB's own conditional
 * writes, for the table adapters' tests, with world.faults if given. One attempt, so a refused write
 * shows at once.
 */
export function dynaliteClient(faults: unknown[] = []) {
  const clock = new VirtualClock();
  const sim = new SimulatedAws(parseWorld({ appmesh: { routes: [] }, faults }), clock);
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  });
  return { clock, sim, client };
}
