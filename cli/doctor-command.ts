import { createAwsClients } from '#adapters/aws/clients.ts';
import { whyAwsUnreachable } from '#adapters/aws/reach.ts';
import { createDoctorDeps } from '#adapters/doctor-deps.ts';
import type { DoctorCheck } from '#core/doctor/check.ts';
import { type DoctorDeps, examineProfile } from '#core/doctor/doctor.ts';
import { type AwsFlags, awsTarget, EXIT, failed, type Output, printJson } from './conventions.ts';
import { type ProfileEntry, profilesAt, scenarioProfile } from './doctor-profiles.ts';

export interface DoctorFlags extends AwsFlags {
  /** Check against this scenario's simulated account instead of AWS. */
  readonly scenario?: string;
  readonly json?: boolean;
  /** Send each webhook hook a signed test call. */
  readonly pingWebhooks?: boolean;
}

/** Where doctor reads the account: AWS as the flags say, or a scenario's simulated account. */
export interface DoctorAccount {
  readonly deps: DoctorDeps;
  /** The scenario's own profile, when the account is a scenario's. */
  readonly scenarioProfile?: unknown;
}

export interface DoctorContext {
  readonly out: Output;
  readonly err: Output;
  /** The account; a string is why it cannot be asked (exit 2). */
  account(flags: DoctorFlags): Promise<DoctorAccount | string>;
}

/** A profile file's result: its checks, and the service and route when it is a valid profile. */
export interface DoctorResult {
  readonly file: string;
  readonly service?: string;
  readonly routeId?: string;
  readonly checks: DoctorCheck[];
}

async function defaultAccount(flags: DoctorFlags): Promise<DoctorAccount | string> {
  if (flags.scenario !== undefined) {
    // Only a scenario run loads the rehearsal's simulated AWS.
    const { scenarioAccount } = await import('#rehearsal/scenario-account.ts');
    let account: Awaited<ReturnType<typeof scenarioAccount>>;
    try {
      account = await scenarioAccount(flags.scenario);
    } catch (error) {
      if ((error as Error).name === 'ScenarioError') return (error as Error).message;
      throw error;
    }
    const options = { pingWebhooks: flags.pingWebhooks === true, webhook: account.webhook };
    return {
      deps: createDoctorDeps(account.clients, account.clock, options),
      scenarioProfile: account.profile,
    };
  }
  const target = awsTarget(flags);
  if (typeof target === 'string') return target;
  const clients = createAwsClients(target);
  return {
    deps: createDoctorDeps(clients, { now: () => new Date() }, { pingWebhooks: flags.pingWebhooks === true }),
  };
}

export const defaultDoctorContext: DoctorContext = {
  out: process.stdout,
  err: process.stderr,
  account: defaultAccount,
};

/**
 * What doctor leaves to the deployment, said on every run: whether the deployed functions' roles may
 * do what each profile needs (iam:SimulatePrincipalPolicy) is not simulated.
 */
export const NOT_CHECKED = [
  "the deployed functions' roles were not simulated against what each profile needs (iam:SimulatePrincipalPolicy); the construct grants each profile's needs when the stack synthesizes, so deploy again after changing a profile",
];

const MARK = { ok: 'ok', finding: 'FIX', unchecked: 'not checked' } as const;

function formatResult(result: DoctorResult): string {
  const head = result.service ? `${result.service} (${result.file}) on ${result.routeId}` : result.file;
  const lines = result.checks.map((c) => `  ${MARK[c.status].padEnd(11)} ${c.field}: ${c.message}`);
  return [head, ...lines].join('\n');
}

/**
 * `stepshift doctor <profile file | folder>`: before the first release, checks each profile against
 * the account, read-only, and says what to change. Exit 0: nothing to change; 1: findings; 2: could
 * not ask (no such path, AWS unreachable, a bad scenario).
 */
export async function doctorCommand(
  path: string | undefined,
  flags: DoctorFlags,
  context: DoctorContext = defaultDoctorContext,
): Promise<number> {
  if (path === undefined && flags.scenario === undefined) {
    return failed(
      context,
      'doctor needs a profile file or a folder of profiles (or --scenario <file>)',
      flags.json,
    );
  }
  let entries: ProfileEntry[] = [];
  if (path !== undefined) {
    try {
      entries = await profilesAt(path);
    } catch (error) {
      return failed(context, (error as Error).message.replace(/^profilesFrom: /, ''), flags.json);
    }
  }
  const account = await context.account(flags);
  if (typeof account === 'string') return failed(context, account, flags.json);
  if (path === undefined && flags.scenario !== undefined) {
    entries = [scenarioProfile(flags.scenario, account.scenarioProfile)];
  }

  const results: DoctorResult[] = [];
  for (const entry of entries) {
    if (!('profile' in entry)) {
      results.push({ file: entry.file, checks: entry.checks });
      continue;
    }
    try {
      const report = await examineProfile(entry.profile, account.deps);
      results.push({ file: entry.file, ...report });
    } catch (error) {
      const doing = `checking ${entry.file}`;
      const unreachable = whyAwsUnreachable(error, doing);
      if (unreachable) return failed(context, unreachable, flags.json);
      throw error;
    }
  }
  const findings = results.flatMap((r) => r.checks).filter((c) => c.status === 'finding').length;
  const notChecked = results.flatMap((r) => r.checks).filter((c) => c.status === 'unchecked').length;
  if (flags.json)
    printJson(context.out, { profiles: results, findings, unchecked: notChecked, notChecked: NOT_CHECKED });
  else {
    context.out.write(`${results.map(formatResult).join('\n\n')}\n\n`);
    for (const line of NOT_CHECKED) context.out.write(`not checked: ${line}\n`);
    context.out.write(
      `${results.length} profile(s): ${findings ? `${findings} finding(s) to fix` : 'nothing to fix'}${notChecked ? `, ${notChecked} thing(s) not checked` : ''}\n`,
    );
  }
  return findings ? EXIT.no : EXIT.ok;
}
