import type { BuildOptions, Metafile } from 'esbuild';

export const FUNCTIONS: readonly string[];
export const SPLIT_ESM: BuildOptions;
export const regexEngineApart: NonNullable<BuildOptions['plugins']>[number];
export function functionBuildOptions(name: string): BuildOptions;
export function regexEngineBuildOptions(outdir: string, target?: string): BuildOptions;
export function buildFunction(name: string, outdir?: string): Promise<void>;
export function checksPatterns(metafile: Metafile): boolean;
