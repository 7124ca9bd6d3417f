import { Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SignalingChannel } from '../src';

/**
 * A doorbell camera's stack: three signaling channels, a camera that connects as master and a phone app
 * that connects as viewer.
 */
export class DoorbellStack extends Stack {
  public readonly channels: SignalingChannel[];

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A generated name and a short TTL: doorbell offers are stale after 30 seconds.
    const doorbell = new SignalingChannel(this, 'Doorbell', { messageTtl: Duration.seconds(30) });
    // A name of our own, and tags.
    const garage = new SignalingChannel(this, 'Garage', {
      signalingChannelName: 'garage-camera',
      tags: { room: 'garage' },
    });
    const nursery = new SignalingChannel(this, 'Nursery', { messageTtl: Duration.minutes(2) });
    Tags.of(this).add('project', 'doorbell');

    const camera = new iam.Role(this, 'CameraRole', { assumedBy: new iam.AccountRootPrincipal() });
    doorbell.grantConnectAsMaster(camera);
    const phone = new iam.Role(this, 'PhoneRole', { assumedBy: new iam.AccountRootPrincipal() });
    doorbell.grantConnectAsViewer(phone);

    this.channels = [doorbell, garage, nursery];
  }
}
