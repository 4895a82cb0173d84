import type { AssessCell, AssessReport } from '../../rehearsal/assess/assess.ts';

const cell = (c: Partial<AssessCell> & Pick<AssessCell, 'kind' | 'degradation' | 'onset'>): AssessCell => ({
  onsetSeconds: 1,
  outcome: 'promoted',
  detected: false,
  secondsToRollback: null,
  badRequests: 25_576,
  stepReached: 3,
  frozenAt: null,
  ...c,
});

/** A small assessment: caught, missed, caught but held, and a kind the profile does not watch. */
export const assessment: AssessReport = {
  name: 'orders v2',
  options: { rps: 100, seed: 1, runs: 20, sigma: 0.1 },
  target: 'orders-v2',
  signals: [{ source: 'alarm', name: 'orders-5xx', kind: 'error-rate', baseline: 0.2 }],
  unwatched: ['latency'],
  onsets: { start: 1, 'mid-step': 151, 'last-step': 601 },
  cells: [
    cell({ kind: 'error-rate', degradation: '×2', onset: 'start' }),
    cell({
      kind: 'error-rate',
      degradation: '×10',
      onset: 'start',
      outcome: 'rolled_back',
      detected: true,
      secondsToRollback: 60,
      badRequests: 599,
      stepReached: 1,
    }),
    cell({
      kind: 'error-rate',
      degradation: '×10',
      onset: 'mid-step',
      onsetSeconds: 151,
      outcome: 'stopped',
      detected: true,
      badRequests: 4_210,
      frozenAt: 572,
      stepReached: 1,
    }),
    cell({
      kind: 'latency',
      degradation: '+50%',
      onset: 'last-step',
      onsetSeconds: 601,
      badRequests: 15_058,
    }),
  ],
  healthy: { runs: 20, falseRollbacks: 1, rate: 0.05 },
};
