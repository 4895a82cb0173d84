#!/usr/bin/env node
// The CLI ships as TypeScript; tsx runs it without a build step.
import { register } from 'tsx/esm/api';

// The commands that exist today run offline; the SDK's notice about future Node versions is noise there.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../cli/main.ts');
