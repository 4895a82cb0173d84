import { describe, expect, it } from 'vitest';
import { bounded, boundedList, TEXT_LIMITS, utf8Bytes } from '#core/bounded-text.ts';

describe('bounded text', () => {
  it('leaves a text within its limit as it is', () => {
    expect(bounded('the smoke tests passed')).toBe('the smoke tests passed');
    expect(bounded('x'.repeat(TEXT_LIMITS.reason))).toBe('x'.repeat(TEXT_LIMITS.reason));
  });

  it('cuts a 300 KB reason to 1 KiB, keeping its start and its end, and says how much was cut', () => {
    const text = `start ${'r'.repeat(300_000)} end`;
    const cut = bounded(text);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(TEXT_LIMITS.reason);
    expect(cut.startsWith('start rrr')).toBe(true);
    expect(cut.endsWith('rrr end')).toBe(true);
    expect(cut).toMatch(/ … \[299,\d{3} bytes cut\] … /);
  });

  it('counts UTF-8 bytes, as AWS does, and never splits a character', () => {
    for (const text of ['é'.repeat(5000), '😀'.repeat(5000), `a${'€'.repeat(5000)}`]) {
      const cut = bounded(text, 1000);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(1000);
      expect(cut).not.toContain('\uFFFD');
    }
  });

  it('keeps as many lines of a list as fit, then says how many more there were', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `problem ${i}: ${'x'.repeat(100)}`);
    const kept = boundedList(lines, 2048);
    expect(kept.at(-1)).toMatch(/^and \d+ more$/);
    expect(utf8Bytes(kept.join('; '))).toBeLessThanOrEqual(2048 + 20);
    expect(boundedList(['a', 'b'])).toEqual(['a', 'b']);
  });
});
