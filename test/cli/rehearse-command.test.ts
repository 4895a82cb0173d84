import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { rehearseCommand } from '../../cli/rehearse-command.ts';
import { healthyScenarioInput } from '../support/scenarios.ts';
import { itemsOf } from '../support/svg.ts';

const examples = new URL('../../examples/', import.meta.url).pathname;

function capture() {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

function scenarioFile(change: (s: ReturnType<typeof healthyScenarioInput>) => void): string {
  const s = healthyScenarioInput();
  change(s);
  const file = join(mkdtempSync(join(tmpdir(), 'stepshift-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(s));
  return file;
}

describe('stepshift rehearse', () => {
  it('prints one line per event with the virtual clock, and exits 0 when the expectation is met', async () => {
    const { out, text } = capture();
    const code = await rehearseCommand([`${examples}canary-healthy.json`], {}, out);
    expect(code).toBe(0);
    const lines = text().split('\n');
    expect(lines.filter((l) => /^\[\d\d:\d\d:\d\d\.\d\d\] traffic\.shifted/.test(l))).toHaveLength(3);
    expect(text()).toContain('step 2/3: orders-v1 75% · orders-v2 25%');
    expect(text()).toContain('expected promoted: met');
  });

  it('with --json prints one document with outcome, finalRoutes, timeline and calls', async () => {
    const { out, text } = capture();
    const code = await rehearseCommand([`${examples}canary-alarm-rollback.json`], { json: true }, out);
    const report = JSON.parse(text());
    expect(code).toBe(0);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error.name).toBe('ReleaseRolledBack');
    expect(report.finalRoutes[0].fields.spec.httpRoute.action.weightedTargets).toEqual([
      { virtualNode: 'orders-v1', weight: 100, port: 8080 },
    ]);
    expect(report.timeline[0]).toMatchObject({
      at: expect.any(Number),
      event: 'release.planned',
      weights: { 'orders-v1': 100 },
    });
    expect(report.calls[0]).toMatchObject({
      service: 'appmesh',
      operation: 'DescribeRoute',
      input: { meshName: 'shop' },
    });
  });

  it('exits 1 when a stated expectation is not met', async () => {
    const file = scenarioFile((s) => {
      s.expect = { outcome: 'rolled_back' };
    });
    const { out, text } = capture();
    expect(await rehearseCommand([file], {}, out)).toBe(1);
    expect(text()).toContain('expected rolled_back, got promoted: NOT MET');
  });

  it('without an expectation exits 0 for promoted and rolled back, 1 for rejected', async () => {
    const promoted = scenarioFile(() => {});
    const rolledBack = scenarioFile((s) => {
      s.world.faults = [{ operation: 'UpdateRoute', call: 2, error: 'AccessDeniedException' }];
    });
    const rejected = scenarioFile((s) => {
      s.request = { service: 'orders' };
    });
    const { out, text } = capture();
    expect(await rehearseCommand([promoted], {}, out)).toBe(0);
    expect(await rehearseCommand([rolledBack], {}, out)).toBe(0);
    expect(text()).toContain('ROLLED_BACK (ReleaseRolledBack)');
    expect(await rehearseCommand([rejected], {}, out)).toBe(1);
  });

  it('explains a broken scenario file and exits 2', async () => {
    const file = scenarioFile((s) => {
      s.world.faults = [{ operation: 'UpdateRoute', call: 0, error: 'Oops' }];
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { out } = capture();
    expect(await rehearseCommand([file], {}, out)).toBe(2);
    const message = String(stderr.mock.calls[0]?.[0]);
    stderr.mockRestore();
    expect(message).toContain('is not a valid scenario');
    expect(message).toContain('world.faults[0]');
  });
});

describe('stepshift rehearse --json: one document of one shape', () => {
  const broken = () =>
    scenarioFile((s) => {
      s.world.faults = [{ operation: 'UpdateRoute', call: 0, error: 'Oops' }];
    });

  it('prints an object for one file, naming the file', async () => {
    const { out, text } = capture();
    expect(await rehearseCommand([`${examples}canary-healthy.json`], { json: true }, out)).toBe(0);
    expect(JSON.parse(text())).toMatchObject({ file: `${examples}canary-healthy.json`, outcome: 'promoted' });
  });

  it('prints one broken file as a result with its error, not an empty array', async () => {
    // Prepare
    const file = broken();
    const { out, text } = capture();
    const err = capture();

    // Act
    const code = await rehearseCommand([file], { json: true }, out, err.out);

    // Assess
    expect(code).toBe(2);
    const result = JSON.parse(text());
    expect(result).toMatchObject({ file, outcome: 'not_run', error: { name: 'ScenarioError' } });
    expect(result.error.message).toContain('world.faults[0]');
    expect(err.text()).toContain('is not a valid scenario');
  });

  it('prints an array for several files, a broken one among them in its place', async () => {
    const file = broken();
    const { out, text } = capture();
    const code = await rehearseCommand(
      [`${examples}canary-healthy.json`, file],
      { json: true },
      out,
      capture().out,
    );
    expect(code).toBe(2);
    expect(JSON.parse(text()).map((r: { file: string; outcome: string }) => [r.file, r.outcome])).toEqual([
      [`${examples}canary-healthy.json`, 'promoted'],
      [file, 'not_run'],
    ]);
  });
});

describe('the timeline of a release without health signals', () => {
  it('says plainly that it promotes on time alone', async () => {
    const file = scenarioFile((s) => {
      s.profile.analysis = { alarms: [] };
    });
    const { out, text } = capture();
    expect(await rehearseCommand([file], {}, out)).toBe(0);
    expect(text()).toContain('watching NO health signals: it promotes on time alone');
  });

  it('says what else ran: a second release refused, the guard after a stop', async () => {
    const { out, text } = capture();
    const code = await rehearseCommand(
      [`${examples}concurrent-release.json`, `${examples}operator-stop.json`],
      {},
      out,
    );
    expect(code).toBe(0);
    expect(text()).toContain('  also ran: rehearsal-2: rejected (ReleaseInProgress: ');
    expect(text()).toContain('  guard (rehearsal ABORTED, attempt 1): restored');
    expect(text()).not.toContain('still locked');
  });
});

describe('the picture of a rehearsal', () => {
  it('sums up the new version’s share in a sparkline, and with --chart draws the release into an SVG file', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'stepshift-')), 'release.svg');
    const { out, text } = capture();

    // Act
    const code = await rehearseCommand([`${examples}canary-alarm-rollback.json`], { chart: file }, out);

    // Assess: 10% for the first five minutes, 25% for two, then back to nothing; the checks and the rollback marked
    expect(code).toBe(0);
    expect(text()).toMatch(/\n {2}orders-v2: ▂+▃+▁ \(10% to 25%, left at 0%\)\n/);
    expect(text()).toContain(`chart: ${file}`);
    const markers = itemsOf(readFileSync(file, 'utf8'), 'markers');
    expect(markers.filter((m) => m.includes('markers: passed'))).toHaveLength(1);
    expect(markers.filter((m) => m.includes('markers: failed'))).toHaveLength(1);
    expect(markers.filter((m) => m.includes('markers: rollback'))).toHaveLength(1);
  });

  it('refuses --chart for several scenarios before rehearsing any, and says why when the file cannot be written', async () => {
    // Act
    const several = capture();
    const severalErr = capture();
    const refused = await rehearseCommand(
      [`${examples}canary-healthy.json`, `${examples}canary-healthy.json`],
      { chart: 'x.svg' },
      several.out,
      severalErr.out,
    );
    const nowhere = capture();
    const nowhereErr = capture();
    const unwritable = await rehearseCommand(
      [`${examples}canary-healthy.json`],
      { chart: '/nonexistent-folder/release.svg' },
      nowhere.out,
      nowhereErr.out,
    );

    // Assess
    expect(refused).toBe(2);
    expect(several.text()).toBe('');
    expect(severalErr.text()).toBe(
      '--chart draws one release, and 2 scenarios were given: rehearse one scenario with --chart\n',
    );
    expect(unwritable).toBe(2);
    expect(nowhereErr.text()).toMatch(
      /^writing the chart to \/nonexistent-folder\/release.svg failed: .*ENOENT/,
    );
  });
});
