const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const DURATION = /^(0|[1-9][0-9]*)(s|m|h)$/;

/** Parses "30s", "5m" or "1h" (and "0s") into whole seconds; returns undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** Formats seconds the way people write them in profiles: 300 -> "5m", 90 -> "1m30s". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
