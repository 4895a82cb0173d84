import { routerFactory } from '#routers/adapters.ts';
import type { PortBuilder } from './port-builders.ts';

/**
 * The Router of a profile's router block; each router's code and SDK client is imported when a
 * release first uses that router (routers/adapters.ts). A module of its own: see lazy-ports.ts.
 */
export const routerFor: PortBuilder<'routerFor'> = (o) => routerFactory(o.aws);
