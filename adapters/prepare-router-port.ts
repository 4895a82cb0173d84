import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import type { RouterFactory } from '#core/ports.ts';
import { type PrepareReads, routerFactory } from '#routers/adapters.ts';
import { onFirstUse, type PortBuilder } from './port-builders.ts';

// A module of its own, imported only where releaseProblems is asked (Prepare, the rehearsal,
// `stepshift doctor`): esbuild emits a chunk for every import() in a module it bundles, so the other
// functions, which import router-port.ts, hold no CodeDeploy client.

/** The reads releaseProblems makes beyond a route, each client imported when first used. */
export function prepareReads(aws: AwsClientSource): PrepareReads {
  const deployments = onFirstUse(() =>
    import('#routers/lambda/deployments.ts').then((m) => m.activeDeploymentsOver(aws)),
  );
  return { activeDeployments: async (group) => (await deployments())(group) };
}

/** The routers over their SDK clients, with what Prepare's checks read beyond the route. */
export function prepareRouterFactory(aws: AwsClientSource): RouterFactory {
  return routerFactory(aws, prepareReads(aws));
}

/** ReleaseDeps.routerFor for Prepare: routerFor (router-port.ts) and the reads of prepareReads. */
export const prepareRouterFor: PortBuilder<'routerFor'> = (o) => prepareRouterFactory(o.aws);
