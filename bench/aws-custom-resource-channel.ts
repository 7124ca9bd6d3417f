/**
 * A signaling channel declared with aws-cdk-lib's `AwsCustomResource`: what a user writes without this
 * library and without the native resource. Benchmark-only; never shipped.
 *
 * Create, update and delete are one SDK call each, as `AwsCustomResource` allows. Two limits follow from
 * that and are what the benchmark compares against, not something it works around:
 * - UpdateSignalingChannel requires `CurrentVersion`, which only DescribeSignalingChannel returns; an
 *   AwsCustomResource call cannot read it first, so the update call below omits it and the real service
 *   rejects it. Tag changes are not applied at all (no TagResource/UntagResource call).
 * - Nothing waits for the channel to leave CREATING/UPDATING/DELETING before answering CloudFormation.
 */
import { Stack } from 'aws-cdk-lib';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  PhysicalResourceId,
  PhysicalResourceIdReference,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface AwsCustomResourceChannelProps {
  readonly channelName: string;
  readonly messageTtlSeconds: number;
  readonly tags: Record<string, string>;
}

export class AwsCustomResourceChannel extends Construct {
  public readonly channelArn: string;

  constructor(scope: Construct, id: string, props: AwsCustomResourceChannelProps) {
    super(scope, id);
    const singleMasterConfiguration = { MessageTtlSeconds: props.messageTtlSeconds };
    // Least privilege, like the library's role: the channel's own ARN (it ends with a creation time).
    const channelArnPattern = Stack.of(this).formatArn({
      service: 'kinesisvideo',
      resource: 'channel',
      resourceName: `${props.channelName}/*`,
    });

    const resource = new AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::KinesisVideoSignalingChannel',
      onCreate: {
        service: 'KinesisVideo',
        action: 'CreateSignalingChannel',
        parameters: {
          ChannelName: props.channelName,
          ChannelType: 'SINGLE_MASTER',
          SingleMasterConfiguration: singleMasterConfiguration,
          Tags: Object.entries(props.tags).map(([Key, Value]) => ({ Key, Value })),
        },
        physicalResourceId: PhysicalResourceId.fromResponse('ChannelARN'),
      },
      onUpdate: {
        service: 'KinesisVideo',
        action: 'UpdateSignalingChannel',
        parameters: {
          ChannelARN: new PhysicalResourceIdReference(),
          SingleMasterConfiguration: singleMasterConfiguration,
        },
      },
      onDelete: {
        service: 'KinesisVideo',
        action: 'DeleteSignalingChannel',
        parameters: { ChannelARN: new PhysicalResourceIdReference() },
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [channelArnPattern] }),
      // What the construct's own warning asks for, and what `cdk init` projects get from their feature flags.
      installLatestAwsSdk: false,
    });
    this.channelArn = resource.getResponseField('ChannelARN');
  }
}
