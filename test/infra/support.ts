import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * An App with the feature flags `npm run synth` uses (cdk.json's context), so that tests synthesize
 * what the CLI would.
 */
export function projectApp(extraContext: Record<string, unknown> = {}): App {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return new App({ context: { ...cdkJson.context, ...extraContext } });
}

/**
 * The stack's template without synthesizing the app, for tests about IAM alone: no asset is staged and
 * no validation plugin runs. Staging the functions' assets fingerprints the project root even when
 * bundling is skipped, about 13 s the first time in a test file; this takes a tenth of a second.
 */
export function templateOf(stack: Stack): Template {
  return Template.fromJSON(
    (stack as unknown as { _toCloudFormation(): Record<string, unknown> })._toCloudFormation(),
  );
}

/** An App that synthesizes without bundling the functions: for tests about the template alone. */
export function unbundledApp(): App {
  return projectApp({ 'aws:cdk:bundling-stacks': [] });
}

/** cdk-nag's AwsSolutions pack, attached as app.ts attaches it. */
export function attachNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName?: string;
    readonly violations?: readonly { readonly ruleName: string; readonly severity?: string }[];
  }[];
}

/**
 * Every violation (error or warning) the validation plugins reported for the app, from the report
 * CDK writes into the cloud assembly. Synthesizing throws already when a plugin fails; this also
 * catches what would only be printed.
 */
export function reportedViolations(app: App): string[] {
  const assembly = app.synth();
  const report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    (plugin.violations ?? []).map((v) => `${plugin.pluginName}: ${v.severity} ${v.ruleName}`),
  );
}

export type Statement = {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
};

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The statements of the inline policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);
}
