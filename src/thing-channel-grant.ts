import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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
 * `arn:<partition>:kinesisvideo:<region>:<account>:channel/${credentials-iot:ThingName}/*`: every channel named
 * after the calling thing, whatever its creation time. Partition and account are those of the grantee's stack
 * (the grantee, or its principal, is a construct), or pseudo parameters of the stack the policy lands in.
 */
export function thingChannelArn(grantee: iam.IGrantable, options: ThingChannelGrantOptions): string {
  return thingResourceArn(grantee, options, 'channel');
}

/** `arn:<partition>:kinesisvideo:<region>:<account>:stream/${credentials-iot:ThingName}/*`, likewise. */
export function thingStreamArn(grantee: iam.IGrantable, options: ThingChannelGrantOptions): string {
  return thingResourceArn(grantee, options, 'stream');
}

function thingResourceArn(grantee: iam.IGrantable, options: ThingChannelGrantOptions, resource: 'channel' | 'stream'): string {
  const resourceName = `${IOT_THING_NAME_VARIABLE}/*`;
  const scope = [grantee, grantee.grantPrincipal].find(candidate => Construct.isConstruct(candidate));
  if (scope) {
    return Stack.of(scope as Construct).formatArn({
      service: 'kinesisvideo',
      resource,
      resourceName,
      region: options.region,
    });
  }
  return `arn:${Aws.PARTITION}:kinesisvideo:${options.region ?? Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}/${resourceName}`;
}
