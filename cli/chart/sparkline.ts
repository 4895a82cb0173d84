import { type ReleaseStory, weightAt } from './story.ts';

/** Eight heights of a block: 0% draws the lowest, so a share that went back to nothing still shows. */
const BARS = '▁▂▃▄▅▆▇█';

/**
 * The new version's share over the release as one line of block characters, each column the share at
 * that moment of the release: "▁▂▂▂▃▃▃▅▅▅█". Empty when the release never planned a weight.
 */
export function sparkline(story: Pick<ReleaseStory, 'weights' | 'endSeconds'>, columns = 40): string {
  if (story.weights.length === 0) return '';
  const end = Math.max(story.endSeconds, story.weights.at(-1)?.at ?? 0);
  return Array.from({ length: columns }, (_, i) => {
    // Each column shows the share at its end, so the last one shows how the release left the route.
    const at = end === 0 ? 0 : (end * (i + 1)) / columns;
    const weight = Math.min(100, Math.max(0, weightAt(story, at)));
    return BARS[weight === 0 ? 0 : Math.max(1, Math.ceil((weight / 100) * (BARS.length - 1)))];
  }).join('');
}
