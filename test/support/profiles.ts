/** The example service's profile, as a team would write it. */
import type { ProfileInput } from '#core/profile/profile.ts';
export function ordersProfile(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    service: 'orders',
    router: {
      type: 'appmesh',
      meshName: 'shop',
      virtualRouterName: 'orders-router',
      routeName: 'orders-route',
    },
    targets: { canary: 'orders-{version}' },
    strategy: { type: 'canary', steps: [10, 25, 50], interval: '5m' },
    analysis: { alarms: ['orders-5xx'], failureThreshold: 1, insufficientData: 'ignore' },
    ...overrides,
  };
}
