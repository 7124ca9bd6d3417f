import { CfnResource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * cdk-nag's finding ids for the wildcard channel ARNs of the role's policy: `Resource::<ARN>`, with pseudo
 * parameters rendered as `<AWS::Region>` where the stack's environment is not known at synth time.
 */
const CHANNEL_ARN_FINDING_PREFIX =
  'Resource::arn:(<AWS::Partition>|[a-z-]+):kinesisvideo:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):channel\\/';
/** `channel/<stack name>.*` (generated names) and `channel/<explicit name>/*`. */
const CHANNEL_WILDCARD_FINDING = `/^${CHANNEL_ARN_FINDING_PREFIX}(<AWS::StackName>\\.|[a-zA-Z0-9_.-]+\\/)\\*$/`;
/** `channel/*`: every channel of the account and region. */
const ALL_CHANNELS_FINDING = `/^${CHANNEL_ARN_FINDING_PREFIX}\\*$/`;
/** `stream/*`: every stream of the account and region. */
const ALL_STREAMS_FINDING =
  '/^Resource::arn:(<AWS::Partition>|[a-z-]+):kinesisvideo:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):stream\\/\\*$/';

interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: Array<{ regex: string }>;
}

/**
 * The cdk-nag suppressions of the provider's resources, each scoped to the findings it answers and with the
 * reason it is right. Written as `cdk_nag` metadata, so that users of cdk-nag see them and nobody else pays
 * for a dependency.
 */
export class ProviderNagSuppressions {
  /**
   * cdk-nag's AwsSolutions-L1 wants the newest runtime in `Runtime.ALL`, which can list a runtime before the
   * region facts do (aws-cdk-lib 2.245 lists nodejs24.x, its facts say nodejs22.x): suppress it only then,
   * naming both, so a runtime that really lags is still reported.
   */
  public static suppressRuntimeAheadOfRegionFacts(handler: lambda.Function, runtime: lambda.Runtime): void {
    const newestListed = newestNodeRuntimeName();
    if (Token.isUnresolved(runtime.name) || runtime.name === newestListed) return;
    (handler.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-L1',
        reason: `${runtime.name} is the newest Node.js runtime aws-cdk-lib's region facts list for every region; ` +
          `${newestListed} is known to aws-cdk-lib but not yet listed as available everywhere.`,
      }],
    });
  }

  private readonly roleSuppressions: NagSuppression[] = [
    {
      id: 'AwsSolutions-IAM5',
      // A channel ARN ends with its creation time, known only after it exists: `channel/<name>/*` is the
      // narrowest resource IAM can name. Generated names all start with the stack name.
      reason: 'Channel ARNs end with a creation time unknown before create; generated names start with the stack name.',
      applies_to: [{ regex: CHANNEL_WILDCARD_FINDING }],
    },
    {
      id: 'AwsSolutions-IAM5',
      // channel/* appears in two places: conditioned on this stack's tag (the channels earlier versions of
      // the stack created, whatever their names), and, past the policy's size budget, for explicit names
      // whose list would break IAM's inline policy size limit (the stack would fail to deploy).
      reason: 'Channels tagged with this stack\'s id (any name an earlier version gave them); and, only when there are too many explicit channel names to list within IAM\'s policy size limit, all channels of this account and region.',
      applies_to: [{ regex: ALL_CHANNELS_FINDING }],
    },
  ];
  private streamsSuppressed = false;

  constructor(role: iam.CfnRole) {
    role.addMetadata('cdk_nag', { rules_to_suppress: this.roleSuppressions });
  }

  /** Only stacks whose channels record, or whose streams have images or notifications, carry the suppression for `stream/*`. */
  public suppressAllStreams(): void {
    if (this.streamsSuppressed) return;
    this.streamsSuppressed = true;
    this.roleSuppressions.push({
      id: 'AwsSolutions-IAM5',
      // As for channel/*, for the streams the channels record into (the only action on them reads which
      // channel a stream records) and the streams with images or notifications (only their two Update calls).
      reason: 'Too many streams to list within IAM\'s policy size limit: DescribeMappedResourceConfiguration (streams recorded into) ' +
        'and UpdateImageGenerationConfiguration, UpdateNotificationConfiguration (streams with images or notifications) on all ' +
        'streams of this account and region.',
      applies_to: [{ regex: ALL_STREAMS_FINDING }],
    });
  }
}


/** The newest `nodejsNN.x` runtime aws-cdk-lib lists. */
function newestNodeRuntimeName(): string {
  const versions = lambda.Runtime.ALL
    .map(runtime => /^nodejs(\d+)\.x$/.exec(runtime.name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(match => Number(match[1]));
  return `nodejs${Math.max(...versions)}.x`;
}
