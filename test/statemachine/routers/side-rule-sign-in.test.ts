import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';

const EXAMPLE = new URL('../../../examples/alb/blue-green-promotes.json', import.meta.url).pathname;

/** The ALB blue/green example whose release rule signs people in with `signIn` before it forwards. */
async function signingIn(signIn: Record<string, unknown>): Promise<Scenario> {
  const scenario = structuredClone(await loadScenario(EXAMPLE));
  const [route] = (scenario.world as unknown as { alb: { routes: { actions: Record<string, unknown>[] }[] } })
    .alb.routes;
  route!.actions = [{ ...signIn, Order: 1 }, ...route!.actions.map((a) => ({ ...a, Order: 2 }))];
  return scenario;
}

const WRITES = ['CreateRule', 'ModifyRule', 'ModifyListener', 'DeleteRule', 'PutItem', 'UpdateItem'];

// ALB runs only the first rule that matches: a side rule without the release rule's sign-in would let
// anyone who sends the test header reach the new version without signing in.
describe('an ALB side rule beside a release rule that signs people in', () => {
  it('signs them in with the same Cognito action before forwarding to the new version', async () => {
    const cognito = {
      Type: 'authenticate-cognito',
      AuthenticateCognitoConfig: {
        UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abcdefghi',
        UserPoolClientId: 'orders-web',
        UserPoolDomain: 'shop',
      },
    };
    const report = await rehearse(await signingIn(cognito));

    expect(report.outcome).toBe('promoted');
    const [create] = report.calls.filter((c) => c.operation === 'CreateRule');
    const actions = create?.input.Actions as Record<string, unknown>[];
    expect(actions[0]).toEqual({ ...cognito, Order: 1 });
    expect(actions[1]).toMatchObject({ Type: 'forward', Order: 2 });
  });

  it('is refused at Prepare, in a sentence and with nothing written, when the sign-in is OIDC', async () => {
    const report = await rehearse(
      await signingIn({
        Type: 'authenticate-oidc',
        AuthenticateOidcConfig: {
          Issuer: 'https://idp.example.com',
          AuthorizationEndpoint: 'https://idp.example.com/auth',
          TokenEndpoint: 'https://idp.example.com/token',
          UserInfoEndpoint: 'https://idp.example.com/userinfo',
          ClientId: 'orders',
        },
      }),
    );

    expect(report.outcome).toBe('rejected');
    expect(report.error?.message).toContain(
      'signs people in with authenticate-oidc, whose client secret ALB never returns and a new rule needs',
    );
    expect(report.calls.filter((c) => WRITES.includes(c.operation))).toEqual([]);
  });
});
