// The bundle inlines the package's manifest at build time; tsx reads it at run time.
import manifest from '../package.json' with { type: 'json' };

export const version: string = manifest.version;
