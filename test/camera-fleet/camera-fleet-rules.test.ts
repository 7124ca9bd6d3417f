import { App, CfnResource, Duration, RemovalPolicies, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CameraFleet, CameraOptions } from '../../src';

const CERTIFICATE = `arn:aws:iot:eu-west-1:123456789012:cert/${'ab'.repeat(32)}`;

function newFleet(props = {}, app = new App()) {
  const stack = new Stack(app, 'FleetStack');
  return { stack, fleet: new CameraFleet(stack, 'Cameras', props) };
}

describe('camera names: valid as a thing name and as a channel name', () => {
  test.each([
    ['front.door', "'.' is allowed in channel names but not in thing names"],
    ['front:door', "':' is allowed in thing names but not in channel names"],
    ['', "got ''"],
    ['x'.repeat(129), '129 characters'],
    ['front door', "got 'front door'"],
  ])('%j is refused with the construct path, the field, the value and what is allowed', (name, detail) => {
    const { fleet } = newFleet();
    expect(() => fleet.addCamera(name)).toThrow(/^FleetStack\/Cameras: invalid camera fleet properties:\n {2}cameraName must be 1-128 characters of a-z, A-Z, 0-9, '_' and '-'/);
    expect(() => fleet.addCamera(name)).toThrow(detail);
  });

  test('128 characters of letters, digits, _ and - are accepted', () => {
    expect(() => newFleet().fleet.addCamera('a_B-9'.padEnd(128, 'x'))).not.toThrow();
  });

  test('a name that is not a string (JavaScript) is refused', () => {
    expect(() => newFleet().fleet.addCamera(42 as unknown as string)).toThrow('cameraName must be a string (got the number 42)');
  });
});

