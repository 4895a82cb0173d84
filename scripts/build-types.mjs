// The declarations of `stepshift/cdk` and `stepshift/profile`: dist/cdk.d.ts and dist/profile.d.ts,
// each one file that imports only aws-cdk-lib, constructs and zod. The sources' own declarations would
// keep the `#core/...` subpath imports and `.ts` extensions, which a consumer's TypeScript cannot follow
// into a package without its sources; rollup-plugin-dts bundles them into one file per entry. It uses
// TypeScript 6's compiler API (@typescript/typescript6), since TypeScript 7 has no JavaScript API yet.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const started = Date.now();
// Shared chunks are named by their content's hash: an earlier build's would otherwise stay, and be packed.
for (const file of existsSync('dist') ? readdirSync('dist') : []) {
  if (file.endsWith('.d.ts')) rmSync(`dist/${file}`);
}
const bundle = await rollup({
  input: { cdk: 'infra/package/cdk.ts', profile: 'infra/package/profile.ts' },
  plugins: [dts({ tsconfig: './tsconfig.package.json' })],
  external: [/^aws-cdk-lib(\/|$)/, /^constructs$/, /^zod(\/|$)/],
});
await bundle.write({
  dir: 'dist',
  entryFileNames: '[name].d.ts',
  chunkFileNames: 'types-[hash].d.ts',
  format: 'es',
});
await bundle.close();
console.log(`built dist/cdk.d.ts and dist/profile.d.ts in ${Date.now() - started} ms`);
