/**
 * The example app: a doorbell camera's stack with three signaling channels, synthesized without AWS
 * credentials. Run it with `npx projen example`.
 */
import * as path from 'path';
import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SignalingChannel } from '../src';

const outdir = path.join(__dirname, 'cdk.out');
const app = new App({ outdir });
const stack = new Stack(app, 'DoorbellStack', { env: { account: '111111111111', region: 'us-east-1' } });

// A generated name, the service's default TTL.
const doorbell = new SignalingChannel(stack, 'Doorbell', { messageTtl: Duration.seconds(30) });
// An explicit name and tags.
new SignalingChannel(stack, 'Garage', {
  channelName: 'garage-camera',
  tags: { room: 'garage' },
});
new SignalingChannel(stack, 'Nursery', { messageTtl: Duration.minutes(2) });
Tags.of(stack).add('project', 'doorbell');

// The camera connects as master, the phone app as viewer.
const camera = new iam.Role(stack, 'CameraRole', { assumedBy: new iam.AccountRootPrincipal() });
doorbell.grantConnectAsMaster(camera);
const viewer = new iam.Role(stack, 'ViewerRole', { assumedBy: new iam.AccountRootPrincipal() });
doorbell.grantConnectAsViewer(viewer);

const assembly = app.synth();
const template = path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile));
const resources = Object.values(assembly.getStackByName(stack.stackName).template.Resources) as Array<{ Type: string }>;
const count = (type: string) => resources.filter(r => r.Type === type).length;
console.log(`Synthesized ${stack.stackName}: ${count('Custom::KinesisVideoSignalingChannel')} signaling channels, ` +
  `${count('AWS::Lambda::Function')} Lambda function serving them.`);
console.log(`Template: ${template}`);
