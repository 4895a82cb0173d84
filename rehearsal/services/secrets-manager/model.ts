import { createHash } from 'node:crypto';
import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';

/**
 * The scenario's `world.secrets` and Secrets Manager's GetSecretValue over them: what a webhook's
 * secret holds in the rehearsal. A value is the secret's text (SecretString); an object is stored as
 * its JSON text, as the console stores key/value pairs.
 */

const SECRET_FIELDS = ['name', 'value'] as const;
const secretSchema = z.strictObject(
  {
    name: requiredString('the secret\'s name, such as "stepshift/orders-hooks"', 512).check(
      z.regex(/^[A-Za-z0-9/_+=.@-]+$/, {
        error: (iss) => `${show(iss.input)} is not a secret name; use letters, digits and / _ + = . @ -`,
      }),
    ),
    value: z
      .union([z.string(), z.record(z.string(), z.string())], {
        error: (iss) =>
          `is ${show(iss.input)}; give the secret's text, or an object of strings such as {"signingKey": "..."}`,
      })
      .transform((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
  },
  { error: objectError('a secret', SECRET_FIELDS) },
);

export const secretsWorldSchema = z
  .array(secretSchema, { error: (iss) => `is ${show(iss.input)}; give a list of secrets` })
  .superRefine((secrets, ctx) => {
    const seen = new Set<string>();
    secrets.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: 'repeats a secret name; a name is unique in an account and region',
        });
      }
      seen.add(s.name);
    });
  })
  .default([]);
export type WorldSecret = z.output<typeof secretSchema>;

/** An error GetSecretValue answers with, named and with the HTTP status Secrets Manager uses. */
export class SecretsManagerError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The six characters Secrets Manager adds to a secret's ARN; derived from the name, so stable. */
function suffixOf(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6);
}

export function secretArn(name: string, region: string, account: string): string {
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffixOf(name)}`;
}

/**
 * GetSecretValue as Secrets Manager answers it: the secret by name, complete ARN or partial ARN (the
 * ARN without its suffix), in the caller's region; ResourceNotFoundException otherwise.
 */
export function getSecretValue(
  secrets: readonly WorldSecret[],
  input: Record<string, unknown>,
  where: { readonly region: string; readonly account: string; readonly createdAt: number },
): Record<string, unknown> {
  const id = input.SecretId;
  if (typeof id !== 'string' || id === '') {
    throw new SecretsManagerError('InvalidParameterException', 400, 'SecretId is required');
  }
  const secret = secrets.find((s) => {
    const arn = secretArn(s.name, where.region, where.account);
    return id === s.name || id === arn || id === arn.slice(0, -7);
  });
  if (!secret) {
    throw new SecretsManagerError(
      'ResourceNotFoundException',
      400,
      "Secrets Manager can't find the specified secret.",
    );
  }
  return {
    ARN: secretArn(secret.name, where.region, where.account),
    Name: secret.name,
    VersionId: `sim-${suffixOf(secret.name)}`,
    SecretString: secret.value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: where.createdAt,
  };
}
