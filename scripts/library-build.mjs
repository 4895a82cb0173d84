// How `stepshift/cdk` and `stepshift/profile` are built (scripts/build.mjs writes them to dist/).

/**
 * esbuild's options for dist/cdk.mjs and dist/profile.mjs. The peers come from the consumer's app, one
 * copy of each: a second aws-cdk-lib or constructs would make constructs that the app's own do not
 * recognise. zod and yaml are the package's dependencies, left out with their subpaths (zod/mini), so
 * the schema `stepshift/profile` exports is made by the consumer's own zod: a field of their schemas.
 */
export const libraryBuildOptions = {
  entryPoints: { cdk: 'infra/package/cdk.ts', profile: 'infra/package/profile.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'lib-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'zod', 'yaml'],
  logLevel: 'warning',
};
