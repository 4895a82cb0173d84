import * as z from 'zod/mini';
import { awsName, CODEDEPLOY_NAME } from '#core/aws-names.ts';
import { requiredString, show, strictObject } from '#core/validation.ts';
import { defineRouterKind } from '../define-kind.ts';

/**
 * A Lambda function as UpdateAlias's FunctionName takes it (API reference: UpdateAlias): its name
 * ("orders-api", 1..64 letters, digits, "-" and "_"), a partial ARN ("123456789012:function:orders-api")
 * or a full ARN. The alias is named apart, so a qualifier (":live", ":7") is refused here.
 */
const NAME = '[A-Za-z0-9_-]{1,64}';
const PLAIN = new RegExp(`^(${NAME})$`);
const PARTIAL = new RegExp(`^(\\d{12}):function:(${NAME})$`);
const FULL = new RegExp(`^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):function:(${NAME})$`);

/** The function a profile names, in parts: what the router calls and the construct grants. */
export interface LambdaFunctionRef {
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
}

/** The parts of a function name or ARN, or undefined when it is neither. */
export function lambdaFunctionOf(text: string): LambdaFunctionRef | undefined {
  const plain = PLAIN.exec(text);
  if (plain) return { name: plain[1] as string };
  const partial = PARTIAL.exec(text);
  if (partial) return { account: partial[1] as string, name: partial[2] as string };
  const full = FULL.exec(text);
  if (!full) return undefined;
  return {
    partition: full[1] as string,
    region: full[2] as string,
    account: full[3] as string,
    name: full[4] as string,
  };
}

/**
 * The normal form of a function reference: the bare name, "<account>:function:<name>" or the full ARN;
 * the same function given twice the same way reads the same.
 */
export function normalFunctionName(ref: LambdaFunctionRef): string {
  if (ref.region && ref.partition && ref.account)
    return `arn:${ref.partition}:lambda:${ref.region}:${ref.account}:function:${ref.name}`;
  return ref.account ? `${ref.account}:function:${ref.name}` : ref.name;
}

const functionNameSchema = z.pipe(
  requiredString('the Lambda function whose alias the release shifts: its name, partial ARN or ARN', 140),
  z.transform((text: string, ctx) => {
    const ref = lambdaFunctionOf(text.trim());
    if (ref) return normalFunctionName(ref);
    // zod/mini's transform has no addIssue: its issues go on the payload as they are.
    ctx.issues.push({
      code: 'custom',
      input: text,
      message: /:function:[^:]+:/.test(text)
        ? `${show(text)} carries a qualifier; name the function here and its alias in router.alias`
        : /[*?]/.test(text)
          ? `${show(text)} holds a wildcard, which IAM would read in the grant made from it; name one function exactly`
          : `${show(text)} is not a Lambda function name or ARN; give 1..64 letters, digits, "-" and "_" ("orders-api"), "123456789012:function:orders-api" or the function's full ARN`,
    });
    return z.NEVER;
  }),
);

/** Lambda's alias names (API reference: CreateAlias Name): 1..128 of letters, digits, "-" and "_", not all digits. */
const ALIAS = /^(?![0-9]+$)[A-Za-z0-9_-]{1,128}$/;

/**
 * The CodeDeploy deployment group that may deploy this alias too: Prepare lists its deployments not yet
 * ended and refuses, naming them, rather than shift the alias under one (ListDeployments).
 */
const codeDeploySchema = strictObject('the codeDeploy block', {
  application: awsName(CODEDEPLOY_NAME, 'the CodeDeploy application, such as "orders"', 'the application'),
  deploymentGroup: awsName(
    CODEDEPLOY_NAME,
    'the CodeDeploy deployment group that deploys this alias, such as "orders-live"',
    'the deployment group',
  ),
});

/** A Lambda alias whose weighted routing a release shifts. */
export const lambdaRouterSchema = strictObject('a Lambda router', {
  type: z.literal('lambda'),
  functionName: functionNameSchema,
  alias: requiredString('the alias whose traffic the release shifts, such as "live"', 128).check(
    z.refine((text) => ALIAS.test(text), {
      error: (iss) =>
        `${show(iss.input)} is not a Lambda alias name; use 1..128 letters, digits, "-" and "_", not only digits (a number names a version, not an alias)`,
    }),
  ),
  codeDeploy: z.optional(codeDeploySchema),
});

export type LambdaRouterConfig = z.infer<typeof lambdaRouterSchema>;

/**
 * Lambda's limits on an alias (API reference: AliasRoutingConfiguration, UpdateAlias): its
 * FunctionVersion plus at most one additional version, whose weight is a fraction 0.0..1.0; the
 * FunctionVersion gets the rest. So a route holds 1..2 versions, and a version is a number
 * (`(\$LATEST|[0-9]+)`; an alias with weights cannot name $LATEST).
 */
export const LAMBDA_MAX_VERSIONS = 2;
export const LAMBDA_VERSION = /^[0-9]{1,10}$/;

export const lambdaKind = defineRouterKind({
  type: 'lambda',
  title: 'Lambda',
  configSchema: lambdaRouterSchema,
  routeLabel: (router) =>
    `lambda:${lambdaFunctionOf(router.functionName)?.name ?? router.functionName}:${router.alias}`,
  // A published version is a number Lambda assigns: no other label maps to one without guessing.
  targetTemplateProblem: (template) =>
    template === '{version}'
      ? undefined
      : `${show(template)} names no Lambda version; a Lambda alias routes to published version numbers, so write "{version}" and release with the version PublishVersion returned ("7")`,
  sideRoutes: false,
});
