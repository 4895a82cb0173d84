/**
 * `stepshift/cdk`: what a CDK app of a team's own needs to deploy stepshift (docs/deploying.md). The
 * package builds it into dist/cdk.mjs with its declarations beside it (scripts/build.mjs,
 * scripts/build-types.mjs); aws-cdk-lib, constructs and cdk-nag are the app's own.
 */

export type { ReleaseDeps } from '#core/ports.ts';
export type { ProfileInput, ReleaseProfile } from '#core/profile/profile.ts';
// Types the construct's own declarations name, so that a consumer's declarations can name them too.
export type { Cast, RouterConfig, Target } from '#core/shapes.ts';
export type { DeployedFunction, FunctionName } from '#functions/index.ts';
export { profilesFrom } from '../profiles-from.ts';
export {
  type ExecutionLogging,
  type ReleaseLogLevel,
  ReleaseOrchestrator,
  type ReleaseOrchestratorProps,
} from '../release-orchestrator.ts';
