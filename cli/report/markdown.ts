import { formatDuration } from '#core/duration.ts';
import { moreSignals } from '#core/health/signals.ts';
import type { Signal } from '#core/shapes.ts';
import { sparkline } from '../chart/sparkline.ts';
import { type ReleaseStory, type StoryCheck, type StoryMark, weightAt } from '../chart/story.ts';

/**
 * The release report as Markdown: a page to attach to a change ticket or a pipeline run. What was
 * released, the plan, each check with the values it measured, the outcome and its reason, who acted,
 * and the chart when one was drawn.
 */

/** A table cell: one line, no pipe to break the row. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();

/** When, as the report says it: the wall clock for a real release, the virtual clock for a rehearsal. */
export function whenText(story: Pick<ReleaseStory, 'startedAt'>, at: number): string {
  if (story.startedAt) {
    return new Date(Date.parse(story.startedAt) + Math.round(at * 1000))
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
  }
  const whole = Math.floor(at);
  const parts = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  return `+${parts.map((n) => String(n).padStart(2, '0')).join(':')}`;
}

const OUTCOMES: Record<string, string> = {
  promoted: 'PROMOTED',
  rolled_back: 'ROLLED BACK',
  rejected: 'REJECTED (nothing was written)',
  failed: 'FAILED',
  running: 'RUNNING',
};

function signalText(s: Signal): string {
  const value = s.kind === 'alarm' ? `${s.name} ${s.value}` : s.name;
  return `${value} (${s.verdict === 'pass' ? 'ok' : s.verdict.toUpperCase()}: ${s.detail})`;
}

function releaseTable(story: ReleaseStory, chart: string | undefined): string[] {
  const rows: [string, string | undefined][] = [
    ['Service', story.service],
    ['Version', story.version],
    ['Release id', story.releaseId],
    ['Route', story.plan?.routeId],
    ['From, to', story.plan ? `${story.plan.stable} → ${story.plan.canary}` : undefined],
    ['Started by', story.plan?.trigger],
    ['Started', story.startedAt ?? 'a rehearsal: times are virtual, from its start'],
    [
      'Outcome',
      `**${OUTCOMES[story.outcome] ?? story.outcome.toUpperCase()}**${story.error ? ` (${story.error.name})` : ''}`,
    ],
    ['Why', story.error?.message],
    ['Took', formatDuration(Math.round(story.endSeconds))],
    ['Traffic on the new version', story.weights.length ? `\`${sparkline(story)}\`` : undefined],
  ];
  return [
    '| | |',
    '|---|---|',
    ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | ${cell(v as string)} |`),
    ...(chart ? ['', `![The release: traffic, markers, alarms and metric checks over time](${chart})`] : []),
  ];
}

function planText(story: ReleaseStory): string[] {
  const plan = story.plan;
  if (!plan) return ['No plan: the release was refused before it planned any step.'];
  const steps = plan.steps.map((w) => `${w}%`).join(', ');
  const baking = plan.totalSeconds === undefined ? '' : `, ${formatDuration(plan.totalSeconds)} of baking`;
  const head = `${plan.steps.length} step(s) on ${plan.canary}: ${steps || 'none'}, then all of it${baking}`;
  if (plan.alarms === undefined && plan.metrics === undefined) {
    return [
      `${head}; gated on the alarms and metric checks of the profile it ran with (not in the execution's history).`,
    ];
  }
  const gates = [
    plan.alarms?.length ? `alarms ${plan.alarms.join(', ')}` : '',
    plan.metrics?.length ? `metric checks ${plan.metrics.join(', ')}` : '',
  ].filter(Boolean);
  return [`${head}; gated on ${gates.join(' and ') || 'no health signals (time alone)'}.`];
}

function failedText(c: StoryCheck): string {
  if (c.failedChecks === undefined) return '';
  if (c.failureThreshold === undefined) return ` (${c.failedChecks} failed so far)`;
  return ` (${c.failedChecks}/${c.failureThreshold} failed)`;
}

/** A check's signals, and how many its state left out, or why none are here. */
function measuredText(c: StoryCheck): string {
  const more = moreSignals(c.signalsOmitted);
  return [...c.signals.map(signalText), ...(more ? [more] : [])].join('; ') || c.unread || 'no signals';
}

function checksTable(story: ReleaseStory): string[] {
  if (!story.checks.length) return ['No check ran.'];
  return [
    '| When | Step | Weight | Check | Result | What it measured |',
    '|---|---|---|---|---|---|',
    ...story.checks.map(
      (c) =>
        `| ${whenText(story, c.at)} | ${c.step + 1} | ${weightAt(story, c.at)}% | ${c.check + 1} | ${c.passed ? 'passed' : '**FAILED**'}${failedText(c)} | ${cell(measuredText(c))} |`,
    ),
  ];
}

/** A marker in words: a hook's whole answer, a halt's whole reason (the rollback's is the same). */
function markText(m: StoryMark): string {
  if (!m.detail || m.kind === 'rollback') return m.label;
  if (m.kind === 'hook') return m.detail;
  if (m.kind === 'halt') return `${m.label.split(':')[0]}: ${m.detail}`;
  return `${m.label} (${m.detail})`;
}

function happenings(story: ReleaseStory): string[] {
  if (!story.marks.length) return ['Nothing but the steps and their checks.'];
  return story.marks.map((m) => `- ${whenText(story, m.at)}, ${m.kind}: ${cell(markText(m))}`);
}

function whoActed(story: ReleaseStory): string[] {
  const acts = story.marks.filter((m) => m.kind === 'operator');
  if (!acts.length) return ['Nobody: the release ran on its own.'];
  return acts.map((m) => `- ${m.by ?? 'someone'}: ${cell(m.label)} at ${whenText(story, m.at)}`);
}

/** The report's Markdown; `chart` is where the chart's SVG was written, relative to the report. */
export function reportMarkdown(story: ReleaseStory, chart?: string): string {
  return [
    `# Release report: ${story.title}`,
    '',
    ...releaseTable(story, chart),
    '',
    '## The plan',
    '',
    ...planText(story),
    '',
    '## Checks',
    '',
    ...checksTable(story),
    '',
    '## What happened',
    '',
    ...happenings(story),
    '',
    '## Who acted',
    '',
    ...whoActed(story),
    '',
  ].join('\n');
}
