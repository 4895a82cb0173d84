import { writeFile } from 'node:fs/promises';
import { renderSvg } from './render.ts';
import { releaseChartSpec } from './spec.ts';
import type { ReleaseStory } from './story.ts';

/** The release's chart as SVG text. */
export async function releaseChartSvg(story: ReleaseStory): Promise<string> {
  return renderSvg(releaseChartSpec(story));
}

/** Draws the release's chart into an SVG file. */
export async function writeChart(story: ReleaseStory, file: string): Promise<void> {
  await writeFile(file, await releaseChartSvg(story));
}
