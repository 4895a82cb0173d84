import { describe, expect, it } from 'vitest';
import type { SideRoute } from '#core/shapes.ts';
import { latticeSideRule, latticeSideRuleProblem } from '#routers/vpc-lattice/side-route.ts';

const RULE = {
  isDefault: false,
  priority: 10,
  match: { httpMatch: { method: 'GET', pathMatch: { match: { prefix: '/orders' } } } },
};
const SIDE: SideRoute = {
  name: 'stepshift-orders-cohort',
  headers: [{ name: 'x-cohort', match: { exact: 'b' } }],
  target: { name: 'orders-v2', weight: 100 },
};
const problem = (headers: SideRoute['headers'], rule: Parameters<typeof latticeSideRuleProblem>[1] = RULE) =>
  latticeSideRuleProblem('rule-1', rule, { ...SIDE, headers });

describe('a VPC Lattice side rule', () => {
  it("copies the rule's match, adds the headers, goes one priority ahead and forwards all to the canary", () => {
    expect(latticeSideRule('rule-1', RULE, SIDE, 'tg-2')).toEqual({
      match: {
        httpMatch: {
          method: 'GET',
          pathMatch: { match: { prefix: '/orders' } },
          headerMatches: [{ name: 'x-cohort', match: { exact: 'b' }, caseSensitive: true }],
        },
      },
      priority: 9,
      action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-2', weight: 100 }] } },
    });
    expect(problem([{ name: 'x-cohort', match: { prefix: 'b-' } }])).toBeUndefined();
  });

  it('is refused beside a default action, which has no priority, and at priority 1, with no room ahead', () => {
    expect(latticeSideRuleProblem('listener-1', undefined, SIDE)).toMatch(
      /default action, which has no priority/,
    );
    expect(problem(SIDE.headers, { ...RULE, isDefault: true })).toMatch(/default action/);
    expect(problem(SIDE.headers, { ...RULE, priority: 1 })).toMatch(/no room for stepshift-orders-cohort/);
    expect(() => latticeSideRule('rule-1', { ...RULE, priority: 1 }, SIDE, 'tg-2')).toThrow(/no room/);
  });

  it('is refused for matches Lattice cannot express, and past 5 headers', () => {
    expect(problem([{ name: 'x-cohort', match: { suffix: '-b' } }])).toMatch(/by suffix, which VPC Lattice/);
    expect(problem([{ name: 'x-cohort', match: { regex: '^b$' } }])).toMatch(/by regex/);
    expect(problem([{ name: 'x-cohort', match: { range: { start: 1, end: 5 } } }])).toMatch(/by range/);
    expect(problem([{ name: 'x-cohort', match: { exact: 'b' }, invert: true }])).toMatch(
      /cannot be inverted/,
    );
    expect(problem([{ name: 'x'.repeat(41), match: { exact: 'b' } }])).toMatch(/at most 40/);
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `x-h${i}`, match: { exact: 'b' } }));
    expect(problem(six)).toMatch(/at most 5 per rule/);
  });
});
