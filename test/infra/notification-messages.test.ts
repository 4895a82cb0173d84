import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_DETAIL_TYPES } from '#core/lifecycle.ts';
import type { ProfileInput } from '#core/profile/profile.ts';
import type { NotificationFormat } from '#infra/observability/notifications.ts';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import type { BusEvent } from '#rehearsal/services/eventbridge/model.ts';
import { ordersProfile } from '../support/profiles.ts';
import { templateOf, unbundledApp } from './support.ts';

const examples = new URL('../../examples/', import.meta.url).pathname;

interface InputTransformer {
  readonly InputPathsMap: Record<string, string>;
  readonly InputTemplate: string;
}

/** The input transformer of each notification rule, by detail-type, as synthesized. */
function transformers(format: NotificationFormat, profile: ProfileInput = ordersProfile()) {
  const stack = new Stack(unbundledApp(), 'Messages');
  new ReleaseOrchestrator(stack, 'Releases', {
    profiles: [profile],
    notifications: { format, events: Object.values(LIFECYCLE_DETAIL_TYPES) },
  });
  const byType = new Map<string, InputTransformer>();
  for (const rule of Object.values(templateOf(stack).findResources('AWS::Events::Rule'))) {
    const transformer = rule.Properties.Targets?.[0]?.InputTransformer as InputTransformer | undefined;
    if (transformer) byType.set(rule.Properties.EventPattern['detail-type'][0], transformer);
  }
  return byType;
}

/** A path of the forms input transformers take ($.detail.a.b, $.detail.weights[0].weight), or undefined. */
function valueAt(event: Record<string, unknown>, path: string): unknown {
  const steps = path
    .replace(/^\$\./, '')
    .split('.')
    .flatMap((part) => {
      const [name, ...indexes] = part.split(/\[(\d+)\]/).filter((s) => s !== '');
      return [name as string, ...indexes.map(Number)];
    });
  let at: unknown = event;
  for (const step of steps) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

/** Whether the template's text before this offset leaves a JSON string open. */
function insideString(template: string, offset: number): boolean {
  let open = false;
  for (let i = 0; i < offset; i++) {
    if (template[i] === '\\') i++;
    else if (template[i] === '"') open = !open;
  }
  return open;
}

/**
 * What EventBridge hands the topic for this event: each <variable> replaced with the value at its path
 * (a string inside the template's quotes as its text, anything else as JSON), the result parsed.
 */
function render(transformer: InputTransformer, bus: BusEvent): { text: unknown; missing: string[] } {
  const event = { source: bus.source, 'detail-type': bus.detailType, detail: bus.detail };
  const missing: string[] = [];
  const template = transformer.InputTemplate;
  const filled = template.replace(/<([A-Za-z0-9_-]+)>/g, (whole, name: string, offset: number) => {
    const path = transformer.InputPathsMap[name];
    if (path === undefined) return whole;
    const value = valueAt(event, path);
    if (value === undefined) missing.push(`${bus.detailType}: ${path}`);
    const json = JSON.stringify(value ?? null);
    return typeof value === 'string' && insideString(template, offset) ? json.slice(1, -1) : json;
  });
  return { text: JSON.parse(filled), missing };
}

async function busEventsOf(file: string): Promise<readonly BusEvent[]> {
  return (await rehearse(await loadScenario(`${examples}${file}`))).events;
}

describe('notification messages, from the events rehearsals put on the bus', () => {
  it('read a rollback at a glance: the service, the version, and why, with the step and weight', async () => {
    const messages = transformers('text');
    const events = await busEventsOf('canary-alarm-rollback.json');
    const rendered = events.map((e) => {
      const transformer = messages.get(e.detailType);
      if (transformer === undefined) throw new Error(`no rule for ${e.detailType}`);
      return render(transformer, e);
    });
    expect(rendered.flatMap((r) => r.missing)).toEqual([]);
    expect(rendered.map((r) => r.text)).toEqual([
      'orders v2: release started: orders-v1 -> orders-v2 (trigger: request)',
      'orders v2: step 1 of 3: orders-v1 90% · orders-v2 10%',
      'orders v2: step 2 of 3: orders-v1 75% · orders-v2 25%',
      "orders v2 rolled back: AlarmTriggered: orders-5xx is ALARM (4.7, alarm when > 1; in ALARM for 0s), at step 2 with 25% on the new version; the alarm's event ended the bake at once",
    ]);
  });

  // One rehearsal per test: each has its own time, on a loaded machine too.
  const files = [
    'canary-healthy.json',
    'on-failure-freeze.json',
    'on-failure-gradual.json',
    'operator-stop.json',
    'readiness-timeout.json',
    'lambda/operator-edit-alias.json',
    'codedeploy-server-config-rejected.json',
  ];
  const seen = new Set<string>();
  let chat: Map<string, InputTransformer> | undefined;
  it.each(files)('find every field they name in the events of %s', async (file) => {
    chat ??= transformers('chat');
    for (const event of await busEventsOf(file)) {
      const transformer = chat.get(event.detailType);
      if (transformer === undefined) throw new Error(`no rule for ${event.detailType}`);
      const { text, missing } = render(transformer, event);
      expect(missing).toEqual([]);
      expect(text).toMatchObject({
        version: '1.0',
        source: 'custom',
        content: { textType: 'client-markdown' },
      });
      seen.add(event.detailType);
    }
  });

  it('have been read against promotions, holds, step-backs, stops, drift and refusals', () => {
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'Release Failed',
        'Release Finished',
        'Release Held',
        'Release Not Ready',
        'Release Promoted',
        'Release Rejected',
        'Release Rolled Back',
        'Release Stepping Back',
        'Release Started',
        'Traffic Shifted',
      ]),
    );
  });
});
