/** A JSON object as the simulated services hold one. */
type Json = Record<string, unknown>;

/**
 * What ELB's CreateRule refuses in a new rule's actions beyond what ModifyRule checks too, or undefined:
 * an authenticate-oidc action without its ClientSecret ("required if you are creating a rule";
 * UseExistingClientSecret only keeps the secret of a rule being modified, AuthenticateOidcActionConfig
 * in the ELB API reference), and actions without a distinct Order each, or with the forward, redirect or
 * fixed-response action anywhere but last (Action.Order: "required for rules with multiple actions").
 */
export function createRuleActionsProblem(actions: readonly Json[]): string | undefined {
  const oidc = actions.find((a) => a.Type === 'authenticate-oidc')?.AuthenticateOidcConfig as
    | Json
    | undefined;
  if (oidc && !oidc.ClientSecret) {
    return 'AuthenticateOidcConfig.ClientSecret is required when creating a rule';
  }
  if (actions.length < 2) return undefined;
  const orders = actions.map((a) => a.Order);
  if (orders.some((o) => typeof o !== 'number') || new Set(orders).size !== orders.length) {
    return 'Each action of a rule with several actions must have a distinct Order';
  }
  const last = [...actions].sort((a, b) => (a.Order as number) - (b.Order as number)).at(-1);
  if (!['forward', 'redirect', 'fixed-response'].includes(String(last?.Type))) {
    return 'A forward, redirect or fixed-response action must be the last action of a rule';
  }
  return undefined;
}
