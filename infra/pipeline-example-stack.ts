import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface PipelineExampleStackProps extends StackProps {
  /**
   * The name of the release state machine the Release stage runs (ReleaseOrchestratorProps
   * .stateMachineName), in this stack's account and region. The pipeline imports it by name instead of
   * referencing the orchestrator's stack, so neither stack pins the other's outputs.
   */
  readonly stateMachineName: string;

  /**
   * How the Release stage hands the request to the state machine:
   * - 'literal': `{ service, version, releaseId }` written in the action, the version being the ECR
   *   source action's ImageTag variable;
   * - 'file': release.json from the source artifact of an S3 source action (a zip that a build step or
   *   a person uploads as release.zip).
   * @default 'literal'
   */
  readonly input?: 'literal' | 'file';

  /**
   * The service the literal input releases.
   * @default 'orders'
   */
  readonly service?: string;

  /**
   * The repository the ECR source action watches ('literal' input only).
   * @default - a new repository
   */
  readonly repository?: ecr.IRepository;

  /**
   * The tag the ECR source action watches ('literal' input only). Its ImageTag variable, so the
   * version the literal input releases, is this tag.
   * @default 'latest'
   */
  readonly imageTag?: string;
}

/** Where the 'file' input's release.json comes from: this object of the source bucket, a zip. */
export const RELEASE_ARCHIVE_KEY = 'release.zip';

/** Every execution this pipeline starts is named `<prefix>-<actionExecutionId>`. */
export const EXECUTION_NAME_PREFIX = 'pipeline';

const ARTIFACTS_REASON =
  "CodePipeline hands artifacts between stages through the pipeline's own artifact bucket. CDK's bucket grants use the S3 action families (s3:GetObject*, s3:GetBucket*, s3:List* to read; s3:DeleteObject*, s3:Abort* to write) and the bucket's objects, whose keys CodePipeline generates per execution; every grant is scoped to that one bucket.";

/**
 * An example of a team's delivery pipeline (CodePipeline V2) whose Release stage is stepshift: the
 * native Step Functions invoke action starts a release and waits for it. A release that rolls back
 * ends its execution FAILED, so the stage fails.
 */
export class PipelineExampleStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;

  constructor(scope: Construct, id: string, props: PipelineExampleStackProps) {
    super(scope, id, props);
    const mode = props.input ?? 'literal';

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket receives the other buckets' server access logs; logging it into itself would log its own log deliveries without end.",
    });
    const bucket = (name: string, versioned: boolean) =>
      new s3.Bucket(this, name, {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${name}/`,
        versioned,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const artifacts = bucket('Artifacts', false);
    const artifactObjects = `Resource::<${this.getLogicalId(artifacts.node.defaultChild as s3.CfnBucket)}.Arn>/*`;

    // Roles made here rather than by CDK, so that each acknowledgement below sits on the one role it is
    // about. Action roles trust the account, as the roles CDK makes for actions do.
    const pipelineRole = new iam.Role(this, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
    });
    const sourceRole = new iam.Role(this, 'SourceActionRole', { assumedBy: new iam.AccountRootPrincipal() });
    const releaseRole = new iam.Role(this, 'ReleaseActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
    });

    const source = new codepipeline.Artifact('Source');
    let sourceAction: codepipeline.IAction;
    let input: actions.StateMachineInput;
    if (mode === 'literal') {
      const ecrSource = new actions.EcrSourceAction({
        actionName: 'Image',
        repository: props.repository ?? new ecr.Repository(this, 'Repository', { imageScanOnPush: true }),
        imageTag: props.imageTag ?? 'latest',
        output: source,
        role: sourceRole,
        variablesNamespace: 'SourceVariables',
      });
      sourceAction = ecrSource;
      input = actions.StateMachineInput.literal({
        service: props.service ?? 'orders',
        version: ecrSource.variables.imageTag,
        releaseId: '#{codepipeline.PipelineExecutionId}',
      });
    } else {
      sourceAction = new actions.S3SourceAction({
        actionName: 'ReleaseFile',
        bucket: bucket('ReleaseFiles', true),
        bucketKey: RELEASE_ARCHIVE_KEY,
        // Started by hand after an upload, so the example needs no CloudTrail trail for S3 events.
        trigger: actions.S3Trigger.NONE,
        output: source,
        role: sourceRole,
      });
      input = actions.StateMachineInput.filePath(source.atPath('release.json'));
    }

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: artifacts,
      role: pipelineRole,
      stages: [
        { stageName: 'Source', actions: [sourceAction] },
        {
          stageName: 'Release',
          actions: [
            new actions.StepFunctionInvokeAction({
              actionName: 'Release',
              stateMachine: sfn.StateMachine.fromStateMachineName(this, 'Releases', props.stateMachineName),
              stateMachineInput: input,
              executionNamePrefix: EXECUTION_NAME_PREFIX,
              role: releaseRole,
            }),
          ],
        },
      ],
    });

    const read = ['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*'];
    const write = ['Action::s3:Abort*', 'Action::s3:DeleteObject*'];
    acknowledge(pipelineRole, [...read, ...write, artifactObjects], ARTIFACTS_REASON);
    acknowledge(sourceRole, [...write, artifactObjects], ARTIFACTS_REASON);
    if (mode === 'file') {
      acknowledge(
        sourceRole,
        read,
        `The S3 source action reads ${RELEASE_ARCHIVE_KEY} from the release-file bucket; CDK's bucket read grant uses the S3 read action families, scoped to that one object and its bucket.`,
      );
      acknowledge(
        releaseRole,
        [...read, artifactObjects],
        `The Release action reads release.json from the source artifact. ${ARTIFACTS_REASON}`,
      );
    }
    acknowledge(
      releaseRole,
      [
        `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${props.stateMachineName}:${EXECUTION_NAME_PREFIX}*`,
      ],
      `The Step Functions invoke action follows the execution it starts (states:DescribeExecution). Execution names are "${EXECUTION_NAME_PREFIX}-<actionExecutionId>", unknown until the action runs, so the grant is every execution of this state machine whose name has that prefix.`,
    );
  }
}

/** One acknowledgement per finding, on the role whose policy has it. */
function acknowledge(role: iam.Role, findings: readonly string[], reason: string): void {
  for (const finding of findings) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}
