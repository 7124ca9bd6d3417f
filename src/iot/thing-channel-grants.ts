import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { arnOfName } from '../core/resource-arn';
import { ArnFamily } from '../core/resource-family';
import { CONNECT_AS_MASTER_ACTIONS, CONNECT_AS_VIEWER_ACTIONS, STORAGE_MASTER_ACTIONS } from '../signaling-channel/channel-actions';
import { SIGNALING_CHANNEL } from '../signaling-channel/signaling-channel-family';
import { STREAM_WRITE_ACTIONS } from '../stream/stream-actions';
import { STREAM } from '../stream/stream-family';

/**
 * The IAM policy variable the AWS IoT credentials provider sets to the name of the thing whose certificate
 * signed in. It must reach the policy verbatim: IAM, not CloudFormation, substitutes it per request.
 */
export const IOT_THING_NAME_VARIABLE = '${credentials-iot:ThingName}';

/**
 * Options of the grants that let each IoT thing connect to the signaling channel named after it.
 */
export interface ThingChannelGrantOptions {
  /**
   * The region of the channels. IAM is global: a role defined in one region can reach channels in another.
   * The account is always the grantee's, since signaling channels have no resource policies.
   *
   * @default - the region of the grantee's stack
   */
  readonly region?: string;

  /**
   * Each thing's channel records into the Kinesis video stream named after the thing (WebRTC ingestion):
   * grant what recording needs too, JoinStorageSession and DescribeMediaStorageConfiguration on the channel
   * (master only) and DescribeStream, GetDataEndpoint and PutMedia on `stream/${credentials-iot:ThingName}/*`
   * (master and viewer, as the service's ingestion guide asks).
   *
   * @default false
   */
  readonly recordsIntoThingStream?: boolean;
}

/**
 * Grants for camera fleets that sign in with the AWS IoT credentials provider: each thing connects to the
 * signaling channel named after it (and records into the stream named after it), and to no other.
 *
 * Grant the role its role alias points to. IAM replaces `${credentials-iot:ThingName}` with the name of the
 * thing whose certificate signed in, so one statement serves every camera of the fleet.
 */
export class ThingChannelGrants {
  /**
   * Grant each AWS IoT thing the right to connect as master to the signaling channel named after it, and to no
   * other: the actions of `SignalingChannel.grantConnectAsMaster`, on `channel/${credentials-iot:ThingName}/*`.
   */
  public static grantConnectAsMaster(grantee: iam.IGrantable, options: ThingChannelGrantOptions = {}): iam.Grant {
    const storage = options.recordsIntoThingStream ? STORAGE_MASTER_ACTIONS : [];
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...CONNECT_AS_MASTER_ACTIONS, ...storage],
      resourceArns: [thingResourceArn(grantee, options, SIGNALING_CHANNEL)],
    });
    return ThingChannelGrants.withThingStream(grant, grantee, options);
  }

  /**
   * Grant each AWS IoT thing the right to connect as viewer to the signaling channel named after it, and to no
   * other: the actions of `SignalingChannel.grantConnectAsViewer`, on `channel/${credentials-iot:ThingName}/*`.
   */
  public static grantConnectAsViewer(grantee: iam.IGrantable, options: ThingChannelGrantOptions = {}): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: CONNECT_AS_VIEWER_ACTIONS,
      resourceArns: [thingResourceArn(grantee, options, SIGNALING_CHANNEL)],
    });
    return ThingChannelGrants.withThingStream(grant, grantee, options);
  }

  /** What a thing's recording needs on the stream named after it: a producer's rights (PutMedia). */
  private static withThingStream(grant: iam.Grant, grantee: iam.IGrantable, options: ThingChannelGrantOptions): iam.Grant {
    if (!options.recordsIntoThingStream) return grant;
    return grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: STREAM_WRITE_ACTIONS,
      resourceArns: [thingResourceArn(grantee, options, STREAM)],
    }));
  }

  private constructor() {}
}

/**
 * `arn:<partition>:kinesisvideo:<region>:<account>:<channel|stream>/${credentials-iot:ThingName}/*`: every channel
 * (or stream) named after the calling thing, whatever its creation time. Partition and account are those of the
 * grantee's stack (the grantee, or its principal, is a construct), or pseudo parameters of the stack the policy
 * lands in.
 */
function thingResourceArn(grantee: iam.IGrantable, options: ThingChannelGrantOptions, family: ArnFamily): string {
  const scope = [grantee, grantee.grantPrincipal].find(candidate => Construct.isConstruct(candidate)) as Construct | undefined;
  return arnOfName(scope, family, IOT_THING_NAME_VARIABLE, options.region);
}
