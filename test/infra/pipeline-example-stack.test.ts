import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXECUTION_NAME_PREFIX,
  PipelineExampleStack,
  RELEASE_ARCHIVE_KEY,
} from '#infra/pipeline-example-stack.ts';
import {
  actionsOf,
  attachNag,
  projectApp,
  reportedViolations,
  resourcesOf,
  statementsOfRole,
} from './support.ts';

const releaseAction = (input: Record<string, unknown>) =>
  Match.objectLike({
    Name: 'Release',
    Actions: [
      Match.objectLike({
        ActionTypeId: { Category: 'Invoke', Owner: 'AWS', Provider: 'StepFunctions', Version: '1' },
        Configuration: Match.objectLike({
          StateMachineArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          ExecutionNamePrefix: EXECUTION_NAME_PREFIX,
          ...input,
        }),
      }),
    ],
  });

describe('the example pipeline stack, with either input, cdk-nag attached', () => {
  let app: App;
  let literal: PipelineExampleStack;
  let file: PipelineExampleStack;

  beforeAll(() => {
    app = projectApp();
    literal = new PipelineExampleStack(app, 'Literal', { stateMachineName: 'stepshift-releases' });
    file = new PipelineExampleStack(app, 'File', { stateMachineName: 'stepshift-releases', input: 'file' });
    attachNag(app);
    app.synth();
  }, 60_000);

  it('is a V2 pipeline whose Release stage starts the state machine with a literal request', () => {
    const template = Template.fromStack(literal);
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      Stages: [
        Match.objectLike({
          Name: 'Source',
          Actions: [
            Match.objectLike({
              ActionTypeId: Match.objectLike({ Category: 'Source', Provider: 'ECR' }),
              Namespace: 'SourceVariables',
            }),
          ],
        }),
        releaseAction({ InputType: 'Literal' }),
      ],
    });
    const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]!;
    const release = pipeline.Properties.Stages[1].Actions[0];
    expect(JSON.parse(release.Configuration.Input)).toEqual({
      service: 'orders',
      version: '#{SourceVariables.ImageTag}',
      releaseId: '#{codepipeline.PipelineExecutionId}',
    });
    expect(JSON.stringify(release.Configuration.StateMachineArn)).toContain(
      ':stateMachine:stepshift-releases',
    );
  });

  it('can hand over release.json from an S3 source artifact instead', () => {
    const template = Template.fromStack(file);
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      Stages: [
        Match.objectLike({
          Name: 'Source',
          Actions: [
            Match.objectLike({
              ActionTypeId: Match.objectLike({ Category: 'Source', Provider: 'S3' }),
              Configuration: Match.objectLike({ S3ObjectKey: RELEASE_ARCHIVE_KEY }),
            }),
          ],
        }),
        releaseAction({ InputType: 'FilePath', Input: Match.stringLikeRegexp('release\\.json$') }),
      ],
    });
    const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]!;
    expect(pipeline.Properties.Stages[1].Actions[0].InputArtifacts).toEqual([{ Name: 'Source' }]);
  });

  it("lets the Release action start and follow only this prefix's executions of that state machine", () => {
    for (const stack of [literal, file]) {
      const template = Template.fromStack(stack);
      const role = stack.getLogicalId(stack.node.findChild('ReleaseActionRole').node.defaultChild as never);
      const statements = statementsOfRole(template, role);
      const resourcesFor = (action: string) =>
        JSON.stringify(statements.filter((s) => actionsOf(s).includes(action)).flatMap(resourcesOf));
      expect(resourcesFor('states:StartExecution')).toContain(':stateMachine:stepshift-releases');
      expect(resourcesFor('states:DescribeExecution')).toContain(
        `:execution:stepshift-releases:${EXECUTION_NAME_PREFIX}*`,
      );
    }
  });

  it('keeps its artifacts in an encrypted, SSL-only, access-logged bucket', () => {
    for (const stack of [literal, file]) {
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: Match.objectLike({}),
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'Artifacts/' }),
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
      });
    }
  });

  it('leaves no cdk-nag finding unacknowledged, errors and warnings alike', () => {
    expect(reportedViolations(app)).toEqual([]);
  });
});
