import { SIMULATED_REGION } from '../../sim/account.ts';
import { restJsonWire } from '../../sim/rest-json-protocol.ts';
import {
  type Call,
  type CallContext,
  type Json,
  notServed,
  type SimulatedService,
  type Wire,
} from '../../sim/service.ts';
import { LambdaAliasModel } from './model.ts';
import type { LambdaWorld } from './world.ts';

/** The operations the simulated Lambda's aliases serve; a scenario's fault may target any of them. */
export const LAMBDA_ALIAS_OPERATIONS = [
  'GetAlias',
  'UpdateAlias',
  'GetFunctionConfiguration',
  'GetProvisionedConcurrencyConfig',
  'ListVersionsByFunction',
] as const;

const FN = '([^/]+)';
/** Lambda's REST paths (restJson1) for these operations, as the SDK's commands build them. */
const ROUTES = [
  ['GET', new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), 'GetAlias', ['FunctionName', 'Name']],
  ['PUT', new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), 'UpdateAlias', ['FunctionName', 'Name']],
  [
    'GET',
    new RegExp(`^/2015-03-31/functions/${FN}/configuration$`),
    'GetFunctionConfiguration',
    ['FunctionName'],
  ],
  ['GET', new RegExp(`^/2015-03-31/functions/${FN}/versions$`), 'ListVersionsByFunction', ['FunctionName']],
  [
    'GET',
    new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`),
    'GetProvisionedConcurrencyConfig',
    ['FunctionName'],
  ],
] as const;

const rest = restJsonWire({
  host: 'lambda.',
  routes: ROUTES,
  namespace: 'awsgirapi',
  unreadableError: 'InvalidRequestContentException',
});

/**
 * Lambda's alias calls, on Lambda's wire: this service claims the alias, configuration and provisioned
 * concurrency paths of Lambda's host; Invoke's path stays the hook functions' (rehearsal/services/lambda/).
 */
const wire: Wire = {
  ...rest,
  claims: (request) =>
    rest.claims(request) &&
    ROUTES.some(
      ([method, path]) => method === (request.method ?? 'GET').toUpperCase() && path.test(request.path ?? ''),
    ),
};

/** Lambda's functions, versions and aliases, as a Lambda router's release and a person's console see them. */
export class SimulatedLambdaAliases implements SimulatedService {
  readonly name = 'lambda';
  readonly title = 'Lambda';
  readonly wire = wire;
  // Lambda's API model: throttling is a 429, a conflicting operation a 409, a stale RevisionId a 412.
  readonly faultStatuses = {
    TooManyRequestsException: 429,
    ResourceConflictException: 409,
    PreconditionFailedException: 412,
  };
  readonly model: LambdaAliasModel;

  constructor(world: LambdaWorld) {
    this.model = new LambdaAliasModel(world);
  }

  serve(call: Call, _context: CallContext): Json {
    const region = call.region || SIMULATED_REGION;
    switch (call.operation) {
      case 'GetAlias':
        return this.model.getAlias(call.input, region);
      case 'UpdateAlias':
        return this.model.updateAlias(call.input, region);
      case 'GetFunctionConfiguration':
        return this.model.getFunctionConfiguration(call.input, region);
      case 'GetProvisionedConcurrencyConfig':
        return this.model.getProvisionedConcurrencyConfig(call.input, region);
      case 'ListVersionsByFunction':
        return this.model.listVersionsByFunction(call.input, region);
      default:
        throw notServed(
          this.title,
          call.operation,
          LAMBDA_ALIAS_OPERATIONS,
          'InvalidParameterValueException',
        );
    }
  }
}
