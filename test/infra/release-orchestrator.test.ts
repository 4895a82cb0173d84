import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, handlerFactories } from '#functions/index.ts';
import { buildStepshiftApp } from '#infra/stepshift-app.ts';
import { StepshiftStack } from '#infra/stepshift-stack.ts';
import { ordersProfile } from '../support/profiles.ts';
import {
  actionsOf,
  attachNag,
  logicalIdOf,
  projectApp,
  reportedViolations,
  resourcesOf,
  type Statement,
  statementsOfRole,
} from './support.ts';

const NAMES = Object.keys(handlerFactories) as FunctionName[];

/** A string found nowhere in stepshift's code: where it shows up, a profile went. */
const MARKER = 'marker-7f3a9c51e2d8';
const markedProfile = ordersProfile({
  service: `payments-${MARKER}`,
  router: {
    type: 'appmesh',
    meshName: 'bank',
    virtualRouterName: 'payments-router',
    routeName: 'payments-route',
  },
  targets: { canary: 'payments-{version}' },
  analysis: { alarms: [`payments-${MARKER}-5xx`], failureThreshold: 1, insufficientData: 'ignore' },
  hooks: [
    {
      name: 'smoke',
      phase: 'preRollout',
      type: 'webhook',
      url: `https://hooks.example.com/${MARKER}?token=t0p`,
    },
  ],
});
const ASL = readFileSync(new URL('../../statemachines/release.asl.json', import.meta.url), 'utf8');

// Actions that support no resource-level permission, or (CloudWatch's alarm reads) only return composite
// alarms when granted on "*": the only actions allowed on Resource "*".
const STAR_ONLY = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:GetMetricData',
]);

const appMeshArn = (resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':appmesh:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:mesh/shop/${resource}`,
    ],
  ],
});
const ROUTE_ARN = appMeshArn('virtualRouter/orders-router/route/orders-route');
const NODES_ARN = appMeshArn('virtualNode/orders-*');
/** The side routes a blue/green or A/B release of orders may create: by exact name, no wildcard. */
const SIDE_ARNS = [
  appMeshArn('virtualRouter/orders-router/route/stepshift-orders-cohort'),
  appMeshArn('virtualRouter/orders-router/route/stepshift-orders-test'),
];

