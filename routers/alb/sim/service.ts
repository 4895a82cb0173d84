import { readBody } from '../../sim/http.ts';
import {
  type Call,
  type CallContext,
  type Json,
  notServed,
  ServiceError,
  type SimulatedService,
  type Wire,
} from '../../sim/service.ts';
import { SimulatedAlb } from './model.ts';
import { queryCall, queryError, queryResponse } from './wire.ts';
import type { AlbWorld } from './world.ts';

/** The operations the simulated ELB serves; a scenario's fault may target any of them. */
export const ALB_OPERATIONS = [
  'DescribeRules',
  'ModifyRule',
  'DescribeListeners',
  'ModifyListener',
  'DescribeTargetGroups',
  'DescribeTargetHealth',
  // CreateRule and DeleteRule are Lattice's names too (LATTICE_OPERATIONS): a fault on one fails either.
  'DescribeTags',
] as const;

const xml = (status: number, requestId: string, body: string) => ({
  status,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body,
});

/** ELB's awsQuery wire: a form body naming the Action, answers and errors in XML. */
const wire: Wire = {
  claims: (request) => (request.hostname ?? '').startsWith('elasticloadbalancing.'),
  read: (request, region) => ({ ...queryCall(readBody(request.body)), region }),
  answer: (call, body, requestId) => xml(200, requestId, queryResponse(call.operation, requestId, body)),
  refuse: (error, requestId) =>
    xml(error.status, requestId, queryError(requestId, error.name, error.status, error.message)),
  unreadable: (message) => new ServiceError('ValidationError', 400, message),
};

/** Application Load Balancer rules, listeners and target groups, on ELB's wire. */
export class SimulatedAlbService implements SimulatedService {
  readonly name = 'elbv2';
  readonly title = 'Elastic Load Balancing';
  readonly wire = wire;
  readonly model: SimulatedAlb;

  constructor(
    world: AlbWorld,
    readonly now: () => number,
  ) {
    this.model = new SimulatedAlb(world);
  }

  /** A person's edits due by now land first (they happened before this call), then the call is answered. */
  serve(call: Call, context: CallContext): Json {
    this.model.applyEdits(context.at);
    const answer = this.model.answer(call.operation, call.input);
    if (answer) return answer;
    throw notServed(this.title, call.operation, ALB_OPERATIONS, 'InvalidAction');
  }
}
