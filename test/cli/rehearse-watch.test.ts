import { describe, expect, it } from 'vitest';
import { rehearseCommand } from '../../cli/rehearse-command.ts';

const scenario = 'examples/canary-alarm-rollback.json';

function collect(isTTY?: boolean) {
  const output = {
    text: '',
    isTTY,
    write(t: string) {
      output.text += t;
      return true;
    },
  };
  return output;
}

describe('stepshift rehearse --watch', () => {
  it('prints plain lines outside a terminal, and exits as the rehearsal does', async () => {
    const out = collect();
    expect(await rehearseCommand([scenario], { watch: true }, out, collect())).toBe(0);
    expect(out.text).toContain('+00:07:00 orders v2 rolled back at step 2 (25%): orders-5xx 4.7 > 1\n');
    expect(out.text).not.toContain('analysis.completed');
    expect(out.text).not.toContain('\u001b[');
  });

  it('redraws the view in place on a terminal, leaving the event lines above it', async () => {
    const out = collect(true);
    await rehearseCommand([scenario], { watch: true }, out as unknown as NodeJS.WriteStream, collect());
    // log-update erases the frame's lines (ESC [2K) before each redraw.
    expect(out.text).toContain('\u001b[2K');
    expect(out.text).toContain('next check  in 5m');
    expect(out.text).toContain('orders v2 rolled back at step 2 (25%): orders-5xx 4.7 > 1\n');
  });

  it('adds the last view to the --json document', async () => {
    const out = collect();
    await rehearseCommand([scenario], { watch: true, json: true }, out, collect());
    const document = JSON.parse(out.text);
    expect(document.outcome).toBe('rolled_back');
    expect(document.view).toMatchObject({
      releaseId: 'rehearsal',
      service: 'orders',
      version: 'v2',
      state: 'ended',
      outcome: 'rolled_back',
      step: 1,
      weights: [{ target: 'orders-v1', weight: 100 }],
    });
  });
});
