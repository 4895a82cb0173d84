import { describe, expect, it } from 'vitest';
import { type ImportEdge, type ImportGraph, importsIn, projectGraph, resolveSpec } from './import-graph.ts';
import { checkImports, RULES } from './import-rules.ts';

/** A graph of a few files, each importing the specifiers listed (resolved as the project resolves them). */
function graphOf(files: Readonly<Record<string, readonly string[]>>): ImportGraph {
  return new Map(
    Object.entries(files).map(([from, specs]) => [
      from,
      specs.map((spec, i): ImportEdge => ({ from, to: resolveSpec(from, spec), spec, line: i + 1 })),
    ]),
  );
}

describe('the import rules', () => {
  it('hold for the project as it is', () => {
    expect(checkImports(projectGraph())).toEqual([]);
  });

  it('read static, type-only, re-exported, bare and dynamic imports, and resolve subpath imports', () => {
    const text = [
      "import * as z from 'zod';",
      "import type {\n  Router,\n  RouterKind,\n} from '#core/ports.ts';",
      "export { applyOverrides } from '../overrides.ts';",
      "import './polyfills.ts';",
      "const iam = await import('aws-cdk-lib/aws-iam');",
      "type S = import('#routers/registry.ts').RouterType;",
      ' * import { nothing } from "a comment";',
    ].join('\n');
    expect(importsIn('core/release/x.ts', text).map((e) => e.to)).toEqual([
      'zod',
      'core/ports.ts',
      'core/overrides.ts',
      'core/release/polyfills.ts',
      'aws-cdk-lib',
      'routers/registry.ts',
    ]);
    expect(resolveSpec('core/x.ts', 'fs')).toBe('node:fs');
    expect(resolveSpec('core/x.ts', '@aws-sdk/client-app-mesh')).toBe('@aws-sdk/client-app-mesh');
  });

  // Each rule, shown a violation of its own: the sentence names the file, the import and what to do.
  it.each([
    [
      'coreStaysInCore',
      { 'core/plan.ts': ['#adapters/release-deps.ts'] },
      'core/plan.ts:1 imports #adapters',
    ],
    ['coreStaysInCore', { 'core/plan.ts': ['#routers/registry.ts'] }, 'through a port in core/ports.ts'],
    ['portsAreALeaf', { 'core/ports.ts': ['./plan.ts'] }, 'core/ports.ts:1 imports ./plan.ts'],
    ['portsAreALeaf', { 'core/shapes.ts': ['./targets.ts'] }, 'declare the shape it needs in core/shapes.ts'],
    ['coreUsesPureLibraries', { 'core/plan.ts': ['@aws-sdk/client-sfn'] }, 'core may use only zod'],
    ['coreUsesPureLibraries', { 'core/plan.ts': ['node:fs'] }, 'core/plan.ts:1 imports node:fs'],
    ['coreUsesPureLibraries', { 'core/plan.ts': ['aws-cdk-lib/aws-iam'] }, 'behind a port'],
    [
      'pureRouterFiles',
      { 'routers/alb/kind.ts': ['@aws-sdk/client-elastic-load-balancing-v2'] },
      'no SDK and no CDK',
    ],
    [
      'pureRouterFiles',
      {
        'routers/registry.ts': ['./alb/kind.ts'],
        'routers/alb/kind.ts': ['../target-groups/names.ts'],
        'routers/target-groups/names.ts': ['aws-cdk-lib'],
      },
      'routers/alb/kind.ts -> routers/target-groups/names.ts is what core',
    ],
    [
      'routerAdaptersWithoutCdk',
      { 'routers/alb/router.ts': ['aws-cdk-lib/aws-iam'] },
      'routers/<name>/iam.ts',
    ],
    ['routerAdaptersWithoutCdk', { 'routers/adapters.ts': ['constructs'] }, 'imports no CDK'],
    [
      'lambdaBundlesWithoutCdk',
      {
        'functions/prepare.ts': ['#infra/profile-permissions.ts'],
        'infra/profile-permissions.ts': ['aws-cdk-lib/aws-iam'],
      },
      'functions/prepare.ts -> infra/profile-permissions.ts is bundled into the Lambda functions',
    ],
    [
      'lambdaLoadsZodMini',
      { 'functions/prepare.ts': ['#core/plan.ts'], 'core/plan.ts': ['zod'] },
      'functions/prepare.ts -> core/plan.ts is bundled into the Lambda functions',
    ],
    [
      'lambdaLoadsZodMini',
      { 'adapters/aws/lambda-hooks.ts': ['zod/v4/classic'] },
      'adapters/aws/lambda-hooks.ts:1 imports zod/v4/classic: adapters/aws/lambda-hooks.ts is bundled',
    ],
    [
      'simulatorKnowsNoRelease',
      { 'rehearsal/services/cloudwatch/world.ts': ['#core/plan.ts'] },
      'core/validation.ts and core/duration.ts',
    ],
    [
      'simulatorKnowsNoRelease',
      { 'routers/alb/sim/rules.ts': ['#adapters/aws/aws-errors.ts'] },
      'knows nothing',
    ],
    [
      'simulatorKnowsNoRelease',
      { 'rehearsal/services/cloudwatch/world.ts': ['#functions/index.ts'] },
      'rehearsal/services/cloudwatch/world.ts:1',
    ],
    [
      'simulatorImportsOnlyItsKit',
      { 'routers/appmesh/sim/model.ts': ['#core/release/shift.ts'] },
      'nothing of profiles, releases',
    ],
    [
      'simulatorImportsOnlyItsKit',
      { 'rehearsal/services/lambda/model.ts': ['../../script/hooks.ts'] },
      'take what it needs as a parameter',
    ],
    [
      'simulatorImportsOnlyItsKit',
      { 'routers/sim/service.ts': ['#rehearsal/platform/definition.ts'] },
      'routers/sim/service.ts:1',
    ],
    [
      'cliRunsNoSimulator',
      { 'cli/plan-command.ts': ['#rehearsal/services/codedeploy/model.ts'] },
      'a scenario reader',
    ],
    ['cliRunsNoSimulator', { 'cli/plan-command.ts': ['#routers/alb/sim/world.ts'] }, 'does not reach into'],
    [
      'sdkStaysInAdapters',
      { 'functions/production-deps.ts': ['@aws-sdk/client-eventbridge'] },
      'only adapters/ and the routers',
    ],
    [
      'sdkStaysInAdapters',
      { 'cli/report/aws-story.ts': ['@aws-sdk/client-sfn'] },
      'cli/report/aws-story.ts:1',
    ],
    ['chartsStayInTheCli', { 'functions/analyze.ts': ['vega'] }, 'only cli/chart/ draws charts'],
    ['chartsStayInTheCli', { 'core/plan.ts': ['vega-lite'] }, 'core/plan.ts:1 imports vega-lite'],
    ['chartsStayInTheCli', { 'cli/rehearse-command.ts': ['vega'] }, 'hand it to cli/chart/'],
    [
      'noCycleInCore',
      { 'core/a.ts': ['./b.ts'], 'core/b.ts': ['./c.ts'], 'core/c.ts': ['./a.ts'] },
      'core/ has an import cycle through core/a.ts, core/b.ts, core/c.ts',
    ],
  ] as const)('%s refuses a violation planted in a graph (%#)', (rule, files, words) => {
    const found = RULES[rule](graphOf(files));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(words);
  });

  it('let through what the layers may do', () => {
    const allowed = graphOf({
      'functions/prepare.ts': ['#core/plan.ts'],
      'core/plan.ts': ['zod/mini', './ports.ts', 'node:crypto'],
      'core/ports.ts': ['zod/mini', './shapes.ts'],
      'core/validation.ts': ['zod/mini', 'zod/v4/locales/en.js'],
      'routers/registry.ts': ['./alb/kind.ts', '#core/ports.ts'],
      'routers/alb/kind.ts': ['zod/mini', '#core/validation.ts'],
      'routers/alb/router.ts': ['@aws-sdk/client-elastic-load-balancing-v2'],
      'routers/alb/iam.ts': ['aws-cdk-lib/aws-iam'],
      'infra/release-orchestrator.ts': ['aws-cdk-lib', '#routers/permissions.ts'],
      'rehearsal/services/cloudwatch/world.ts': [
        'zod',
        '#core/validation.ts',
        '#routers/sim/world-fields.ts',
      ],
      'routers/appmesh/sim/service.ts': ['@smithy/core/protocols', '../../sim/http.ts', 'node:crypto'],
      'rehearsal/services/dynamodb/dynalite.ts': ['dynalite', 'node:net'],
      'cli/rehearse-command.ts': ['#rehearsal/rehearse.ts'],
      'cli/chart/render.ts': ['vega', 'vega-lite'],
    });
    expect(checkImports(allowed)).toEqual([]);
  });
});