describe('duplicate cameras', () => {
  test('a second camera of the same name in the fleet names the first', () => {
    const { fleet } = newFleet();
    fleet.addCamera('garage');
    expect(() => fleet.addCamera('garage')).toThrow("FleetStack/Cameras: camera 'garage' is already in this fleet (FleetStack/Cameras/garage)");
  });

  test('the same name in two fleets of one stack is refused before any channel is declared', () => {
    const { stack, fleet } = newFleet();
    fleet.addCamera('garage');
    const other = new CameraFleet(stack, 'Others');
    expect(() => other.addCamera('garage')).toThrow(
      "FleetStack/Others/garage: cameraName 'garage' is already the name of FleetStack/Cameras/garage in this stack; " +
      "a camera's name is unique in its account and region: choose another");
    // Refused before the channel: the stack holds one channel named garage, the first camera's.
    const channels = stack.node.findAll().filter(c => CfnResource.isCfnResource(c) && c.cfnResourceType === 'Custom::KinesisVideoSignalingChannel');
    expect(channels.map(channel => channel.node.path)).toEqual(['FleetStack/Cameras/garage/Channel/Resource']);
  });

  test('a certificate of another region or account than the stack is refused; one of the stack\'s is accepted', () => {
    const stack = new Stack(new App(), 'FleetStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const fleet = new CameraFleet(stack, 'Cameras');
    expect(() => fleet.addCamera('garage', { certificateArn: CERTIFICATE })).toThrow(
      "certificateArn is a certificate of account 123456789012, region eu-west-1, not of the stack's (account 123456789012, " +
      'region us-east-1): a thing is attached to a certificate of its own account and region');
    expect(() => fleet.addCamera('porch', { certificateArn: CERTIFICATE.replace('eu-west-1', 'us-east-1') })).not.toThrow();
  });

  test('one certificate for two cameras is refused (it is attached exclusively)', () => {
    const { fleet } = newFleet();
    fleet.addCamera('garage', { certificateArn: CERTIFICATE });
    expect(() => fleet.addCamera('porch', { certificateArn: CERTIFICATE })).toThrow(/is already the certificate of FleetStack\/Cameras\/garage/);
  });
});

describe('credential duration', () => {
  test.each([
    [Duration.seconds(899), '899 seconds'],
    [Duration.seconds(43_201), '43201 seconds'],
    [Duration.millis(900_500), '900.5 seconds'],
  ])('%s is refused', (credentialDuration, got) => {
    expect(() => newFleet({ credentialDuration })).toThrow(
      `FleetStack/Cameras: invalid camera fleet properties:\n  credentialDuration must be 900-43,200 whole seconds, 15 minutes to 12 hours (got ${got})`);
  });

  test.each([Duration.seconds(900), Duration.hours(12)])('%s is accepted', credentialDuration => {
    expect(() => newFleet({ credentialDuration })).not.toThrow();
  });

  test('a number instead of a Duration is refused', () => {
    expect(() => newFleet({ credentialDuration: 3600 })).toThrow('credentialDuration must be a Duration, such as Duration.hours(1) (got the number 3600)');
  });
});

describe('role alias and policy names', () => {
  test.each(['cameras/front', 'a'.repeat(129), '', 'cam.eras'])('role alias %j is refused', roleAliasName => {
    expect(() => newFleet({ roleAliasName })).toThrow(/roleAliasName must be 1-128 characters of a-z, A-Z, 0-9, '_', '=', ',', '@' and '-'/);
  });

  test('a role alias name of the library\'s characters is accepted', () => {
    expect(() => newFleet({ roleAliasName: 'cameras_2=a,b@c-d' })).not.toThrow();
  });

  test('the same role alias name twice in a stack is refused', () => {
    const { stack } = newFleet({ roleAliasName: 'cameras' });
    expect(() => new CameraFleet(stack, 'Again', { roleAliasName: 'cameras' })).toThrow("roleAliasName 'cameras' is already the name of FleetStack/Cameras");
  });

  test('the same IoT policy name twice in a stack is refused, and leaving it out is suggested', () => {
    const { stack } = newFleet({ policyName: 'camera-certificates' });
    expect(() => new CameraFleet(stack, 'Again', { policyName: 'camera-certificates' })).toThrow(
      "FleetStack/Again: policyName 'camera-certificates' is already the name of FleetStack/Cameras in this stack; " +
      "a camera fleet's IoT policy's name is unique in its account and region: choose another name, or leave policyName out to have one generated");
  });

  test('a policy name with a slash is refused', () => {
    expect(() => newFleet({ policyName: 'camera/certs' })).toThrow(/policyName must be 1-128 characters/);
  });

  test('an imported fleet checks its role alias name', () => {
    const stack = new Stack(new App(), 'Other');
    expect(() => CameraFleet.fromRoleAliasName(stack, 'Fleet', 'no/slash')).toThrow(/Other\/Fleet: invalid camera fleet properties:\n {2}roleAliasName must be/);
  });
});

describe('camera options', () => {
  const refused = (options: CameraOptions, message: string | RegExp) =>
    expect(() => newFleet().fleet.addCamera('garage', options)).toThrow(message);

  test('more than 3 attributes (no thing type in CloudFormation)', () => {
    refused({ attributes: { a: '1', b: '2', c: '3', d: '4' } }, /attributes has 4 entries; a thing without a thing type has at most 3/);
  });

  test('an attribute name or value outside the allowed characters', () => {
    refused({ attributes: { 'bad key': 'x' } }, "attributes key 'bad key' must be 1-128 characters");
    refused({ attributes: { room: 'living room' } }, "attributes['room'] is 'living room'; values must be 0-800 characters");
  });

  test('a certificate ARN that is not one', () => {
    refused({ certificateArn: 'arn:aws:iot:eu-west-1:123456789012:cert/abc' },
      /^FleetStack\/Cameras\/garage: invalid camera properties:\n {2}certificateArn must be an IoT certificate ARN/);
  });

  test('retention without record', () => {
    refused({ retention: Duration.days(2) }, 'retention 2 days is given but record is not true');
  });

  test('a stream removal policy without record', () => {
    refused({ streamRemovalPolicy: RemovalPolicy.DESTROY }, 'streamRemovalPolicy destroy is given but record is not true');
  });

  test('a retention of 0 hours (a recording channel needs a stream that keeps data)', () => {
    refused({ record: true, retention: Duration.hours(0) },
      /^FleetStack\/Cameras\/garage: invalid camera properties:\n {2}retention must be at least 1 hour: a camera records only into a stream that keeps data/);
  });

  test('a retention in part of an hour is reported as the camera\'s retention, not the stream\'s dataRetention', () => {
    refused({ record: true, retention: Duration.minutes(30) },
      /^FleetStack\/Cameras\/garage: invalid camera properties:\n {2}retention must be a whole number of hours from 0 \(keep no data\) to 87600 \(got 0.5\)/);
  });

  test('SNAPSHOT for the stream is refused as the camera\'s option; by RemovalPolicies.of, on the fleet\'s and cameras\' resources', () => {
    refused({ record: true, streamRemovalPolicy: RemovalPolicy.SNAPSHOT },
      "streamRemovalPolicy SNAPSHOT is not supported: a camera's stream has no snapshot (use RETAIN or DESTROY)");
    const { stack, fleet } = newFleet();
    fleet.addCamera('garage', { certificateArn: CERTIFICATE });
    RemovalPolicies.of(stack).snapshot();
    expect(() => App.of(stack)!.synth()).toThrow(/\[FleetStack\/Cameras\] removalPolicy SNAPSHOT is not supported: a camera fleet has no snapshot[^]*\[FleetStack\/Cameras\/garage\] removalPolicy SNAPSHOT is not supported: a camera has no snapshot/);
  });

  test('record that is not a boolean (JavaScript)', () => {
    refused({ record: 'yes' as unknown as boolean }, 'record must be a boolean');
  });

  test('an imported fleet without recordingAllowed refuses a recording camera; without policyName, a certificate', () => {
    const stack = new Stack(new App(), 'Other');
    const fleet = CameraFleet.fromRoleAliasName(stack, 'Fleet', 'cameras');
    expect(() => fleet.addCamera('shed', { record: true })).toThrow('record is true but the fleet was imported without recordingAllowed');
    expect(() => fleet.addCamera('barn', { certificateArn: CERTIFICATE })).toThrow('certificateArn is given but the fleet was imported without its policyName');
  });
});

describe('the stack\'s 500 resources', () => {
  test('246 live cameras without certificates fit a stack the CLI synthesizes (with CDKMetadata); the 247th is refused', () => {
    // The fleet's 3 (role, role alias, IoT policy), the channel provider's 3 (function, role, log group),
    // CDKMetadata: 7 + 2 per camera <= 500.
    const app = new App({ analyticsReporting: true });
    const { fleet } = newFleet({}, app);
    for (let index = 0; index < 246; index++) fleet.addCamera(`camera-${index}`);
    expect(() => fleet.addCamera('camera-246')).toThrow(
      "FleetStack/Cameras/camera-246: camera 'camera-246' brings stack FleetStack to 501 resources, more than the 500 CloudFormation allows " +
      'in one stack (this camera adds 2: a thing and a channel, a stream when it records and its configuration when the stream has images or ' +
      'notifications, two certificate attachments when it has a certificate). ' +
      'Add further cameras in another stack, through CameraFleet.fromCameraFleetAttributes, or register devices with AWS IoT fleet provisioning');
  });

  test('246 fit: aws-cdk-lib\'s own check passes at synth', () => {
    const app = new App({ analyticsReporting: true });
    const { stack, fleet } = newFleet({}, app);
    for (let index = 0; index < 246; index++) fleet.addCamera(`camera-${index}`);
    const template = app.synth().getStackByName(stack.stackName).template;
    expect(Object.keys(template.Resources)).toHaveLength(499);
  });

  test('cameras with certificates that record add 5 each: 98 fit', () => {
    const app = new App({ analyticsReporting: true });
    const { fleet } = newFleet({}, app);
    const certificate = (index: number) => `arn:aws:iot:eu-west-1:123456789012:cert/${index.toString(16).padStart(64, '0')}`;
    for (let index = 0; index < 98; index++) fleet.addCamera(`camera-${index}`, { record: true, certificateArn: certificate(index) });
    expect(() => fleet.addCamera('camera-98', { record: true, certificateArn: certificate(98) })).toThrow(/brings stack FleetStack to 502 resources.*this camera adds 5/);
  });

  test('recording cameras with images and notifications add 4 each: 122 fit beside the bucket, the topic and the fleet role\'s policy', () => {
    // The fleet's 3, the provider's 3, CDKMetadata, the bucket, the topic and the fleet role's DefaultPolicy (the
    // cameras' delivery grants): 10 + 4 per camera (thing, channel, stream, stream configuration) <= 500.
    const recordingFleetWithImages = (cameras: number) => {
      const app = new App({ analyticsReporting: true });
      const stack = new Stack(app, 'FleetStack');
      const fleet = new CameraFleet(stack, 'Cameras', {
        cameraImages: { bucket: new s3.Bucket(stack, 'Thumbnails') },
        cameraNotificationTopic: new sns.Topic(stack, 'Events'),
      });
      for (let index = 0; index < cameras; index++) fleet.addCamera(`camera-${index}`, { record: true });
      return { app, stack, fleet };
    };
    const fitting = recordingFleetWithImages(122);
    expect(Object.keys(fitting.app.synth().getStackByName(fitting.stack.stackName).template.Resources)).toHaveLength(498);
    expect(() => recordingFleetWithImages(122).fleet.addCamera('camera-122', { record: true }))
      .toThrow(/brings stack FleetStack to 502 resources.*this camera adds 4/);
  });

  test('the stack resource limit of the context applies', () => {
    const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 10 } });
    const { fleet } = newFleet({}, app);
    fleet.addCamera('a');
    fleet.addCamera('b');
    expect(() => fleet.addCamera('c')).toThrow(/brings stack FleetStack to 12 resources, more than the 10/);
  });
});
