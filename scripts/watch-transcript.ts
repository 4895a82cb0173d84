import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rehearseCommand } from '../cli/rehearse-command.ts';

/** The page the transcript is shown in, between these two marks; a test keeps it up to date. */
export const TRANSCRIPT_PAGE = new URL('../docs/operating.md', import.meta.url);
export const TRANSCRIPT_BEGIN = '<!-- watch-transcript: begin (npm run transcript) -->';
export const TRANSCRIPT_END = '<!-- watch-transcript: end -->';
/** The example it replays: a rollback shows the most of the view. */
export const TRANSCRIPT_SCENARIO = 'examples/canary-alarm-rollback.json';

/**
 * What `stepshift rehearse --watch` prints for the example, outside a terminal: the plain lines and
 * the last view; the summary's wall time, which varies from run to run, is left out.
 */
export async function watchTranscript(): Promise<string> {
  let printed = '';
  await rehearseCommand(
    [fileURLToPath(new URL(`../${TRANSCRIPT_SCENARIO}`, import.meta.url))],
    { watch: true },
    {
      write: (text: string) => {
        printed += text;
      },
    },
  );
  const [watched] = printed.split('\n\n');
  return `$ npx stepshift rehearse --watch ${TRANSCRIPT_SCENARIO} | cat\n${watched}\n`;
}

/** The page with the transcript put between its marks. */
export function withTranscript(page: string, transcript: string): string {
  const begin = page.indexOf(TRANSCRIPT_BEGIN);
  const end = page.indexOf(TRANSCRIPT_END);
  if (begin < 0 || end < begin)
    throw new Error(`${fileURLToPath(TRANSCRIPT_PAGE)} has lost its transcript marks`);
  return `${page.slice(0, begin + TRANSCRIPT_BEGIN.length)}\n\`\`\`\n${transcript}\`\`\`\n${page.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = readFileSync(TRANSCRIPT_PAGE, 'utf8');
  writeFileSync(TRANSCRIPT_PAGE, withTranscript(page, await watchTranscript()));
  console.log(`wrote the transcript into ${fileURLToPath(TRANSCRIPT_PAGE)}`);
}
