import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IStream, Stream } from '../src';

const ARN = 'arn:aws:kinesisvideo:eu-west-1:210987654321:stream/front-door/1700000000000';
const KEY_ARN = 'arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const WRITE_ACTIONS = ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'];
const READ_ACTIONS = [
  'kinesisvideo:DescribeStream',
  'kinesisvideo:GetDataEndpoint',
  'kinesisvideo:GetMedia',
  'kinesisvideo:GetMediaForFragmentList',
  'kinesisvideo:ListFragments',
  'kinesisvideo:GetHLSStreamingSessionURL',
  'kinesisvideo:GetDASHStreamingSessionURL',
  'kinesisvideo:GetClip',
  'kinesisvideo:GetImages',
];

function setup() {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Camera', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, role };
}

function grantedStatements(stack: Stack, role: iam.Role) {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(p => stack.resolve(p.Properties.PolicyDocument.Statement));
}

describe('grants', () => {
  test('grantWrite: what a PutMedia producer needs, on the stream\'s ARN', () => {
    const { stack, role } = setup();
    const stream = new Stream(stack, 'Stream');
    stream.grantWrite(role);

    expect(grantedStatements(stack, role)).toEqual([
      { Effect: 'Allow', Action: WRITE_ACTIONS, Resource: stack.resolve(stream.streamArn) },
    ]);
  });

  test('grantRead: what a consumer needs for live and stored media, playback, clips and images', () => {
    const { stack, role } = setup();
    const stream = new Stream(stack, 'Stream');
    stream.grantRead(role);

    expect(grantedStatements(stack, role)).toEqual([
      { Effect: 'Allow', Action: READ_ACTIONS, Resource: stack.resolve(stream.streamArn) },
    ]);
  });

  test('grant: any actions', () => {
    const { stack, role } = setup();
    new Stream(stack, 'Stream').grant(role, 'kinesisvideo:UpdateDataRetention');

    expect(grantedStatements(stack, role)[0].Action).toBe('kinesisvideo:UpdateDataRetention');
  });

  test('with a customer managed key, writers may generate data keys and readers decrypt, on that key only', () => {
    const { stack, role } = setup();
    const key = new kms.Key(stack, 'Key');
    const reader = new iam.Role(stack, 'Viewer', { assumedBy: new iam.AccountRootPrincipal() });
    const stream = new Stream(stack, 'Stream', { encryptionKey: key });
    const writeGrant = stream.grantWrite(role);
    stream.grantRead(reader);

    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] };
    expect(grantedStatements(stack, role)).toEqual([
      { Effect: 'Allow', Action: WRITE_ACTIONS, Resource: stack.resolve(stream.streamArn) },
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn },
    ]);
    expect(grantedStatements(stack, reader)).toEqual([
      { Effect: 'Allow', Action: READ_ACTIONS, Resource: stack.resolve(stream.streamArn) },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
    ]);
    // The returned grant covers both statements.
    expect(writeGrant.success).toBe(true);
    expect(writeGrant.principalStatements).toHaveLength(2);
  });

  test('a stream imported with its key grants on that key too', () => {
    const { stack, role } = setup();
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    Stream.fromStreamAttributes(stack, 'Imported', { streamArn: ARN, encryptionKey: key }).grantRead(role);

    expect(grantedStatements(stack, role)).toEqual([
      { Effect: 'Allow', Action: READ_ACTIONS, Resource: ARN },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
    ]);
  });

  test('a stream imported by ARN grants on that ARN', () => {
    const { stack, role } = setup();
    Stream.fromStreamArn(stack, 'Imported', ARN).grantWrite(role);

    expect(grantedStatements(stack, role)).toEqual([{ Effect: 'Allow', Action: WRITE_ACTIONS, Resource: ARN }]);
  });

  test('a stream imported by name grants on stream/<name>/*', () => {
    const { stack, role } = setup();
    Stream.fromStreamName(stack, 'Imported', 'front-door').grantRead(role);

    expect(grantedStatements(stack, role)[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:us-east-1:123456789012:stream/front-door/*']],
    });
  });
});

describe('imports', () => {
  test('fromStreamArn parses the name and the environment, and knows neither key nor retention', () => {
    const { stack } = setup();
    const stream: IStream = Stream.fromStreamArn(stack, 'Imported', ARN);

    expect(stream.streamArn).toBe(ARN);
    expect(stream.streamName).toBe('front-door');
    expect(stream.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
    expect(stream.streamRef).toEqual({ streamArn: ARN, streamName: 'front-door' });
    expect(stream.encryptionKey).toBeUndefined();
    expect(stream.dataRetention).toBeUndefined();
  });

  test('fromStreamArn with a token ARN selects the name with Fn::Split', () => {
    const { stack } = setup();
    const source = new Stream(stack, 'Source');
    const stream = Stream.fromStreamArn(stack, 'Imported', source.streamArn);

    expect(stack.resolve(stream.streamName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', stack.resolve(source.streamArn)] }] });
  });

  test('fromStreamAttributes takes both', () => {
    const { stack } = setup();
    const stream = Stream.fromStreamAttributes(stack, 'Imported', { streamArn: ARN, streamName: 'front-door' });

    expect(stream.streamName).toBe('front-door');
    expect(stream.streamArn).toBe(ARN);
  });

  test('a stream imported by name has no ARN: reading it works, and it synthesizes while its streamArn stays out of the template', () => {
    const { stack } = setup();
    const stream = Stream.fromStreamName(stack, 'Imported', 'front-door');

    expect(stream.streamRef.streamName).toBe('front-door');
    expect(() => App.of(stack)!.synth()).not.toThrow();
  });

  test.each([
    'arn:aws:kinesisvideo:us-east-1:123456789012:channel/cam/1',
    'arn:aws:kinesis:us-east-1:123456789012:stream/cam',
    'front-door',
  ])('a malformed ARN is refused: %s', arn => {
    const { stack } = setup();
    expect(() => Stream.fromStreamArn(stack, 'Imported', arn))
      .toThrow(`TestStack/Imported: streamArn '${arn}' is not a Kinesis video stream ARN; expected arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>`);
  });

  test('an invalid name or no identifier at all is refused', () => {
    const { stack } = setup();
    expect(() => Stream.fromStreamName(stack, 'A', 'no spaces')).toThrow(/TestStack\/A: streamName must be 1-256 characters .* \(got 'no spaces'\)/);
    expect(() => Stream.fromStreamAttributes(stack, 'B', {})).toThrow(/TestStack\/B: give streamArn, streamName or both/);
  });
});

describe('metrics', () => {
  test('metric: namespace AWS/KinesisVideo, dimensioned by stream name', () => {
    const { stack } = setup();
    const metric = Stream.fromStreamName(stack, 'Imported', 'front-door').metric('Custom', { period: Duration.minutes(1) });

    expect(metric.namespace).toBe('AWS/KinesisVideo');
    expect(metric.metricName).toBe('Custom');
    expect(metric.dimensions).toEqual({ StreamName: 'front-door' });
    expect(metric.period.toMinutes()).toBe(1);
  });

  // Names from the Kinesis Video Streams developer guide's CloudWatch metrics table.
  test.each<[keyof IStream, string, string]>([
    ['metricPutMediaIncomingBytes', 'PutMedia.IncomingBytes', 'Sum'],
    ['metricPutMediaIncomingFragments', 'PutMedia.IncomingFragments', 'Sum'],
    ['metricPutMediaSuccess', 'PutMedia.Success', 'Average'],
    ['metricPutMediaLatency', 'PutMedia.Latency', 'Average'],
    ['metricPutMediaFragmentIngestionLatency', 'PutMedia.FragmentIngestionLatency', 'Average'],
    ['metricPutMediaFragmentPersistLatency', 'PutMedia.FragmentPersistLatency', 'Average'],
    ['metricPutMediaConnectionErrors', 'PutMedia.ConnectionErrors', 'Sum'],
    ['metricPutMediaErrorAckCount', 'PutMedia.ErrorAckCount', 'Sum'],
    ['metricGetMediaOutgoingBytes', 'GetMedia.OutgoingBytes', 'Sum'],
    ['metricGetMediaSuccess', 'GetMedia.Success', 'Average'],
    ['metricGetMediaMillisBehindNow', 'GetMedia.MillisBehindNow', 'Maximum'],
    ['metricListFragmentsLatency', 'ListFragments.Latency', 'Average'],
  ])('%s: %s, %s over 5 minutes, no unit filter', (method, metricName, statistic) => {
    const { stack } = setup();
    const stream = Stream.fromStreamName(stack, 'Imported', 'front-door');
    const metric = (stream[method] as (props?: object) => import('aws-cdk-lib/aws-cloudwatch').Metric).call(stream);

    expect(metric).toMatchObject({ namespace: 'AWS/KinesisVideo', metricName, statistic });
    expect(metric.dimensions).toEqual({ StreamName: 'front-door' });
    expect(metric.period.toMinutes()).toBe(5);
    expect(metric.unit).toBeUndefined();
  });

  test('the statistic and period can be overridden', () => {
    const { stack } = setup();
    const metric = Stream.fromStreamName(stack, 'Imported', 'front-door').metricPutMediaLatency({ statistic: 'p99', period: Duration.minutes(1) });

    expect(metric.statistic).toBe('p99');
    expect(metric.period.toMinutes()).toBe(1);
  });

  test('metrics of a declared stream can feed an alarm, with the stream name token as dimension', () => {
    const { stack } = setup();
    const stream = new Stream(stack, 'Stream');
    stream.metricPutMediaSuccess().createAlarm(stack, 'Alarm', { threshold: 0.99, evaluationPeriods: 1 });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/KinesisVideo',
      MetricName: 'PutMedia.Success',
      Statistic: 'Average',
      Dimensions: [{ Name: 'StreamName', Value: stack.resolve(stream.streamName) }],
    });
  });
});
