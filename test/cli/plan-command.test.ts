import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../cli/plan-command.ts';
import { ordersProfile } from '../support/profiles.ts';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stepshift-plan-')), 'profile.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function sink() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

describe('stepshift plan', () => {
  it('prints each step with its weight, start and bake, then the cost', async () => {
    const out = sink();
    const code = await planCommand(
      file(ordersProfile({ analysis: { alarms: ['a'], interval: '2m' } })),
      {},
      out,
    );
    expect(code).toBe(0);
    expect(out.text()).toContain('orders: 3 step(s) on appmesh:shop/orders-router/orders-route');
    expect(out.text()).toContain('step 2   25%  from 5m       bakes 5m, checked 3 times');
    expect(out.text()).toContain('promote 100% at 15m');
    expect(out.text()).toMatch(/\d+ state transitions, \$0\.\d{6} per release/);
  });

  it('reads the profile out of a scenario file, and prints JSON on request', async () => {
    const out = sink();
    expect(await planCommand(file({ name: 'x', profile: ordersProfile() }), { json: true }, out)).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({
      service: 'orders',
      stateTransitions: 16,
      totalSeconds: 900,
    });
  });

  it('lists every problem of a bad profile and exits 2', async () => {
    const err = sink();
    const bad = ordersProfile({ strategy: { type: 'canary', steps: [5, 200], interval: '5m' } });
    expect(await planCommand(file(bad), {}, sink(), err)).toBe(2);
    expect(err.text()).toContain('- profile.strategy.steps[1]: 200 is above 100');
  });

  it('prints blue/green as a test step at 0% through its test route, then 100%', async () => {
    const out = sink();
    const strategy = {
      type: 'blue-green' as const,
      testHeader: { name: 'x-stepshift-preview', value: 'true' },
      bake: '10m',
    };
    expect(await planCommand(file(ordersProfile({ strategy })), {}, out)).toBe(0);
    expect(out.text()).toContain(
      'step 1    0%  from 0s       bakes 10m; production stays, matching requests go to the new version through stepshift-orders-test',
    );
    expect(out.text()).toContain('step 2  100%  from 10m      bakes 10m\n');
  });

  it('says when the file is not JSON', async () => {
    const err = sink();
    expect(await planCommand(file('{oops'), {}, sink(), err)).toBe(2);
    expect(err.text()).toMatch(/cannot be read as JSON/);
  });
});
