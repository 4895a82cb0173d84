import * as z from 'zod/mini';
import { requiredString, show } from './validation.ts';

/**
 * AWS's own rules for the names a profile gives, checked once in the profile schema so that the
 * construct refuses a profile at synth with the same sentence Prepare would answer. The construct turns
 * these names into the resources of its IAM grants (infra/permissions/), so none may hold what IAM reads
 * as a wildcard ("*" any characters, "?" one character) or what would move a name into another part of
 * an ARN ("/" or ":"); each rule below allows only characters that can do neither.
 */

/**
 * The literal characters a name template keeps before its first {version}. The template's grant is
 * "<prefix>*" inside one mesh or one cluster: three characters ("web", "api") still name one service's
 * resources, while one or two ("o*") would match most names there, and none ("*") all of them.
 */
export const MIN_TEMPLATE_PREFIX = 3;

const VERSION = '{version}';

interface NameRule {
  /** What the name is, for sentences: "an App Mesh name". */
  readonly noun: string;
  readonly max: number;
  readonly min?: number;
  /** The whole name, anchored. */
  readonly pattern: RegExp;
  /** The characters `pattern` allows, in words. */
  readonly allowed: string;
}

/**
 * App Mesh's API reference gives mesh, virtual router, route and virtual node names a length only
 * (ResourceName: 1..255); stepshift keeps them to letters, digits, ".", "_" and "-".
 */
export const APP_MESH_NAME: NameRule = {
  noun: 'an App Mesh name',
  max: 255,
  pattern: /^[A-Za-z0-9._-]+$/,
  allowed: 'letters, digits, ".", "_" and "-"',
};

/** ECS (CreateCluster, CreateService): "up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens". */
export const ECS_NAME: NameRule = {
  noun: 'an ECS name',
  max: 255,
  pattern: /^[A-Za-z0-9_-]+$/,
  allowed: 'letters, digits, "_" and "-"',
};

/** CodeDeploy's deploymentConfigName is 1..100 characters; aws-cdk-lib allows these (its validateName). */
export const CODEDEPLOY_CONFIG_NAME: NameRule = {
  noun: 'a CodeDeploy deployment configuration name',
  max: 100,
  pattern: /^[A-Za-z0-9._+=,@-]+$/,
  allowed: 'letters, digits and . _ + = , @ -',
};

/**
 * CodeDeploy's application and deployment group names (API reference: ListDeployments, 1..100
 * characters); aws-cdk-lib allows the same characters as for configurations (its validateName).
 */
export const CODEDEPLOY_NAME: NameRule = {
  noun: 'a CodeDeploy application or deployment group name',
  max: 100,
  pattern: /^[A-Za-z0-9._+=,@-]+$/,
  allowed: 'letters, digits and . _ + = , @ -',
};

/**
 * The first character IAM would read as a wildcard or an ARN separator, for a sentence that says why a
 * name is refused rather than only that it is.
 */
function hazard(text: string): string | undefined {
  return (/[*?]/.exec(text) ?? /[/:]/.exec(text))?.[0];
}

function ruleProblem(text: string, rule: NameRule, what: string): string | undefined {
  const found = hazard(text);
  if (found === '*' || found === '?') {
    return `${show(text)} holds "${found}", which IAM reads as a wildcard in the grant made from ${what}; give the exact name`;
  }
  if (found !== undefined) {
    return `${show(text)} holds "${found}", which would move the name into another part of the ARN granted for ${what}; give the name alone`;
  }
  if (!rule.pattern.test(text)) {
    return `${show(text)} is not ${rule.noun}; use ${rule.allowed}`;
  }
  return undefined;
}

/**
 * A name a profile gives, held to `rule`; `short` names it in the sentence about its grant.
 * @example awsName(APP_MESH_NAME, 'the App Mesh mesh name', 'the mesh name')
 */
export function awsName(rule: NameRule, what: string, short: string) {
  const min = rule.min ?? 1;
  return requiredString(what, rule.max).check(
    z.superRefine((text, ctx) => {
      // requiredString has said what is wrong with an empty or an overlong name.
      if (text.length === 0 || text.length > rule.max) return;
      const problem =
        text.length < min
          ? `${show(text)} is shorter than ${min} characters; ${rule.noun} has ${min}..${rule.max}`
          : ruleProblem(text, rule, short);
      if (problem) ctx.addIssue({ code: 'custom', input: text, message: problem });
    }),
  );
}

/**
 * Why a name template cannot be granted narrowly, or undefined: it must hold {version}, keep at least
 * MIN_TEMPLATE_PREFIX literal characters before it, and have only `rule`'s characters around it.
 */
