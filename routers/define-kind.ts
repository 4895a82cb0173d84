import type * as z from 'zod/mini';
import type { RouterKind } from '#core/ports.ts';
import type { RouterConfig } from '#core/shapes.ts';

/** A router kind with its own schema's type, so its router, IAM and simulator read typed config. */
export interface TypedRouterKind<S extends z.ZodMiniType<RouterConfig>> extends RouterKind {
  readonly configSchema: S;
}

interface KindDefinition<S extends z.ZodMiniType<RouterConfig>> {
  readonly type: z.output<S>['type'];
  readonly title: string;
  readonly configSchema: S;
  routeLabel(config: z.output<S>): string;
  targetTemplateProblem(template: string): string | undefined;
  readonly sideRoutes: boolean;
}

/**
 * A router kind from its definition. Core hands a kind its router block as the open RouterConfig; the
 * block was parsed with this kind's schema (the profile's router union picks the schema by type), so
 * a block of this type is this kind's config, and a block of another type is a caller's mistake.
 */
export function defineRouterKind<S extends z.ZodMiniType<RouterConfig>>(
  definition: KindDefinition<S>,
): TypedRouterKind<S> {
  return {
    ...definition,
    routeLabel: (config) => definition.routeLabel(narrowConfig(definition.type, config)),
  };
}

/** The router block as its own kind's config, once its type says it is one. */
export function narrowConfig<C extends RouterConfig>(type: C['type'], config: RouterConfig): C {
  if (config.type !== type) {
    throw new TypeError(
      `the ${type} router was handed a router block of type ${JSON.stringify(config.type)}`,
    );
  }
  return config as C;
}
