import type { HttpRequest } from '@smithy/core/protocols';

/**
 * What a simulated service is to the rehearsal's transport (rehearsal/transport.ts): a name, the wire
 * its calls travel on, and a model that answers a call. A service knows AWS and its own state, nothing
 * of stepshift: each one apart from its wire, as moto keeps its models apart from its responses.
 */

/** A JSON object as the simulated services hold one. */
export type Json = Record<string, unknown>;

/** An error a service answers with: its name, the HTTP status and the message AWS gives. */
export class ServiceError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
    /** The query-compatible code, for the services that send one (CloudWatch), when it differs from the name. */
    readonly queryCode: string = name,
  ) {
    super(message);
  }
}

/** One call, as its wire read it. */
export interface Call {
  readonly operation: string;
  /** The operation's input as the SDK command took it (path labels, query and body members together). */
  readonly input: Json;
  readonly region: string;
  /** Set when the request could not be read (a body that is not JSON). */
  readonly unreadable?: string;
}

/** The moment a call arrives, as the service is told of it. */
export interface CallContext {
  /** Virtual seconds since the rehearsal started. */
  readonly at: number;
  readonly requestId: string;
  /** Epoch seconds for a virtual time, as AWS puts timestamps on the wire. */
  epochSeconds(virtualSeconds: number): number;
}

/** An HTTP answer, before the transport hands it to the SDK. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The error the call is recorded with, when the answer is one the service shaped itself. */
  readonly error?: { readonly name: string; readonly message: string };
}

/** How one service's calls look on the wire: which requests are its own, how they read, how it answers. */
export interface Wire {
  claims(request: HttpRequest): boolean;
  read(request: HttpRequest, region: string): Call;
  answer(call: Call, body: Json, requestId: string): WireResponse;
  refuse(error: ServiceError, requestId: string): WireResponse;
  /** The error the service answers a request body it cannot read with. */
  unreadable(message: string): ServiceError;
}

export interface SimulatedService {
  /** How the calls log names it ("appmesh", "cloudwatch", "lattice", ...). */
  readonly name: string;
  /** How people name it ("App Mesh"). */
  readonly title: string;
  readonly wire: Wire;
  /** Statuses it answers an injected error with, where they differ from the usual (Lattice throttles with 429). */
  readonly faultStatuses?: Readonly<Record<string, number>>;
  /**
   * Answers a call from the service's state: a document its wire encodes, or an answer it shaped
   * itself. Throws ServiceError as the service refuses.
   */
  serve(call: Call, context: CallContext): Json | WireResponse | Promise<Json | WireResponse>;
}

/** Whether a service's answer is one it shaped itself rather than a document for its wire. */
export function isWireResponse(answer: Json | WireResponse): answer is WireResponse {
  return typeof answer.status === 'number' && typeof answer.body === 'string' && 'headers' in answer;
}

/** The refusal of an operation a simulated service does not serve, naming those it does. */
export function notServed(
  title: string,
  operation: string,
  served: readonly string[],
  name = 'UnknownOperationException',
): ServiceError {
  return new ServiceError(
    name,
    400,
    `The simulated ${title} does not serve ${operation}; it serves ${served.join(', ')}`,
  );
}