export function templateProblem(template: string, rule: NameRule, noun: string): string | undefined {
  if (!template.includes(VERSION)) {
    return `${show(template)} has no {version}; the new version's ${noun} is named by template, e.g. "orders-{version}"`;
  }
  const literal = template.replaceAll(VERSION, '');
  const found = hazard(literal);
  if (found === '*' || found === '?') {
    return `${show(template)} holds "${found}", which IAM reads as a wildcard in the grant made from the template; name the ${noun} exactly around {version}, e.g. "orders-{version}"`;
  }
  if (found !== undefined) {
    return `${show(template)} holds "${found}", which would move the ${noun}'s name into another part of the ARN granted for it; use ${rule.allowed} around {version}`;
  }
  const prefix = template.slice(0, template.indexOf(VERSION));
  if (prefix.length < MIN_TEMPLATE_PREFIX) {
    return `${show(template)} keeps ${prefix.length === 0 ? 'nothing' : `only "${prefix}"`} before {version}; the new version's ${noun} is granted by the part before {version} ("${prefix}*"), so keep at least ${MIN_TEMPLATE_PREFIX} characters there, e.g. "orders-{version}"`;
  }
  // "v1" stands for the version: its characters are the ones every name rule here allows.
  if (!rule.pattern.test(template.replaceAll(VERSION, 'v1'))) {
    return `${show(template)} does not make ${rule.noun}; use ${rule.allowed} around {version}`;
  }
  return undefined;
}

/**
 * The template that is the version alone: a router whose targets are the versions themselves (a Lambda
 * alias's version numbers) takes it, and every other router's kind refuses it (targetTemplateProblem).
 */
export const BARE_VERSION = VERSION;

/**
 * A name template such as "orders-{version}", held to `rule` (see templateProblem); "{version}" alone
 * is left to the router's kind when `bareToKind` (targets.canary): only it knows whether its targets are
 * named by the version itself.
 */
export function nameTemplate(rule: NameRule, noun: string, bareToKind = false) {
  return requiredString('a template such as "orders-{version}"').check(
    z.superRefine((template, ctx) => {
      if (template.length === 0 || (bareToKind && template === BARE_VERSION)) return;
      const problem = templateProblem(template, rule, noun);
      if (problem) ctx.addIssue({ code: 'custom', input: template, message: problem });
    }),
  );
}

/** CloudWatch (PutMetricAlarm AlarmName): 1..255 UTF-8 characters, no ASCII control characters. */
export function alarmName() {
  return requiredString('a CloudWatch alarm name').check(
    z.refine(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused.
      (name) => !/[\u0000-\u001f\u007f]/.test(name),
      {
        error: (iss) =>
          `${show(iss.input)} holds an ASCII control character, which CloudWatch alarm names cannot; give the alarm's name as the console shows it`,
      },
    ),
  );
}

/**
 * A Lambda function as a hook names it (Invoke's FunctionName): a name of 1..64 letters, digits, "-"
 * and "_", or the function's full ARN, either with an optional ":<version or alias>" (an alias is 1..128
 * of the same characters, or "$LATEST"). Partial ARNs ("123456789012:function:name") are refused: the
 * grant is made from the name or the full ARN.
 */
export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string;
  /** Present when the hook gave a full ARN: where the function lives. */
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
}

const FUNCTION_NAME = '[A-Za-z0-9_-]{1,64}';
const QUALIFIER = '\\$LATEST|[A-Za-z0-9_-]{1,128}';
const PLAIN_FUNCTION = new RegExp(`^(${FUNCTION_NAME})(?::(${QUALIFIER}))?$`);
const FUNCTION_ARN = new RegExp(
  `^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):function:(${FUNCTION_NAME})(?::(${QUALIFIER}))?$`,
);

/** The function a hook names, or undefined when it is neither a function name nor a full function ARN. */
export function functionRefOf(text: string): FunctionRef | undefined {
  const plain = PLAIN_FUNCTION.exec(text);
  if (plain) return { name: plain[1] as string, ...(plain[2] ? { qualifier: plain[2] } : {}) };
  const arn = FUNCTION_ARN.exec(text);
  if (!arn) return undefined;
  const [, partition, region, account, name, qualifier] = arn as unknown as string[];
  return {
    name: name as string,
    ...(qualifier ? { qualifier } : {}),
    partition: partition as string,
    region: region as string,
    account: account as string,
  };
}

/** A hook's functionName (see FunctionRef). */
export function functionName() {
  return requiredString('the Lambda function to invoke: its name or ARN', 170).check(
    z.superRefine((text, ctx) => {
      if (functionRefOf(text)) return;
      // ":" separates a qualifier and the parts of an ARN here: only the wildcards are hazards.
      const found = /[*?]/.exec(text)?.[0];
      const message =
        found !== undefined
          ? `${show(text)} holds "${found}", which IAM reads as a wildcard in the lambda:InvokeFunction grant made from it; name one function exactly`
          : /:function:?$/.test(text)
            ? `${show(text)} ends at "function" and names no function; the lambda:InvokeFunction grant made from it would cover every function of the account ("function:*"), so give the function's name or its full ARN`
            : /^\d{12}:function:/.test(text)
              ? `${show(text)} is a partial ARN; give the function's name ("my-function") or its full ARN ("arn:aws:lambda:eu-west-1:123456789012:function:my-function")`
              : `${show(text)} is not a Lambda function name or ARN; give a name of 1..64 letters, digits, "-" and "_" (":<alias>" may follow), or the function's full ARN`;
      ctx.addIssue({ code: 'custom', input: text, message });
    }),
  );
}

export type { NameRule };
