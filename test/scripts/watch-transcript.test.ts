import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_PAGE, watchTranscript, withTranscript } from '../../scripts/watch-transcript.ts';

describe("docs/operating.md's rehearse --watch transcript", () => {
  it('is what `npm run transcript` generates today', async () => {
    const page = readFileSync(TRANSCRIPT_PAGE, 'utf8');
    expect(page, 'run `npm run transcript` and commit docs/operating.md').toBe(
      withTranscript(page, await watchTranscript()),
    );
  });

  it('shows the rollback as a line a person reads at a glance, and the last view', async () => {
    const transcript = await watchTranscript();
    expect(transcript).toContain('+00:07:00 orders v2 rolled back at step 2 (25%): orders-5xx 4.7 > 1\n');
    expect(transcript).toContain('orders v2 (rehearsal): rolled back · step 2/3 ▰▰▱\n');
    expect(transcript).not.toContain('wall time');
    expect(transcript).not.toContain('\u001b[');
  });
});
