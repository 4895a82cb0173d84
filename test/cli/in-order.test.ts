import { describe, expect, it } from 'vitest';
import { inOrder } from '../../cli/in-order.ts';

/** A read of item i that answers after `delays[i]` ms, counting the reads in flight. */
function reads(delays: readonly number[]) {
  const seen = { started: [] as number[], inFlight: 0, mostInFlight: 0 };
  const read = async (i: number) => {
    seen.started.push(i);
    seen.inFlight += 1;
    seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delays[i]));
    seen.inFlight -= 1;
    if (delays[i] === 13) throw new Error(`read ${i} failed`);
    return `answer ${i}`;
  };
  return { seen, read, items: delays.map((_, i) => i) };
}

describe('inOrder', () => {
  it("yields the answers in the items' order, however they come back, never more than the bound in flight", async () => {
    const { seen, read, items } = reads([9, 1, 6, 0, 4, 8, 2, 7, 3, 5, 1, 0]);
    const answers: string[] = [];
    for await (const answer of inOrder(items, 3, read)) answers.push(answer);
    expect(answers).toEqual(items.map((i) => `answer ${i}`));
    expect(seen.mostInFlight).toBe(3);
  });

  it('starts no more reads once the loop is left, and keeps the bound until then', async () => {
    const { seen, read, items } = reads(Array.from({ length: 20 }, (_, i) => i % 4));
    for await (const answer of inOrder(items, 4, read)) if (answer === 'answer 5') break;
    // Let the reads left running finish: one that started another as it ended would show here.
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The sixth answer came; at most the bound's worth past it had been started.
    expect(seen.started.length).toBeLessThanOrEqual(6 + 4);
    expect(seen.mostInFlight).toBeLessThanOrEqual(4);
  });

  it("throws where the failed read's answer would have come, and a read left running may fail unheard", async () => {
    const { read, items } = reads([0, 13, 0, 13, 13]);
    const answers: string[] = [];
    await expect(
      (async () => {
        for await (const answer of inOrder(items, 5, read)) answers.push(answer);
      })(),
    ).rejects.toThrow('read 1 failed');
    expect(answers).toEqual(['answer 0']);
    // Reads 3 and 4 fail after the loop is gone; an unhandled rejection would fail this test file.
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
});
