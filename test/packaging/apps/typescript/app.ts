import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CameraFleet, SignalingChannel, Stream, chime } from 'cdk-kvs-signaling-channel';

const app = new App({ analyticsReporting: false });
const stack = new Stack(app, 'PolyglotStack', { env: { account: '111111111111', region: 'us-east-1' } });
// cdk synth -c doorbellTtlSeconds=200 shows the library's refusal.
let ttlSeconds = 30;
const ttlContext = app.node.tryGetContext('doorbellTtlSeconds');
if (ttlContext !== undefined) {
  ttlSeconds = Number(ttlContext);
}

const recordings = new Stream(stack, 'Recordings', { dataRetention: Duration.days(7) });
const doorbell = new SignalingChannel(stack, 'Doorbell', {
  signalingChannelName: 'doorbell',
  messageTtl: Duration.seconds(ttlSeconds),
  tags: { room: 'hall' },
  removalPolicy: RemovalPolicy.RETAIN,
  mediaStorage: { stream: recordings },
});
const garage = new SignalingChannel(stack, 'Garage', { messageTtl: Duration.seconds(45) });

const phone = new iam.Role(stack, 'Phone', { assumedBy: new iam.AccountRootPrincipal() });
doorbell.grantConnectAsViewer(phone);
garage.grantConnectAsViewer(phone);
recordings.grantRead(phone);

const fleet = new CameraFleet(stack, 'Cameras', { roleAliasName: 'cameras', credentialDuration: Duration.hours(1) });
fleet.addCamera('porch', { record: true, retention: Duration.days(7) });
fleet.grantViewer(phone);

const appInstance = new chime.AppInstance(stack, 'Chat', { appInstanceName: 'chat' });
const backend = new chime.AppInstanceUser(stack, 'Backend', { appInstance, appInstanceUserId: 'backend-worker' });
const lobby = new chime.Channel(stack, 'Lobby', {
  appInstance,
  bearer: backend,
  channelName: 'Lobby',
  mode: chime.ChannelMode.RESTRICTED,
  privacy: chime.ChannelPrivacy.PRIVATE,
});
const service = new iam.Role(stack, 'ChatService', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
lobby.grantSendMessages(service, backend);

app.synth();
