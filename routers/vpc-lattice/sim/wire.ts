import type { HttpRequest } from '@smithy/core/protocols';
import type { Json } from '../../sim/service.ts';

/** Lattice's REST paths (restJson1), as the SDK's GetRule, UpdateRule, ... commands build them. */
const LATTICE_PATHS: readonly [string, RegExp, string, readonly string[]][] = [
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'GetRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  [
    'PATCH',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'UpdateRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)$/,
    'GetListener',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'PATCH',
    /^\/services\/([^/]+)\/listeners\/([^/]+)$/,
    'UpdateListener',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'POST',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules$/,
    'CreateRule',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules$/,
    'ListRules',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'DELETE',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'DeleteRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  ['GET', /^\/targetgroups$/, 'ListTargetGroups', []],
  ['POST', /^\/targetgroups\/([^/]+)\/listtargets$/, 'ListTargets', ['targetGroupIdentifier']],
];

/** Operation and input of a Lattice request: path labels and the JSON body together. */
export function latticeCall(request: HttpRequest, body: Json): { operation: string; input: Json } {
  const path = request.path ?? '/';
  const method = (request.method ?? 'GET').toUpperCase();
  for (const [m, pattern, operation, labels] of LATTICE_PATHS) {
    const match = m === method ? pattern.exec(path) : null;
    if (match) {
      const input: Json = { ...body };
      labels.forEach((label, i) => {
        input[label] = decodeURIComponent(match[i + 1] ?? '');
      });
      return { operation, input };
    }
  }
  return { operation: `${method} ${path}`, input: body };
}
