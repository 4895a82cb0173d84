import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executionNameFor } from '#core/triggers/execution-name.ts';

const VALID = /^[A-Za-z0-9_-]{1,80}$/;

describe('executionNameFor', () => {
  it('uses a release id that is already a valid execution name as it is', () => {
    expect(executionNameFor('orders-v2-1')).toBe('orders-v2-1');
    expect(executionNameFor('ecr-13cde686-328b-6117-af20-0e5566167482')).toBe(
      'ecr-13cde686-328b-6117-af20-0e5566167482',
    );
    expect(executionNameFor('a'.repeat(80))).toBe('a'.repeat(80));
  });

  it('keeps other ids readable, followed by a short hash of the whole id', () => {
    expect(executionNameFor('orders v2 (hotfix)')).toMatch(/^orders-v2-hotfix-[0-9a-f]{12}$/);
    expect(executionNameFor('a'.repeat(81))).toMatch(/^a{67}-[0-9a-f]{12}$/);
    expect(executionNameFor('')).toMatch(/^[0-9a-f]{12}$/);
    expect(executionNameFor('###')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('tells apart ids that read the same once cleaned', () => {
    expect(executionNameFor('orders v2')).not.toBe(executionNameFor('orders/v2'));
    expect(executionNameFor('orders v2')).not.toBe('orders-v2');
  });

  it('always gives a valid name, the same one for the same id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (id) => {
        const name = executionNameFor(id);
        expect(name).toMatch(VALID);
        expect(executionNameFor(id)).toBe(name);
      }),
    );
  });
});
