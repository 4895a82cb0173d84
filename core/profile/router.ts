import * as z from 'zod/mini';
import { oncePer } from '../once-per.ts';
import type { RouterKind, RouterKinds } from '../ports.ts';
import type { RouterConfig } from '../shapes.ts';
import { show } from '../validation.ts';

/**
 * The profile's router block: one of the kinds' own schemas, chosen by its "type". The kinds come from
 * routers/registry.ts through the composition roots; core knows none of them by name.
 */
function buildRouterSchema(kinds: RouterKinds): z.ZodMiniType<RouterConfig> {
  const types = kinds.map((k) => k.type).join(', ');
  // Each kind's schema is a strict object whose "type" is its literal (RouterKind.configSchema).
  const options = kinds.map((k) => k.configSchema) as unknown as Parameters<typeof z.discriminatedUnion>[1];
  return z.discriminatedUnion('type', options, {
    error: (iss) =>
      iss.code === 'invalid_union' && 'discriminator' in iss
        ? `${show((iss.input as { type?: unknown } | undefined)?.type)} is not a router stepshift drives; use one of: ${types}`
        : `must be an object with a "type" (one of: ${types})`,
  }) as unknown as z.ZodMiniType<RouterConfig>;
}

/** The router block's schema for these kinds, built once per list of kinds. */
export const routerSchemaFor = oncePer(buildRouterSchema);

/** The kind of a router block a profile parsed with these kinds holds. */
function kindOf(kinds: RouterKinds, router: RouterConfig): RouterKind {
  const kind = kinds.find((k) => k.type === router.type);
  if (!kind) throw new TypeError(`${show(router.type)} is not a router these kinds know`);
  return kind;
}

/** How logs, errors and the CLI name a profile's route, e.g. "appmesh:shop/orders-router/orders-route". */
export function routeLabel(kinds: RouterKinds, router: RouterConfig): string {
  return kindOf(kinds, router).routeLabel(router);
}