describe('the Stepshift stack, as npm run synth builds it (functions bundled, cdk-nag attached)', () => {
  let app: App;
  let stack: StepshiftStack;
  let edited: StepshiftStack;
  let template: Template;
  let assemblyDir: string;

  beforeAll(() => {
    const started = performance.now();
    app = projectApp();
    stack = buildStepshiftApp(app).stepshift;
    // The same orchestrator with another profile, as after a team edits theirs: in the same app, so
    // the functions it bundles the same way are bundled once.
    edited = new StepshiftStack(app, 'StepshiftEdited', {
      orchestrator: { profiles: [markedProfile], stateMachineName: 'stepshift-edited' },
    });
    attachNag(app);
    assemblyDir = app.synth().directory;
    template = Template.fromStack(stack);
    // Reported, not asserted: a timing belongs in a measurement, not a pass/fail test.
    console.info(
      `Stepshift app synthesized with bundling and cdk-nag in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 120_000);

  const fn = (name: FunctionName) => stack.orchestrator.functions[name];
  const functionId = (name: FunctionName) => logicalIdOf(stack, fn(name));
  const roleId = (name: FunctionName) => stack.getLogicalId(fn(name).role!.node.defaultChild as never);
  const assetDir = (s3Key: string, stackName = 'Stepshift') => {
    const manifest = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    const hash = s3Key.replace(/\.(zip|json)$/, '');
    return join(assemblyDir, manifest.files[hash]!.source.path);
  };

  it('has one function per handler factory: Node.js 24 on arm64, traced, JSON logs to its own log group', () => {
    // The task functions, the guard, and the alarm function.
    template.resourceCountIs('AWS::Lambda::Function', NAMES.length + 2);
    for (const name of NAMES) {
      const props = template.toJSON().Resources[functionId(name)].Properties;
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'stepshift',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            STEPSHIFT_TABLE_NAME: { Ref: logicalIdOf(stack, stack.orchestrator.table) },
            STEPSHIFT_EVENT_BUS_NAME: { Ref: expect.stringMatching(/EventBus/) },
          },
        },
      });
      expect(props.Environment.Variables).not.toHaveProperty('STEPSHIFT_PROFILES');
      const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Retain',
      });
    }
  });

  it('gives the functions that call AWS with retries more time than those that only emit events', () => {
    const timeout = (name: FunctionName) =>
      template.toJSON().Resources[functionId(name)].Properties.Timeout as number;
    // Finish runs the post-rollout hooks.
    for (const name of ['Prepare', 'Shift', 'Analyze', 'Promote', 'Finish', 'Rollback'] as const) {
      expect(timeout(name)).toBe(120);
    }
    expect(timeout('Bake')).toBe(30);
  });

  it("gives the profiles to Prepare and the alarm function only, as a layer Prepare's bundle reads as Lambda loads it", () => {
    const resources = template.toJSON().Resources;
    const layerId = Object.keys(template.findResources('AWS::Lambda::LayerVersion'))[0]!;
    const functions = { ...stack.orchestrator.functions, Guard: stack.orchestrator.guardFunction };
    for (const [name, deployed] of Object.entries({
      ...functions,
      Alarm: stack.orchestrator.alarmFunction!,
    })) {
      const props = resources[logicalIdOf(stack, deployed)].Properties;
      const reads = name === 'Prepare' || name === 'Alarm';
      expect(props.Layers, name).toEqual(reads ? [{ Ref: layerId }] : undefined);
      expect(props.Environment.Variables.STEPSHIFT_PROFILES_FILE, name).toBe(
        reads ? '/opt/stepshift/profiles.json' : undefined,
      );
    }
    const layerDir = assetDir(resources[layerId].Properties.Content.S3Key);
    const profilesFile = join(layerDir, 'stepshift', 'profiles.json');
    expect(JSON.parse(readFileSync(profilesFile, 'utf8'))).toEqual([
      expect.objectContaining({ service: 'orders', source: expect.anything() }),
    ]);
    // An ES module by its extension (index.mjs, with its chunks), imported from outside any
    // package.json, as /var/task is, with the layer's file where Lambda puts it (here: where the
    // variable says): asked for another service, Prepare names the one its profiles hold.
    const dir = assetDir(resources[functionId('Prepare')].Properties.Code.S3Key);
    const { stderr: seen } = spawnSync(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(join(dir, 'index.mjs'))}).then((m) =>
           m.handler({ request: { service: 'payments', version: 'v2' }, execution: { Id: 'x', Name: 'r1' } })
             .catch((e) => process.stderr.write('\\nseen: ' + JSON.stringify({ handler: typeof m.handler, name: e.name, message: e.message }))));`,
      ],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          STEPSHIFT_PROFILES_FILE: profilesFile,
          STEPSHIFT_TABLE_NAME: 'stepshift',
          AWS_REGION: 'us-east-1',
        },
        encoding: 'utf8',
      },
    );
    // Node and the SDK may warn on stderr too: the line the script wrote is the one that says "seen".
    expect(JSON.parse(seen.split('\nseen: ')[1] ?? 'null')).toEqual({
      handler: 'function',
      name: 'InvalidRequest',
      message: 'request.service: no release profile for "payments"; profiles exist for: orders',
    });
  }, 30_000);

  it("puts no profile text in any function's code, so an edited profile changes no function, only the layer", () => {
    const codeOf = (s: StepshiftStack): Record<string, string> =>
      Object.fromEntries(
        Object.entries(Template.fromStack(s).findResources('AWS::Lambda::Function')).map(([id, r]) => [
          id,
          r.Properties.Code.S3Key as string,
        ]),
      );
    const layerOf = (s: StepshiftStack) =>
      Object.values(Template.fromStack(s).findResources('AWS::Lambda::LayerVersion'))[0]!.Properties.Content
        .S3Key as string;
    const original = codeOf(stack);
    expect(Object.keys(original)).toHaveLength(NAMES.length + 2);
    // Every function's code asset is the same, byte for byte, whatever the profiles say.
    expect(codeOf(edited)).toEqual(original);
    expect(layerOf(edited)).not.toBe(layerOf(stack));
    for (const key of new Set(Object.values(original))) {
      const dir = assetDir(key);
      const bundle = readdirSync(dir)
        .map((file) => readFileSync(join(dir, file), 'utf8'))
        .join('\n');
      expect(bundle.includes(MARKER), `the marker in ${key}`).toBe(false);
      expect(bundle.includes('orders-route'), `the example's route in ${key}`).toBe(false);
    }
    // The marker is where it belongs: in the edited stack's layer.
    const layer = readFileSync(
      join(assetDir(layerOf(edited), 'StepshiftEdited'), 'stepshift', 'profiles.json'),
      'utf8',
    );
    expect(layer).toContain(MARKER);
  });

  it('deploys statemachines/release.asl.json itself, each placeholder bound to its own function', () => {
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const [machine] = Object.values(machines);
    const props = machine!.Properties;
    // The definition is the file, byte for byte, uploaded as an asset.
    expect(readFileSync(assetDir(props.DefinitionS3Location.Key), 'utf8')).toBe(ASL);
    expect(props.DefinitionSubstitutions).toEqual(
      Object.fromEntries(
        NAMES.map((name) => [`${name}FunctionArn`, { 'Fn::GetAtt': [functionId(name), 'Arn'] }]),
      ),
    );
    // Substituted as CloudFormation will, every placeholder is filled and every task calls its function.
    const deployed = ASL.replace(/\$\{(\w+)\}/g, (_, key: string) => {
      const value = props.DefinitionSubstitutions[key] as { 'Fn::GetAtt': [string, string] } | undefined;
      expect(value, `no substitution for \${${key}}`).toBeDefined();
      return `arn-of:${value!['Fn::GetAtt'][0]}`;
    });
    const states = Object.values(
      (JSON.parse(deployed) as { States: Record<string, { Parameters?: { FunctionName?: string } }> }).States,
    );
    const called = states.flatMap((s) => (s.Parameters?.FunctionName ? [s.Parameters.FunctionName] : []));
    expect(called.sort()).toEqual(NAMES.map((name) => `arn-of:${functionId(name)}`).sort());
  });

  it('is a Standard workflow that logs every event, without its data, to its own log group and traces', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'stepshift-releases',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        // Execution data holds each bake's task token (executionLogging's doc comment).
        IncludeExecutionData: false,
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
        ],
      },
    });
  });

  it('lets the state machine invoke exactly the task functions, unqualified', () => {
    const roleLogicalId = stack.getLogicalId(
      stack.orchestrator.stateMachine.node.findChild('Role').node.defaultChild as never,
    );
    const invoke = statementsOfRole(template, roleLogicalId).filter((s) =>
      actionsOf(s).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    expect(resourcesOf(invoke[0]!)).toEqual(
      expect.arrayContaining(NAMES.map((name) => ({ 'Fn::GetAtt': [functionId(name), 'Arn'] }))),
    );
    expect(resourcesOf(invoke[0]!)).toHaveLength(NAMES.length);
  });

  it('outputs the state machine ARN, the bus and the dead-letter queue for people and scripts', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'DeadLetterQueueUrl',
      'EventBusName',
      'StateMachineArn',
      'TableName',
    ]);
    expect(outputs.TableName?.Value).toEqual({ Ref: logicalIdOf(stack, stack.orchestrator.table) });
    expect(outputs.StateMachineArn?.Value).toEqual({
      Ref: logicalIdOf(stack, stack.orchestrator.stateMachine),
    });
  });

  it('keeps release state in an on-demand table with PITR, TTL and pk/sk keys, retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      },
    });
  });

  it('starts releases from "Release Requested" events and ECR pushes, with retries and a dead-letter queue', () => {
    const queueId = logicalIdOf(stack, stack.orchestrator.deadLetterQueue);
    const target = {
      Arn: { Ref: logicalIdOf(stack, stack.orchestrator.stateMachine) },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
    };
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('EventBus') },
      EventPattern: { source: ['stepshift'], 'detail-type': ['Release Requested'] },
      Targets: [Match.objectLike(target)],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': ['orders'] },
      },
      Targets: [Match.objectLike(target)],
    });
    // No Input or InputTransformer: the whole event is the execution's input. (The rules stepshift's own
    // alarms count matches of have no target.)
    const delivering = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (rule) => rule.Properties.Targets !== undefined,
    );
    expect(delivering.length).toBeGreaterThanOrEqual(3);
    for (const rule of delivering) {
      expect(rule.Properties.Targets[0]).not.toHaveProperty('Input');
      expect(rule.Properties.Targets[0]).not.toHaveProperty('InputTransformer');
    }
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('runs the guard on every ended execution of this state machine: stopped, timed out, failed, or promoted with its lock left', () => {
    const guardId = logicalIdOf(stack, stack.orchestrator.guardFunction);
    const guardMachineId = logicalIdOf(stack, stack.orchestrator.guardStateMachine);
    // The rule starts the guard's state machine (it used to invoke the guard function itself).
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED', 'ABORTED', 'TIMED_OUT', 'FAILED'],
          stateMachineArn: [{ Ref: logicalIdOf(stack, stack.orchestrator.stateMachine) }],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: guardMachineId },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
    // Its retries are the guard state machine's own (statemachines/guard.asl.json); what it cannot
    // finish goes to the dead-letter queue from there, so the function is no asynchronous target.
    expect(
      Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (r) => JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: guardId }),
      ),
    ).toEqual([]);
    const guardRole = stack.getLogicalId(stack.orchestrator.guardFunction.role!.node.defaultChild as never);
    const guardActions = statementsOfRole(template, guardRole).flatMap(actionsOf).sort();
    expect(guardActions).toEqual(
      expect.arrayContaining([
        'appmesh:DescribeRoute',
        'appmesh:UpdateRoute',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'events:PutEvents',
        'states:DescribeExecution',
      ]),
    );
    expect(guardActions.filter((a) => a.startsWith('cloudwatch:') || a === 'dynamodb:PutItem')).toEqual([]);
  });

  it('deploys statemachines/guard.asl.json: it invokes the guard function alone, keeps what it cannot finish in the dead-letter queue, and logs no execution data', () => {
    const guardMachineId = logicalIdOf(stack, stack.orchestrator.guardStateMachine);
    const machine = template.findResources('AWS::StepFunctions::StateMachine')[guardMachineId]!;
    expect(readFileSync(assetDir(machine.Properties.DefinitionS3Location.Key), 'utf8')).toBe(
      readFileSync(new URL('../../statemachines/guard.asl.json', import.meta.url), 'utf8'),
    );
    expect(machine.Properties.DefinitionSubstitutions).toEqual({
      GuardFunctionArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.orchestrator.guardFunction), 'Arn'] },
      DeadLetterQueueUrl: { Ref: logicalIdOf(stack, stack.orchestrator.deadLetterQueue) },
    });
    expect(machine.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
    });
    const roleId = stack.getLogicalId(
      stack.orchestrator.guardStateMachine.node.findChild('Role').node.defaultChild as never,
    );
    const statements = statementsOfRole(template, roleId);
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(stack, stack.orchestrator.guardFunction), 'Arn'] },
    ]);
    expect(statements.filter((s) => actionsOf(s).includes('sqs:SendMessage')).flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(stack, stack.orchestrator.deadLetterQueue), 'Arn'] },
    ]);
  });

  describe('IAM generated from the profile', () => {
    const granted = (name: FunctionName, action: string) =>
      statementsOfRole(template, roleId(name))
        .filter((s) => actionsOf(s).includes(action))
        .flatMap(resourcesOf);

    it('lets Prepare read the profiled route, find version nodes by the template prefix, and read alarms', () => {
      // The side routes too: Prepare refuses a blue/green or A/B release beside one left behind.
      expect(granted('Prepare', 'appmesh:DescribeRoute')).toEqual([ROUTE_ARN, ...SIDE_ARNS]);
      expect(granted('Prepare', 'appmesh:CreateRoute')).toEqual([]);
      expect(granted('Prepare', 'appmesh:DescribeVirtualNode')).toEqual([NODES_ARN]);
      expect(granted('Prepare', 'appmesh:UpdateRoute')).toEqual([]);
      expect(granted('Prepare', 'cloudwatch:DescribeAlarms')).toEqual(['*']);
    });

    it('lets Shift, Promote and Rollback read and write the profiled route only', () => {
      for (const name of ['Shift', 'Promote', 'Rollback'] as const) {
        // Shift also reads its side route back when CreateRoute answers that it exists.
        expect(granted(name, 'appmesh:DescribeRoute')).toEqual(
          name === 'Shift' ? [ROUTE_ARN, ...SIDE_ARNS] : [ROUTE_ARN],
        );
        expect(granted(name, 'appmesh:UpdateRoute')).toEqual([ROUTE_ARN, NODES_ARN]);
        expect(granted(name, 'cloudwatch:DescribeAlarms')).toEqual([]);
        expect(granted(name, 'cloudwatch:GetMetricData')).toEqual([]);
      }
    });

    it('lets Analyze read the route (to catch edits during a bake), alarms and their history, metric data, and write nothing', () => {
      expect(granted('Analyze', 'cloudwatch:DescribeAlarms')).toEqual(['*']);
      expect(granted('Analyze', 'cloudwatch:DescribeAlarmHistory')).toEqual(['*']);
      expect(granted('Analyze', 'cloudwatch:GetMetricData')).toEqual(['*']);
      expect(granted('Analyze', 'appmesh:DescribeRoute')).toEqual([ROUTE_ARN]);
      expect(granted('Analyze', 'appmesh:UpdateRoute')).toEqual([]);
    });

    it('gives Bake neither App Mesh nor CloudWatch, and Finish only the deletion of its side routes', () => {
      for (const name of ['Bake', 'Finish'] as const) {
        const actions = statementsOfRole(template, roleId(name)).flatMap(actionsOf);
        expect(actions.filter((a) => /^(appmesh|cloudwatch):/.test(a))).toEqual(
          name === 'Finish' ? ['appmesh:DeleteRoute'] : [],
        );
      }
      expect(granted('Finish', 'appmesh:DeleteRoute')).toEqual(SIDE_ARNS);
    });

    it('lets only Shift create side routes, and Finish, Rollback and the guard delete them, by exact name', () => {
      for (const name of NAMES) {
        expect(granted(name, 'appmesh:CreateRoute')).toEqual(
          name === 'Shift' ? [...SIDE_ARNS, NODES_ARN] : [],
        );
        expect(granted(name, 'appmesh:DeleteRoute')).toEqual(
          ['Finish', 'Rollback', 'Guard'].includes(name) ? SIDE_ARNS : [],
        );
      }
    });

    it('gives each function only the table actions its state performs', () => {
      const table = { 'Fn::GetAtt': [logicalIdOf(stack, stack.orchestrator.table), 'Arn'] };
      const tableActions = (name: FunctionName) =>
        statementsOfRole(template, roleId(name))
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('dynamodb:'))
          .sort();
      expect(tableActions('Prepare')).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ]);
      expect(granted('Prepare', 'dynamodb:PutItem')).toEqual([table]);
      // Every function that writes the route reads the lock before and after (its fence), and every state
      // after Prepare but Bake loads the profile its release runs with: GetItem; nothing more.
      expect(tableActions('Finish')).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
      expect(tableActions('Rollback')).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
      // Bake records its task token in the release's controls; Analyze reads them.
      expect(tableActions('Bake')).toEqual(['dynamodb:UpdateItem']);
      expect(tableActions('Analyze')).toEqual(['dynamodb:GetItem']);
      for (const name of ['Shift', 'Promote'] as const)
        expect(tableActions(name)).toEqual(['dynamodb:GetItem']);
    });

    it('lets every function put events on the bus; only Bake sends task responses, to this state machine', () => {
      const machine = { Ref: logicalIdOf(stack, stack.orchestrator.stateMachine) };
      for (const name of NAMES) {
        const statements = statementsOfRole(template, roleId(name));
        expect(granted(name, 'events:PutEvents')).toEqual([
          { 'Fn::GetAtt': [logicalIdOf(stack, stack.orchestrator.eventBus), 'Arn'] },
        ]);
        expect(
          statements
            .flatMap(actionsOf)
            .filter((a) => a.startsWith('states:'))
            .sort(),
        ).toEqual(
          name === 'Prepare'
            ? ['states:DescribeExecution']
            : name === 'Bake'
              ? ['states:SendTaskFailure', 'states:SendTaskSuccess']
              : [],
        );
      }
      expect(granted('Bake', 'states:SendTaskSuccess')).toEqual([machine]);
    });

    it("deploys the alarm function behind a rule on the profile's alarms going into ALARM", () => {
      const alarm = stack.orchestrator.alarmFunction!;
      const alarmId = logicalIdOf(stack, alarm);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { alarmName: ['orders-5xx', 'orders-health'], state: { value: ['ALARM'] } },
        },
        Targets: [
          Match.objectLike({ Arn: { 'Fn::GetAtt': [alarmId, 'Arn'] }, DeadLetterConfig: Match.anyValue() }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: alarmId },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 900,
      });
      const role = stack.getLogicalId(alarm.role!.node.defaultChild as never);
      const actions = statementsOfRole(template, role).flatMap(actionsOf);
      expect(actions.filter((a) => /^(appmesh|cloudwatch|dynamodb|states):/.test(a)).sort()).toEqual([
        'dynamodb:GetItem',
        'states:SendTaskFailure',
        'states:SendTaskSuccess',
      ]);
    });

    it('puts on Resource "*" only actions that cannot be scoped', () => {
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      const onStar = policies
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => resourcesOf(s).includes('*'));
      expect(onStar.length).toBeGreaterThan(0);
      for (const statement of onStar) {
        expect(actionsOf(statement).filter((a) => !STAR_ONLY.has(a))).toEqual([]);
      }
    });
  });

  it('leaves no cdk-nag finding unacknowledged, errors and warnings alike', () => {
    expect(reportedViolations(app)).toEqual([]);
  });
});
