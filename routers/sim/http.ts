import type { HttpRequest } from '@smithy/core/protocols';
import type { Json } from './service.ts';

/** Reading a request the SDK built: headers, query values, the body. */

export function header(request: HttpRequest, name: string): string | undefined {
  const key = Object.keys(request.headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

export function queryValue(request: HttpRequest, name: string): string | undefined {
  const value = request.query?.[name];
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' ? value : undefined;
}

/** Every query parameter, first value each. */
export function queryOf(request: HttpRequest): Json {
  return Object.fromEntries(Object.keys(request.query ?? {}).map((k) => [k, queryValue(request, k)]));
}

export function readBody(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error('The simulated AWS reads string or byte bodies only; this request body is a stream');
}

/** A JSON object body; an empty body is an empty object, anything else not an object an error. */
export function parseJsonObject(text: string): { value: Json; error?: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { value: value as Json };
    return { value: {}, error: 'The request body is not a JSON object' };
  } catch (error) {
    return { value: {}, error: `The request body is not JSON: ${(error as Error).message}` };
  }
}

/** The JSON answer every JSON protocol sends. */
export function jsonResponse(
  status: number,
  contentType: string,
  requestId: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
) {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, ...headers },
    body: JSON.stringify(body),
  };
}
