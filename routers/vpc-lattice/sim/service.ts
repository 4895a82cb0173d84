import { parseJsonObject, queryOf, readBody } from '../../sim/http.ts';
import { restJsonWire } from '../../sim/rest-json-protocol.ts';
import {
  type Call,
  type CallContext,
  type Json,
  notServed,
  type SimulatedService,
  type Wire,
} from '../../sim/service.ts';
import { SimulatedLattice } from './model.ts';
import { latticeCall } from './wire.ts';
import type { LatticeWorld } from './world.ts';

/** The operations the simulated VPC Lattice serves; a scenario's fault may target any of them. */
export const LATTICE_OPERATIONS = [
  'GetRule',
  'UpdateRule',
  'GetListener',
  'UpdateListener',
  'ListTargetGroups',
  'ListTargets',
  'CreateRule',
  'DeleteRule',
  'ListRules',
] as const;

const wire: Wire = {
  ...restJsonWire({
    host: 'vpc-lattice.',
    routes: [],
    namespace: 'vpclattice',
    unreadableError: 'ValidationException',
  }),
  read: (request, region) => {
    const body = readBody(request.body);
    const parsed = body === '' ? { value: {} } : parseJsonObject(body);
    const { operation, input } = latticeCall(request, { ...queryOf(request), ...parsed.value });
    return {
      operation,
      input,
      region,
      ...('error' in parsed && parsed.error !== undefined ? { unreadable: parsed.error } : {}),
    };
  },
};

/** VPC Lattice's rules, listeners and target groups, on Lattice's wire (restJson1). */
export class SimulatedLatticeService implements SimulatedService {
  readonly name = 'lattice';
  readonly title = 'VPC Lattice';
  readonly wire = wire;
  // Lattice's ThrottlingException is a 429 (its API model), not the 400 of the query services.
  readonly faultStatuses = { ThrottlingException: 429 };
  readonly model: SimulatedLattice;

  constructor(
    world: LatticeWorld,
    readonly now: () => number,
  ) {
    this.model = new SimulatedLattice(world);
  }

  /** A person's edits due by now land first (they happened before this call), then the call is answered. */
  serve(call: Call, context: CallContext): Json {
    this.model.applyEdits(context.at);
    // Lattice's timestamps are RFC 3339 date-times on the wire.
    const answer = this.model.answer(call.operation, call.input, call.region, context.at, (s) =>
      new Date(context.epochSeconds(s) * 1000).toISOString(),
    );
    if (answer) return answer;
    throw notServed(this.title, call.operation, LATTICE_OPERATIONS, 'ValidationException');
  }
}
