import {
  arnPattern,
  NO_RESOURCE_LEVEL_PERMISSIONS,
  type Wildcard,
  type WildcardShape,
} from '#routers/iam/wildcards.ts';

/**
 * The construct's own wildcard shapes and reasons, for the grants that are no router's: X-Ray, alarms
 * and metrics, the new version's ECS services, hook functions' versions. Each router declares its own
 * in its iam.ts.
 */

export const VERSION_ECS_SERVICES: WildcardShape = {
  pattern: arnPattern('ecs', 'service/[A-Za-z0-9_-]+/[A-Za-z0-9_-]{3,}\\*'),
  granted:
    'arn:<partition>:ecs:<region>:<account>:service/<ecsService.cluster>/<ecsService.service before {version}, 3 or more characters>*',
};

export const HOOK_FUNCTION_VERSIONS: WildcardShape = {
  pattern: arnPattern('lambda', 'function:[A-Za-z0-9_-]{1,64}:\\*'),
  granted:
    'arn:<partition>:lambda:<region>:<account>:function:<the hook function name>:*, the versions and aliases of one function',
};

export const ECS_SERVICES_REASON =
  "The new version's ECS service is named by the profile's targets.ecsService template, and the version is only known when a release starts, so ecs:DescribeServices is granted on the template's prefix (at least 3 characters, no wildcard) in the one named cluster. It only reads.";

export const HOOK_VERSIONS_REASON =
  'A hook that names a function unqualified may be run through the version or alias the function owner points at; the grant covers that one named function and its qualifiers only.';

const XRAY_REASON =
  'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference for AWS X-Ray), so Lambda grants them on "*".';

const ALARMS_REASON =
  'cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory return composite alarms only when the permission is scoped to "*" (CloudWatch API reference for both actions). Profiles name metric and composite alarms alike and requests may override them, so scoping to alarm ARNs would make a composite alarm read as missing and fail the release. Both actions only read alarm state and history.';

const METRICS_REASON =
  'cloudwatch:GetMetricData supports no resource-level permissions (Service Authorization Reference for Amazon CloudWatch), so it is granted on "*". Analyze reads the metric checks of profiles and of requests that override them; the action only reads metric data.';

const anyResource = (why: string): Wildcard => ({ shape: NO_RESOURCE_LEVEL_PERMISSIONS, finding: '*', why });

/** X-Ray's, on every function's role. */
export const XRAY_WILDCARD = anyResource(XRAY_REASON);
/** DescribeAlarms and DescribeAlarmHistory's. */
export const ALARMS_WILDCARD = anyResource(ALARMS_REASON);
/** GetMetricData's. */
export const METRICS_WILDCARD = anyResource(METRICS_REASON);
