/**
 * A small evaluator of IAM policy statements, for tests that ask "may this principal do this?" of a
 * synthesized template rather than comparing statements by their text. It follows the IAM User Guide's
 * policy evaluation logic for one account: an explicit Deny in any identity or resource policy wins, then
 * any Allow, otherwise the request is denied. It knows the condition operators stepshift's policies use
 * (String*, Arn*, Null, with ForAllValues/ForAnyValue), with IAM's rules for absent keys: a negated
 * operator is true when the key is absent, ForAllValues is true on an empty set, ForAnyValue false.
 * CloudFormation intrinsics are read as names: {Ref: X} is "ref:X", {Fn::GetAtt: [X, Arn]} "arn-of:X",
 * any other "<Fn::Name>".
 */

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface IamRequest {
  /** The calling role, as the template names it: "arn-of:<role logical id>". */
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  /** Request context keys; a multivalued key (LeadingKeys, events:source) holds every value. */
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

/** A CloudFormation value as one string: intrinsics become stable names, joins are joined. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `ref:${String(v.Ref)}`;
  if ('Fn::GetAtt' in v) return `arn-of:${String((v['Fn::GetAtt'] as string[])[0])}`;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  // Any other intrinsic (Fn::Select of a name, ...) stands for one value the template computes.
  const [intrinsic] = Object.keys(v);
  if (intrinsic?.startsWith('Fn::')) return `<${intrinsic}>`;
  throw new Error(`cannot read ${JSON.stringify(value)} as a string`);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const glob = (pattern: string, text: string, caseless = false) => {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseless ? 'i' : '').test(text);
};

const OPERATORS: Record<string, (policy: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringLike: (p, v) => glob(p, v),
  ArnEquals: (p, v) => p === v,
  ArnLike: (p, v) => glob(p, v),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionHolds(operator: string, key: string, policyValues: string[], request: IamRequest): boolean {
  const [qualifier, base] = operator.includes(':') ? operator.split(':') : [undefined, operator];
  const values = key === 'aws:PrincipalArn' ? [request.principalArn] : request.context?.[key];
  if (base === 'Null') return (values === undefined || values.length === 0) === (policyValues[0] === 'true');
  const negated = base !== undefined && base in NEGATED;
  const match = OPERATORS[negated ? (NEGATED[base as string] as string) : (base as string)];
  if (!match) throw new Error(`the evaluator knows no operator ${operator}`);
  const hit = (v: string) => policyValues.some((p) => match(p, v));
  const holds = (v: string) => (negated ? !hit(v) : hit(v));
  if (qualifier === 'ForAllValues') return (values ?? []).every(holds);
  if (qualifier === 'ForAnyValue') return (values ?? []).some(holds);
  if (values === undefined || values.length === 0) return negated;
  return values.some(holds);
}

function applies(statement: Statement, request: IamRequest, resourcePolicy: boolean): boolean {
  if (!list(statement.Action).some((a) => glob(String(a), request.action, true))) return false;
  if (!list(statement.Resource).some((r) => glob(flatten(r), request.resource))) return false;
  if (resourcePolicy) {
    const principal = statement.Principal as string | { AWS?: unknown } | undefined;
    const any = principal === '*' || (typeof principal === 'object' && principal.AWS === '*');
    if (!any && !list((principal as { AWS?: unknown })?.AWS).some((p) => flatten(p) === request.principalArn))
      return false;
  }
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) =>
      conditionHolds(operator, key, list(value).map(flatten), request),
    ),
  );
}

/** Whether IAM allows `request`, given the principal's identity statements and the resource's policy. */
export function isAllowed(
  request: IamRequest,
  identity: readonly Statement[],
  resourcePolicy: readonly Statement[] = [],
): boolean {
  const all = [
    ...identity.map((s) => ({ s, resource: false })),
    ...resourcePolicy.map((s) => ({ s, resource: true })),
  ].filter(({ s, resource }) => applies(s, request, resource));
  if (all.some(({ s }) => s.Effect === 'Deny')) return false;
  return all.some(({ s }) => s.Effect === 'Allow');
}
