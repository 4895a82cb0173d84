import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessCommand, formatAssessment } from '../../cli/assess-command.ts';
import { guarded } from '../../cli/conventions.ts';
import type { AssessCell, AssessReport } from '../../rehearsal/assess/assess.ts';
import { assessment } from '../support/assessment.ts';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stepshift-assess-')), 'scenario.json');
  writeFileSync(path, content);
  return path;
}

function sink() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

async function run(path: string, flags: Record<string, unknown>) {
  const out = sink();
  const err = sink();
  const code = await guarded(`assessing ${path}`, { out, err, env: {} }, false, () =>
    assessCommand(path, flags, { out }),
  );
  return { code, out: out.text(), err: err.text() };
}

describe('stepshift assess', () => {
  it('refuses an option it cannot use in one sentence, exit 2, before rehearsing anything', async () => {
    const result = await run(file('{}'), { rps: '-5' });
    expect(result.code).toBe(2);
    expect(result.err).toContain('must be above 0 requests per second');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect((await run(file('{}'), { runs: 'many' })).err).toContain('must be a number: healthy runs');
  });

  it('refuses a file that is not JSON, or not a scenario, exit 2', async () => {
    expect(await run(file('{ nope'), {})).toMatchObject({ code: 2 });
    const profile = await run(file(JSON.stringify({ service: 'orders' })), {});
    expect(profile.code).toBe(2);
    expect(profile.err).toContain('is not a valid scenario');
  });

  it('prints a row per degradation, the false-rollback rate and what the profile cannot see', () => {
    // The shared assessment's caught row (×10 from the start) alone, with its 1 false rollback in 20.
    const report: AssessReport = { ...assessment, cells: [assessment.cells[1] as AssessCell] };
    const text = formatAssessment(report);
    expect(text).toContain('watches: orders-5xx (alarm, error-rate, baseline 0.2)');
    expect(text).toMatch(/error-rate ×10\s+start\s+yes\s+1m\s+599\s+1/);
    expect(text).toContain('1 false rollback(s) in 20 seeded run(s) (5%)');
    expect(text).toContain('latency: no check or alarm the profile watches carries it');
  });

  it('shows a frozen cell as caught with no time to rollback, and says its requests stop at the freeze', () => {
    const frozen = {
      ...assessment,
      cells: [
        {
          kind: 'error-rate' as const,
          degradation: '×5',
          onset: 'start' as const,
          onsetSeconds: 0.8,
          outcome: 'stopped' as const,
          detected: true,
          secondsToRollback: null,
          badRequests: 2396,
          stepReached: 1,
          frozenAt: 240.35,
        },
      ],
    };
    const text = formatAssessment(frozen);
    expect(text).toMatch(/error-rate ×5\s+start\s+yes\s+-\s+2396\s+1/);
    expect(text).toContain('frozen by onFailure "freeze": 1 caught cell(s) kept their traffic');
    expect(text).toContain('counted until the freeze, after which a person decides');
    const none = { ...assessment, cells: assessment.cells.filter((c) => c.frozenAt === null) };
    expect(formatAssessment(none)).not.toContain('frozen by onFailure');
  });
});
