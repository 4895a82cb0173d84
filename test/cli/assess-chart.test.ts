import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { assessCommand } from '../../cli/assess-command.ts';
import { guarded } from '../../cli/conventions.ts';
import { assessment } from '../support/assessment.ts';
import { itemsOf } from '../support/svg.ts';

// The rehearsals are assess.test.ts's to test; here the command only hands their report to the chart.
const assess = vi.hoisted(() => vi.fn());
vi.mock('#rehearsal/assess/assess.ts', () => ({ assess }));

const scenario = new URL('../../examples/canary-healthy.json', import.meta.url).pathname;

function sink() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

async function run(flags: Record<string, unknown>) {
  const out = sink();
  const err = sink();
  const code = await guarded(`assessing ${scenario}`, { out, err, env: {} }, Boolean(flags.json), () =>
    assessCommand(scenario, flags, { out }),
  );
  return { code, out: out.text(), err: err.text() };
}

describe('stepshift assess --chart', () => {
  it('draws the assessment to the SVG file and says where, beside the table', async () => {
    // Prepare
    assess.mockResolvedValue(assessment);
    const chart = join(mkdtempSync(join(tmpdir(), 'stepshift-assess-')), 'assess.svg');

    // Act
    const result = await run({ chart });

    // Assess
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('healthy new version: 1 false rollback(s)');
    expect(result.out.trim().split('\n').at(-1)).toBe(`chart: ${chart}`);
    const svg = readFileSync(chart, 'utf8');
    expect(itemsOf(svg, 'bad_requests')).toHaveLength(assessment.cells.length);
  });

  it('keeps --json to one document when it draws', async () => {
    // Prepare
    assess.mockResolvedValue(assessment);
    const chart = join(mkdtempSync(join(tmpdir(), 'stepshift-assess-')), 'assess.svg');

    // Act
    const result = await run({ chart, json: true });

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ name: 'orders v2' });
    expect(existsSync(chart)).toBe(true);
  });

  it('refuses a chart it cannot write in one sentence, exit 2, before rehearsing anything', async () => {
    // Prepare
    assess.mockClear();
    const chart = join(mkdtempSync(join(tmpdir(), 'stepshift-assess-')), 'no-such-folder', 'assess.svg');

    // Act
    const result = await run({ chart });

    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain(`the chart cannot be written to ${chart}`);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(assess).not.toHaveBeenCalled();
  });
});
