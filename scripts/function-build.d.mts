import type { BuildOptions } from 'esbuild';

export const FUNCTIONS: readonly string[];
export function functionBuildOptions(name: string): BuildOptions;
