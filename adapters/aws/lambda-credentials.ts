import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for @aws-sdk/credential-provider-node's default chain in the Lambda functions' bundles
 * only (scripts/build.mjs aliases that package here): Lambda hands a function its execution role's
 * keys in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (Lambda developer guide,
 * "Defined runtime environment variables"), which is the chain's first link, so the chain's SSO, ini
 * file, process, web identity and instance metadata providers, and the STS and SSO clients they
 * bring, would never run there. The CLI and the rehearsal keep the whole chain.
 */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
