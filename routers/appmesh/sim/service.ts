import type { HttpRequest } from '@smithy/core/protocols';
import { parseJsonObject, queryValue, readBody } from '../../sim/http.ts';
import { restJsonWire } from '../../sim/rest-json-protocol.ts';
import {
  type Call,
  type CallContext,
  type Json,
  notServed,
  type SimulatedService,
  type Wire,
} from '../../sim/service.ts';
import { AppMeshModel } from './model.ts';
import type { AppMeshWorld } from './world.ts';

/** The operations the simulated App Mesh serves; a scenario's fault may target any of them. */
export const APPMESH_OPERATIONS = [
  'DescribeRoute',
  'UpdateRoute',
  'CreateRoute',
  'DeleteRoute',
  'DescribeVirtualNode',
  'ListVirtualNodes',
] as const;

/** App Mesh's REST paths (restJson1), as the SDK's commands build them. */
const ROUTE_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualRouter\/([^/]+)\/routes\/([^/]+)$/;
const ROUTES_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualRouter\/([^/]+)\/routes$/;
const VIRTUAL_NODE_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualNodes\/([^/]+)$/;
const VIRTUAL_NODES_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualNodes$/;

const label = (segment: string | undefined) => decodeURIComponent(segment ?? '');

/** The operation and input of an App Mesh request: the path's labels, meshOwner from the query, the body. */
function read(request: HttpRequest, region: string): Call {
  const body = readBody(request.body);
  const path = request.path ?? '/';
  const method = (request.method ?? 'GET').toUpperCase();
  const owner = queryValue(request, 'meshOwner');
  const withOwner = owner === undefined ? {} : { meshOwner: owner };
  const route = ROUTE_PATH.exec(path);
  if (route && method === 'DELETE') {
    const key = { meshName: label(route[1]), virtualRouterName: label(route[2]), routeName: label(route[3]) };
    return { operation: 'DeleteRoute', input: { ...key, ...withOwner }, region };
  }
  if (route && (method === 'GET' || method === 'PUT')) {
    const key = {
      meshName: label(route[1]),
      virtualRouterName: label(route[2]),
      routeName: label(route[3]),
      ...withOwner,
    };
    if (method === 'GET') return { operation: 'DescribeRoute', input: key, region };
    const parsed = parseJsonObject(body);
    return {
      operation: 'UpdateRoute',
      input: { ...key, ...parsed.value },
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }
  const routes = ROUTES_PATH.exec(path);
  if (routes && method === 'PUT') {
    const parsed = parseJsonObject(body);
    return {
      operation: 'CreateRoute',
      input: {
        ...parsed.value,
        meshName: label(routes[1]),
        virtualRouterName: label(routes[2]),
        ...withOwner,
      },
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }
  const node = VIRTUAL_NODE_PATH.exec(path);
  if (node && method === 'GET') {
    return {
      operation: 'DescribeVirtualNode',
      input: { meshName: label(node[1]), virtualNodeName: label(node[2]), ...withOwner },
      region,
    };
  }
  const nodes = VIRTUAL_NODES_PATH.exec(path);
  if (nodes && method === 'GET') {
    return { operation: 'ListVirtualNodes', input: { meshName: label(nodes[1]), ...withOwner }, region };
  }
  const parsed = body === '' ? { value: {} } : parseJsonObject(body);
  return { operation: `${method} ${path}`, input: { ...parsed.value, ...withOwner }, region };
}

const wire: Wire = {
  ...restJsonWire({
    host: 'appmesh.',
    routes: [],
    namespace: 'appmesh',
    unreadableError: 'BadRequestException',
  }),
  read,
};

/** AWS App Mesh's routes and virtual nodes, on App Mesh's wire. */
export class SimulatedAppMesh implements SimulatedService {
  readonly name = 'appmesh';
  readonly title = 'App Mesh';
  readonly wire = wire;
  readonly model: AppMeshModel;
  /** The world's first route: the one a person edits when the action names none. */
  readonly firstRoute: AppMeshWorld['routes'][number] | undefined;

  constructor(
    world: AppMeshWorld,
    readonly now: () => number,
  ) {
    this.model = new AppMeshModel(world);
    this.firstRoute = world.routes[0];
  }

  serve(call: Call, context: CallContext): Json {
    const { input, region } = call;
    const epoch = context.epochSeconds;
    switch (call.operation) {
      case 'DescribeRoute':
        return this.model.describeRoute(input, region, epoch);
      case 'UpdateRoute':
        return this.model.updateRoute(input, region, context.at, epoch);
      case 'CreateRoute':
        return this.model.createRoute(input, region, context.at, epoch);
      case 'DeleteRoute':
        return this.model.deleteRoute(input, region, epoch);
      case 'DescribeVirtualNode':
        return this.model.describeVirtualNode(input, region, epoch);
      case 'ListVirtualNodes':
        return this.model.listVirtualNodes(input, region, epoch);
      default:
        throw notServed(this.title, call.operation, APPMESH_OPERATIONS);
    }
  }
}
