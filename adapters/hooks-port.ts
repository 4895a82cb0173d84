import { onFirstUse, type PortBuilder } from './port-builders.ts';

/**
 * The hooks port. Its code, the Lambda and Secrets Manager clients and the webhook transport are
 * imported when a hook first runs: most releases run few hooks, and a function without hooks must
 * not import the Lambda client statically, or the Lambda alias router's chunk, which shares it,
 * would load at start (port-builders.ts says why each lazy port has a module of its own).
 */
export const hooks: PortBuilder<'hooks'> = (o) => {
  const port = onFirstUse(async () =>
    (await import('./aws/hook-runner.ts')).hookRunnerOver(o.aws, {
      webhook: o.webhook,
      now: () => o.clock.now(),
    }),
  );
  return { run: async (hook, call) => (await port()).run(hook, call) };
};
