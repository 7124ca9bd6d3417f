import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SignalingChannel, SignalingOperation } from '../src';

const ARN = 'arn:aws:kinesisvideo:eu-west-1:210987654321:channel/front-door/1700000000000';

function setup() {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Camera', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, role };
}

function grantedStatements(stack: Stack) {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(stack.node.findChild('Camera').node.defaultChild as iam.CfnRole) }] } });
  return Object.values(policies).flatMap(p => stack.resolve(p.Properties.PolicyDocument.Statement));
}

describe('grants', () => {
  test('grantConnectAsMaster: exactly what a WebRTC master needs, on the channel\'s ARN', () => {
    const { stack, role } = setup();
    const channel = new SignalingChannel(stack, 'Doorbell');
    channel.grantConnectAsMaster(role);

    expect(grantedStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:GetSignalingChannelEndpoint', 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsMaster'],
      Resource: stack.resolve(channel.signalingChannelArn),
    }]);
  });

  test('grantConnectAsViewer: the same with ConnectAsViewer', () => {
    const { stack, role } = setup();
    const channel = new SignalingChannel(stack, 'Doorbell');
    channel.grantConnectAsViewer(role);

    expect(grantedStatements(stack)[0].Action).toEqual([
      'kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:GetSignalingChannelEndpoint', 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsViewer',
    ]);
  });

  test('grant: any actions', () => {
    const { stack, role } = setup();
    new SignalingChannel(stack, 'Doorbell').grant(role, 'kinesisvideo:SendAlexaOfferToMaster');

    expect(grantedStatements(stack)[0].Action).toBe('kinesisvideo:SendAlexaOfferToMaster');
  });

  test('a channel imported by ARN grants on that ARN', () => {
    const { stack, role } = setup();
    SignalingChannel.fromSignalingChannelArn(stack, 'Imported', ARN).grantConnectAsViewer(role);

    expect(grantedStatements(stack)[0].Resource).toBe(ARN);
  });

  test('a channel imported by name grants on channel/<name>/*', () => {
    const { stack, role } = setup();
    SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door').grantConnectAsMaster(role);

    expect(grantedStatements(stack)[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:us-east-1:123456789012:channel/front-door/*']],
    });
  });
});

describe('imports', () => {
  test('fromSignalingChannelArn parses the name and the environment', () => {
    const { stack } = setup();
    const channel = SignalingChannel.fromSignalingChannelArn(stack, 'Imported', ARN);

    expect(channel.signalingChannelArn).toBe(ARN);
    expect(channel.signalingChannelName).toBe('front-door');
    expect(channel.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
    expect(channel.signalingChannelRef).toEqual({ signalingChannelArn: ARN, signalingChannelName: 'front-door' });
  });

  test('fromSignalingChannelArn with a token ARN selects the name with Fn::Split', () => {
    const { stack } = setup();
    const source = new SignalingChannel(stack, 'Source');
    const channel = SignalingChannel.fromSignalingChannelArn(stack, 'Imported', source.signalingChannelArn);

    expect(stack.resolve(channel.signalingChannelName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', stack.resolve(source.signalingChannelArn)] }] });
  });

  test('fromSignalingChannelAttributes takes both', () => {
    const { stack } = setup();
    const channel = SignalingChannel.fromSignalingChannelAttributes(stack, 'Imported', { signalingChannelArn: ARN, signalingChannelName: 'front-door' });

    expect(channel.signalingChannelName).toBe('front-door');
    expect(channel.signalingChannelArn).toBe(ARN);
  });

  test('a channel imported by name has no ARN: reading it works, using it fails synth with a validation error naming the fix', () => {
    const { stack } = setup();
    const channel = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door');
    expect(channel.signalingChannelRef.signalingChannelName).toBe('front-door');
    new CfnOutput(stack, 'Arn', { value: channel.signalingChannelArn });

    const synth = () => App.of(stack)!.synth();
    expect(synth).toThrow(/^Validation failed with the following errors:\n {2}\[TestStack\/Imported\] signalingChannelArn is used, but a signaling channel imported by name has no ARN .*: import it with fromSignalingChannelArn or fromSignalingChannelAttributes to use its ARN$/);
  });

  test('a channel imported by name synthesizes as long as its channelArn stays out of the template', () => {
    const { stack, role } = setup();
    const channel = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door');
    void channel.signalingChannelArn;
    channel.grantConnectAsViewer(role);
    new CfnOutput(stack, 'Name', { value: channel.signalingChannelName });

    expect(() => App.of(stack)!.synth()).not.toThrow();
  });

  test.each([
    ['arn:aws:kinesisvideo:us-east-1:123456789012:stream/cam/1', 'signalingChannelArn'],
    ['front-door', 'signalingChannelArn'],
  ])('a malformed ARN is refused: %s', (arn, field) => {
    const { stack } = setup();
    expect(() => SignalingChannel.fromSignalingChannelArn(stack, 'Imported', arn)).toThrow(new RegExp(`TestStack/Imported: ${field} '${arn}' is not a signaling channel ARN`));
  });

  test('an invalid name or no identifier at all is refused', () => {
    const { stack } = setup();
    expect(() => SignalingChannel.fromSignalingChannelName(stack, 'A', 'no spaces')).toThrow(/TestStack\/A: signalingChannelName must be 1-256 characters/);
    expect(() => SignalingChannel.fromSignalingChannelAttributes(stack, 'B', {})).toThrow(/TestStack\/B: give signalingChannelArn, signalingChannelName or both/);
  });
});

describe('metrics', () => {
  test('metric: namespace AWS/KinesisVideo, dimensioned by channel name', () => {
    const { stack } = setup();
    const channel = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door');
    const metric = channel.metric('Custom', { period: Duration.minutes(1) });

    expect(metric.namespace).toBe('AWS/KinesisVideo');
    expect(metric.metricName).toBe('Custom');
    expect(metric.dimensions).toEqual({ SignalingChannelName: 'front-door' });
    expect(metric.period.toMinutes()).toBe(1);
  });

  test('metricFailure: average failure rate of one operation', () => {
    const { stack } = setup();
    const metric = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door').metricFailure(SignalingOperation.CONNECT_AS_MASTER);

    expect(metric.metricName).toBe('Failure');
    expect(metric.statistic).toBe('Average');
    expect(metric.dimensions).toEqual({ SignalingChannelName: 'front-door', Operation: 'ConnectAsMaster' });
    expect(metric.period.toMinutes()).toBe(5);
  });

  test('metricLatency: average milliseconds of one operation', () => {
    const { stack } = setup();
    const metric = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door').metricLatency(SignalingOperation.SEND_SDP_OFFER, { statistic: 'p99' });

    expect(metric.metricName).toBe('Latency');
    expect(metric.statistic).toBe('p99');
    expect(metric.unit).toBe(cloudwatch.Unit.MILLISECONDS);
    expect(metric.dimensions).toEqual({ SignalingChannelName: 'front-door', Operation: 'SendSdpOffer' });
  });

  test('metricMessagesTransferred and metricTurnConnectedMinutes: sums', () => {
    const { stack } = setup();
    const channel = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door');

    expect(channel.metricMessagesTransferred()).toMatchObject({ metricName: 'MessagesTransferred.Count', statistic: 'Sum' });
    expect(channel.metricTurnConnectedMinutes()).toMatchObject({ metricName: 'TURNConnectedMinutes', statistic: 'Sum' });
  });

  test('metrics of a declared channel can feed an alarm, with the channel name token as dimension', () => {
    const { stack } = setup();
    const channel = new SignalingChannel(stack, 'Doorbell');
    channel.metricFailure(SignalingOperation.CONNECT_AS_VIEWER).createAlarm(stack, 'Alarm', { threshold: 0.1, evaluationPeriods: 1 });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/KinesisVideo',
      MetricName: 'Failure',
      Statistic: 'Average',
      Dimensions: [
        { Name: 'Operation', Value: 'ConnectAsViewer' },
        { Name: 'SignalingChannelName', Value: stack.resolve(channel.signalingChannelName) },
      ],
    });
  });

});
