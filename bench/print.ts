// The benchmark's table on the terminal, one section per part.
import type { measureBlastRadius } from './parts/blast-radius.ts';
import type { measureConcurrency } from './parts/concurrency.ts';
import type { measureCost } from './parts/cost.ts';
import type { measureHistoryReads } from './parts/history-reads.ts';
import type { measureCli, measureFunctions } from './parts/processes.ts';
import type { measureScaling } from './parts/scaling.ts';
import type { measureRehearsal } from './rehearsal-speed.ts';

type Of<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
const pad = (value: unknown, width: number) => String(value).padStart(width);
const usd = (value: number) => `$${value.toFixed(6)}`;

function heading(title: string): void {
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
}

export const printers = {
  rehearsal(r: Of<typeof measureRehearsal>) {
    heading(`rehearsal: ${r.scenario}`);
    console.log(
      `  ${r.virtualSeconds} s of virtual time, ${r.stateTransitions} state transitions, ${r.awsCalls} AWS calls`,
    );
    console.log(
      `  wall: first ${r.firstMs} ms, median ${r.medianMs} ms, worst ${r.worstMs} ms over ${r.runs} runs ${r.underBudget ? '' : `! budget ${r.budgetMs} ms`}`,
    );
    console.log(`  two hours (4 steps of 30 minutes): median ${r.twoHourMedianMs} ms`);
  },
  functions(r: Of<typeof measureFunctions>) {
    heading(
      `functions: each synthesized function (cdk.out/); goal ${r.goal.atStartBytes / 1024} KB loaded at start, ${r.goal.loadMs} ms to load beyond node's own start`,
    );
    const kb = (bytes: number) => Math.round(bytes / 1024);
    console.log(
      `  ${'function'.padEnd(16)} ${pad('code KB', 8)} ${pad('at start KB', 11)} ${pad('maps KB', 8)} ${pad('load ms', 8)} ${pad('whole ms', 9)} ${pad('node ms', 8)} | ${pad('before: code KB', 15)} ${pad('load ms', 8)}`,
    );
    for (const f of [...r.functions, ...r.floor]) {
      const before = r.before[f.name];
      console.log(
        `  ${f.name.padEnd(16)} ${pad(kb(f.codeBytes), 8)} ${pad(kb(f.atStartBytes), 11)} ${pad(kb(f.mapsBytes), 8)} ${pad(f.loadMs, 8)} ${pad(f.wholeMs, 9)} ${pad(f.nodeAloneMs, 8)} ${f.meetsGoal === false ? '!' : ' '}| ${pad(before ? kb(before.code) : '', 15)} ${pad(before?.loadMs ?? '', 8)}`,
      );
    }
    console.log(
      `  medians of ${r.runs} pairs (node alone, then node loading the function); the last ${r.floor.length} rows are the floor: ${r.floor.map((f) => f.name).join(', ')}`,
    );
    console.log(`  before: ${r.beforeMeasured}`);
  },
  cli(r: Of<typeof measureCli>) {
    heading(`cli: ${r.command}, whole process, median of ${r.runs}; goal ${r.goalMs} ms`);
    console.log(
      `  built ${r.builtMs} ms${r.builtMs <= r.goalMs ? '' : ' !'}, through tsx ${r.tsxMs} ms, node alone ${r.nodeAloneMs} ms`,
    );
  },
  cost(r: Of<typeof measureCost>) {
    heading(`cost of one release (prices read ${r.pricesReadOn}); the AWS sample's loop beside it`);
    console.log(
      `  ${'release'.padEnd(32)} ${pad('bakes', 5)} ${pad('transitions', 11)} ${pad('lambda', 6)} ${pad('GB-s', 6)} ${pad('ddb req', 7)} ${pad('total', 10)} | sample: ${pad('bakes', 5)} ${pad('transitions', 11)} ${pad('lambda', 6)} ${pad('price', 10)}`,
    );
    for (const c of r.releases)
      console.log(
        `  ${c.release.padEnd(32)} ${pad(c.stepshift.bakes, 5)} ${pad(c.stepshift.stateTransitions, 11)} ${pad(c.stepshift.lambdaInvocations, 6)} ${pad(c.stepshift.gbSeconds, 6)} ${pad(c.stepshift.dynamodb.requests, 7)} ${pad(usd(c.stepshift.totalUsd), 10)} |         ${pad(c.sample.bakes, 5)} ${pad(c.sample.stateTransitions, 11)} ${pad(c.sample.lambdaInvocations, 6)} ${pad(usd(c.sample.priceUsd), 10)}`,
      );
    console.log(`  sample: ${r.sampleSource}`);
  },
  blastRadius(r: Of<typeof measureBlastRadius>) {
    const m = r.model;
    heading(
      `blast radius: ${m.rps} rps, first step ${m.firstStepPercent}%, error rate ${m.errorRate * 100}% from the shift; median / worst over ${m.phasesSeconds.length} alarm phases`,
    );
    console.log(
      `  ${'controller'.padEnd(44)} ${pad('requests', 15)} ${pad('s to rollback', 15)} ${pad('after ALARM', 15)}`,
    );
    const rows = [
      ['stepshift, alarm events', r.stepshiftEvents],
      ['stepshift, events lost (checks every 1m)', r.stepshiftPollingOnly],
      [
        `polling controller (${m.pollingController.intervalSeconds} s, threshold ${m.pollingController.threshold})`,
        r.pollingController,
      ],
    ] as const;
    const pair = (f: { median: number; worst: number }) => `${f.median} / ${f.worst}`;
    for (const [name, row] of rows)
      console.log(
        `  ${name.padEnd(44)} ${pad(pair(row.requests), 15)} ${pad(pair(row.secondsToRollback), 15)} ${pad(pair(row.requestsAfterAlarm), 15)}`,
      );
    console.log(
      `  ratio to events (medians): polling only ${r.ratios.pollingOnlyToEvents.requests}× requests, ${r.ratios.pollingOnlyToEvents.requestsAfterAlarm}× after ALARM; polling controller ${r.ratios.pollingControllerToEvents.requests}×, ${r.ratios.pollingControllerToEvents.requestsAfterAlarm}×`,
    );
  },
  concurrency(r: Of<typeof measureConcurrency>) {
    heading(
      `concurrency: ${r.services} releases of ${r.services} services in one world, started within ${r.lastStartSeconds} s`,
    );
    console.log(
      `  outcomes: ${Object.entries(r.outcomes)
        .map(([o, n]) => `${n} ${o}`)
        .join(
          ', ',
        )} (${r.rollingBack} meant to roll back); ${r.virtualSeconds} s of virtual time, ${r.awsCalls} AWS calls, ${r.events} events`,
    );
    console.log(
      `  checks: ${r.problems.length === 0 ? 'every outcome as meant, no lock held, no event crossing services' : r.problems.join('; ')}`,
    );
    console.log(
      `  wall: ${r.wallSeconds} s ${r.wallSeconds <= r.goalSeconds ? '' : `! goal ${r.goalSeconds} s`}`,
    );
  },
  scaling(r: Of<typeof measureScaling>) {
    heading(`scaling: rehearsal wall time by steps (median of ${r.runs})`);
    for (const row of r.rows) console.log(`  ${pad(row.steps, 3)} steps ${pad(row.medianMs, 9)} ms`);
    console.log(`  fit: ${r.msPerStep} ms per step + ${r.interceptMs} ms, r² ${r.r2}`);
  },
  historyReads(r: Of<typeof measureHistoryReads>) {
    heading(
      `history reads: stepshift history of 1 service among ${r.executions} executions (${r.eventsPerHistory} events each, ${r.latencyMs} ms a call${r.quota ? ", GetExecutionHistory's default quota" : ''})`,
    );
    console.log(
      `  exit ${r.exitCode}${r.failure ? ` (${r.failure})` : ''}, ${r.releasesFound} releases found in ${r.wallSeconds} s`,
    );
    console.log(
      `  GetExecutionHistory: ${r.historyCalls} calls (${Object.entries(r.historyCallsByMaxResults)
        .map(([size, n]) => `${n} of ${size} events`)
        .join(
          ', ',
        )}), ${r.throttledCalls} throttled, ${r.eventsRead} events read, at most ${r.mostInFlight} in flight`,
    );
  },
};
