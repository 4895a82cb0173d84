/**
 * Reads a rendered chart back: the items Vega drew for a named mark of the spec (each `<path>`,
 * `<text>` or `<line>` of the group `<name>_marks`), by their text or else their aria-label
 * ("t: 5; markers: passed"). Enough to check that a chart shows what it should without comparing pictures.
 */
export function itemsOf(svg: string, name: string): string[] {
  // An empty group is written self-closed (<g .../>): it has no items, and its end is not a </g>.
  const groups = [
    ...svg.matchAll(new RegExp(`class="mark-\\w+ role-mark ${name}_marks"(?:[^>]*[^/>])?>(.*?)</g>`, 'gs')),
  ];
  return groups.flatMap((g) =>
    [...(g[1] ?? '').matchAll(/<(?:path|line|text)\b([^>]*)>(?:([^<]*)<\/text>)?/g)].map(
      (m) => m[2] ?? /aria-label="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '',
    ),
  );
}
