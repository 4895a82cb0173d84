import type { LambdaFunctions, WebhookPing } from '../observing-ports.ts';
import type { Clock, HealthSource, RouterFactory, RouterKinds } from '../ports.ts';

/**
 * What `stepshift doctor` reports of one profile: a line per thing it checked, read-only, before the
 * first release. A finding says what is wrong and what to change; "unchecked" says what it could not
 * ask and why, so a person knows what is left to them.
 */
export type CheckStatus = 'ok' | 'finding' | 'unchecked';

export interface DoctorCheck {
  readonly status: CheckStatus;
  /** The profile field the line is about, as the profile writes it: "router", "analysis.alarms". */
  readonly field: string;
  /** One sentence: what was found and, for a finding, what to change. */
  readonly message: string;
}

export const ok = (field: string, message: string): DoctorCheck => ({ status: 'ok', field, message });
export const finding = (field: string, message: string): DoctorCheck => ({
  status: 'finding',
  field,
  message,
});
export const unchecked = (field: string, message: string): DoctorCheck => ({
  status: 'unchecked',
  field,
  message,
});

/** A sentence of Prepare's ("profile.analysis.alarms: no CloudWatch alarm ...") as a finding on its field. */
export function fromPrepare(sentence: string, fallbackField: string): DoctorCheck {
  const match = /^(?:profile\.)?([A-Za-z][\w.[\]]*): (.*)$/s.exec(sentence);
  if (match?.[1] && match[2] && !sentence.startsWith('route ')) return finding(match[1], match[2]);
  return finding(fallbackField, sentence);
}

/** What doctor reads the account with: the ports Prepare uses, read-only. */
export interface DoctorDeps {
  readonly routerFor: RouterFactory;
  readonly routerKinds: RouterKinds;
  readonly health: Pick<HealthSource, 'readAlarms' | 'readMetrics'>;
  readonly clock: Clock;
  /** Where the Lambda hooks' functions are looked up. */
  readonly functions: LambdaFunctions;
  /** Present only when a person asked for webhooks to be called (--ping-webhooks). */
  readonly webhooks?: WebhookPing;
}
