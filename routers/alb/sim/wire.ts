import type { Json } from '../../sim/service.ts';

/** Members of ELB's query API that are numbers or booleans; every other value stays text. */
const NUMBERS = new Set(['Weight', 'Order', 'DurationSeconds', 'Port', 'PageSize']);
const BOOLEANS = new Set(['Enabled', 'UseExistingClientSecret', 'IsDefault']);

/**
 * An awsQuery form body ("Action=ModifyRule&Actions.member.1.Type=forward&...") as the nested input
 * the SDK command took: "member.N" becomes list items, "entry.N.key/value" map entries.
 */
export function queryCall(body: string): { operation: string; input: Json } {
  const params = new URLSearchParams(body);
  const input: Json = {};
  let operation = '';
  for (const [key, raw] of params) {
    if (key === 'Action') operation = raw;
    if (key === 'Action' || key === 'Version') continue;
    const tokens = key.split('.');
    const name = tokens.filter((t) => !/^[0-9]+$/.test(t) && t !== 'member' && t !== 'entry').pop() ?? key;
    const value = NUMBERS.has(name) ? Number(raw) : BOOLEANS.has(name) ? raw === 'true' : raw;
    let node = input as Record<string | number, unknown>;
    for (let i = 0; i < tokens.length; ) {
      const token = tokens[i] as string;
      const listed = tokens[i + 1] === 'member' || tokens[i + 1] === 'entry';
      if (listed) {
        node[token] ??= [];
        const list = node[token] as unknown[];
        const index = Number(tokens[i + 2]) - 1;
        if (i + 3 >= tokens.length) {
          list[index] = value;
          break;
        }
        list[index] ??= {};
        node = list[index] as Record<string | number, unknown>;
        i += 3;
      } else if (i + 1 >= tokens.length) {
        node[token] = value;
        break;
      } else {
        node[token] ??= {};
        node = node[token] as Record<string | number, unknown>;
        i += 1;
      }
    }
  }
  return { operation, input };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

const ELB_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** An awsQuery success response: <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>. */
export function queryResponse(operation: string, requestId: string, body: Json): string {
  return `<${operation}Response xmlns="${ELB_NAMESPACE}"><${operation}Result>${toXml(body)}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** An awsQuery error response; the SDK names the error by its Code (or the modelled error with that code). */
export function queryError(requestId: string, code: string, status: number, message: string): string {
  return `<ErrorResponse xmlns="${ELB_NAMESPACE}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
