/**
 * Text from outside (a hook's answer, a webhook's body, an AWS error message, an alarm's StateReason,
 * a value a request or an operator wrote) ends up in reasons, Fail causes, bus events and the release
 * state, and AWS bounds each of those: 256 KiB for a state's input or output, where an overflow is
 * States.DataLimitExceeded, which no Catch on States.ALL catches (Step Functions developer guide,
 * "Error handling"); 256 KB for a PutEvents entry; 32,768 characters for a task failure's cause. So
 * every such text is bounded once where it comes in, with this one helper, and stepshift's own
 * sentences that quote it are bounded where they are made.
 *
 * Sizes are UTF-8 bytes, as AWS counts them.
 */
export const TEXT_LIMITS = {
  /** A reason: one piece of outside text, or a sentence a release is halted, rolled back or held for. */
  reason: 1024,
  /** One problem of a refused request (it may list what is allowed). */
  problem: 2048,
  /** An error's message, which becomes a Fail state's cause: it may quote several reasons. */
  cause: 8192,
  /** A value a request wrote, shown back in a problem. */
  shown: 256,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 size of a text, as AWS measures payloads. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

const continues = (bytes: Uint8Array, i: number) =>
  i > 0 && i < bytes.length && ((bytes[i] as number) & 0xc0) === 0x80;

/** Back (or on, with step 1) to a character's first byte, so that a cut never splits one. */
function characterBoundary(bytes: Uint8Array, at: number, step: 1 | -1): number {
  let i = at;
  while (continues(bytes, i)) i += step;
  return i;
}

/**
 * The text, or, when it is longer than `maxBytes`, its beginning and its end with a mark of what was
 * cut between them: the end of a sentence ("..., at step 2 with 25% on the new version") says as much
 * as its start.
 * @example bounded('x'.repeat(300_000)) // 'xxx… [298,976 bytes cut] …xxx', 1,024 bytes in all
 */
export function bounded(text: string, maxBytes: number = TEXT_LIMITS.reason): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  // The mark as long as it can get, so that the result fits whatever is cut.
  const widest = ` … [${bytes.length.toLocaleString('en-US')} bytes cut] … `;
  const budget = Math.max(0, maxBytes - utf8Bytes(widest));
  const headEnd = characterBoundary(bytes, Math.ceil((budget * 2) / 3), -1);
  const tail = Math.max(headEnd, characterBoundary(bytes, bytes.length - (budget - headEnd), 1));
  const cut = tail - headEnd;
  return `${decoder.decode(bytes.subarray(0, headEnd))} … [${cut.toLocaleString('en-US')} bytes cut] … ${decoder.decode(bytes.subarray(tail))}`;
}

/**
 * As many of the lines as fit in `maxBytes` together, then how many were left out: for lists that go
 * into one event or one message.
 */
export function boundedList(lines: readonly string[], maxBytes: number = TEXT_LIMITS.cause): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const size = utf8Bytes(line) + 2;
    if (used + size > maxBytes) {
      out.push(`and ${lines.length - i} more`);
      return out;
    }
    used += size;
    out.push(line);
  }
  return out;
}
