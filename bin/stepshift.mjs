#!/usr/bin/env node
// The CLI runs as the bundle `npm run build` makes (dist/cli/, what the package ships); a checkout
// that has not built it yet runs the TypeScript through tsx instead, slower to start.
import { existsSync } from 'node:fs';

// The SDK's notice about future Node versions is noise in a command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`stepshift … | head`) closes the pipe: the rest of the output is not
// wanted, so the command ends there, quietly, instead of with EPIPE's stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
const bundle = new URL('../dist/cli/stepshift.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
