/**
 * `read` of each item, at most `atOnce` of them in flight, the answers yielded in the items' order.
 * Leaving the loop early starts no more reads; those already started run out, their failures unheard.
 * A failed read throws where its answer would have come.
 */
export async function* inOrder<T, R>(
  items: readonly T[],
  atOnce: number,
  read: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const startOne = () => {
    const answer = read(items[next++] as T);
    // Marked as handled so a read left behind by an early exit cannot fail the process; awaiting it still throws.
    answer.catch(() => undefined);
    pending.push(answer);
  };
  while (next < items.length && pending.length < atOnce) startOne();
  while (pending.length) {
    const answer = await (pending.shift() as Promise<R>);
    if (next < items.length) startOne();
    yield answer;
  }
}
