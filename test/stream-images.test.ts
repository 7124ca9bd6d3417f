/**
 * A stream's images and notifications: the configuration resource the provider applies, every synth-time rule,
 * the grants the PutMedia caller gets, and the provider role's scoped permissions.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Stream, StreamImageFormat, StreamImageTimestamps } from '../src';
import { STREAM_CONFIGURATION_RESOURCE_TYPE } from '../src/handler-shared/stream-configuration-rules';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(env = ENV): Stack {
  return new Stack(new App(), 'TestStack', { env });
}

function providerStatements(template: Template): Array<Record<string, any>> {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('signaling channels') } });
  const [role] = Object.values(roles);
  return role.Properties.Policies[0].PolicyDocument.Statement;
}

describe('Stream images and notifications', () => {
  test('a configuration resource on the stack\'s provider, with the API\'s values and the service\'s defaults', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Thumbnails');
    const topic = new sns.Topic(stack, 'Events');
    new Stream(stack, 'Doorbell', {
      images: { bucket, keyPrefix: 'doorbell/', widthPixels: 320 },
      notificationTopic: topic,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs(STREAM_CONFIGURATION_RESOURCE_TYPE, 1);
    template.hasResourceProperties(STREAM_CONFIGURATION_RESOURCE_TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('KinesisVideoSignalingChannelProviderHandler'), 'Arn'] },
      StreamArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Doorbell'), 'Arn'] },
      ImageGeneration: {
        ImageSelectorType: 'SERVER_TIMESTAMP',
        DestinationUri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Thumbnails') }, '/doorbell/']] },
        DestinationRegion: 'us-east-1',
        SamplingInterval: 1000,
        Format: 'JPEG',
        WidthPixels: 320,
      },
      NotificationTopicArn: { Ref: Match.stringLikeRegexp('^Events') },
    });
    const config = Object.values(template.findResources(STREAM_CONFIGURATION_RESOURCE_TYPE))[0];
    expect(config.Properties.ImageGeneration.HeightPixels).toBeUndefined();
    expect(config.Properties.ImageGeneration.JPEGQuality).toBeUndefined();
  });

  test('every setting reaches the template', () => {
    const stack = newStack();
    new Stream(stack, 'Doorbell', {
      images: {
        bucket: new s3.Bucket(stack, 'Thumbnails'),
        format: StreamImageFormat.JPEG,
        jpegQuality: 60,
        samplingInterval: Duration.millis(200),
        widthPixels: 3840,
        heightPixels: 2160,
        timestamps: StreamImageTimestamps.PRODUCER,
      },
    });
    Template.fromStack(stack).hasResourceProperties(STREAM_CONFIGURATION_RESOURCE_TYPE, {
      ImageGeneration: Match.objectLike({
        ImageSelectorType: 'PRODUCER_TIMESTAMP', SamplingInterval: 200, Format: 'JPEG', JPEGQuality: 60, WidthPixels: 3840, HeightPixels: 2160,
      }),
      NotificationTopicArn: Match.absent(),
    });
  });

  test('a stream without them has no configuration resource, and the provider role no configuration actions', () => {
    const stack = newStack();
    new Stream(stack, 'Plain');
    const template = Template.fromStack(stack);
    template.resourceCountIs(STREAM_CONFIGURATION_RESOURCE_TYPE, 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('the provider role may call only the two Update actions, on this stack\'s configured streams only', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Events');
    new Stream(stack, 'A', { notificationTopic: topic });
    new Stream(stack, 'B', { notificationTopic: topic });
    new Stream(stack, 'Unconfigured');
    const statements = providerStatements(Template.fromStack(stack));
    const configure = statements.find(statement => statement.Sid === 'ConfigureStreamImagesAndNotifications')!;
    expect(configure.Action).toEqual(['kinesisvideo:UpdateImageGenerationConfiguration', 'kinesisvideo:UpdateNotificationConfiguration']);
    expect(configure.Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^A/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^B/), 'Arn'] },
    ]);
    const everyAction = statements.flatMap(statement => [statement.Action].flat());
    expect(everyAction.filter(action => /Configuration$/.test(action) && !/MediaStorage/.test(action)).sort())
      .toEqual(['kinesisvideo:UpdateImageGenerationConfiguration', 'kinesisvideo:UpdateNotificationConfiguration']);
  });

  test('streams past the policy budget widen to stream/* with a warning, never silently', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Events');
    // Generated names count at their longest (256 characters): about 20 fit.
    for (let i = 0; i < 30; i++) new Stream(stack, `S${i}`, { notificationTopic: topic });
    const configure = providerStatements(Template.fromStack(stack)).find(statement => statement.Sid === 'ConfigureStreamImagesAndNotifications')!;
    expect(JSON.stringify(configure.Resource)).toContain(':stream/*');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('30 streams with images or notifications do not fit'));
  });

  test('the configuration shares the stack\'s slots with its channels', () => {
    const stack = newStack();
    new Stream(stack, 'A', { notificationTopic: new sns.Topic(stack, 'Events') });
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    // One 4-digit key per resource in the slot table.
    expect(fn.Properties.Environment.Variables.CHANNEL_SLOTS).toHaveLength(4);
  });
});

describe('grants', () => {
  function grantee(stack: Stack): iam.Role {
    return new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
  }
  function producerStatements(stack: Stack): Array<Record<string, any>> {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    return Object.values(policies).flatMap(policy => policy.Properties.PolicyDocument.Statement);
  }

  test('grantWrite gives s3:PutObject on the images\' prefix only, and sns:Publish on the topic', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Thumbnails');
    const topic = new sns.Topic(stack, 'Events');
    const stream = new Stream(stack, 'Doorbell', { images: { bucket, keyPrefix: 'doorbell/' }, notificationTopic: topic });
    stream.grantWrite(grantee(stack));
    const statements = producerStatements(stack);
    const put = statements.find(statement => statement.Action === 's3:PutObject')!;
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Thumbnails/), 'Arn'] }, '/doorbell/*']] });
    expect(statements.find(statement => statement.Action === 'sns:Publish')!.Resource).toEqual({ Ref: expect.stringMatching(/^Events/) });
    expect(JSON.stringify(statements)).not.toMatch(/"s3:\*"|"sns:\*"|"Resource":"\*"/);
  });

  test('a bucket\'s key gives kms:GenerateDataKey; a stream\'s customer key with images kms:Encrypt and kms:Decrypt too; a topic\'s key its use', () => {
    const stack = newStack();
    const bucketKey = new kms.Key(stack, 'BucketKey');
    const streamKey = new kms.Key(stack, 'StreamKey');
    const topicKey = new kms.Key(stack, 'TopicKey');
    const bucket = new s3.Bucket(stack, 'Thumbnails', { encryption: s3.BucketEncryption.KMS, encryptionKey: bucketKey });
    const topic = new sns.Topic(stack, 'Events', { masterKey: topicKey });
    const stream = new Stream(stack, 'Doorbell', { encryptionKey: streamKey, images: { bucket }, notificationTopic: topic });
    stream.grantWrite(grantee(stack));
    const actionsOn = (keyId: string) => producerStatements(stack)
      .filter(statement => JSON.stringify(statement.Resource).includes(keyId))
      .flatMap(statement => [statement.Action].flat()).sort();
    expect(actionsOn('BucketKey')).toEqual(['kms:GenerateDataKey']);
    expect(actionsOn('StreamKey')).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(actionsOn('TopicKey')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  test('without images or notifications grantWrite is unchanged: no S3, SNS or extra KMS actions', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Plain', { encryptionKey: new kms.Key(stack, 'StreamKey') });
    stream.grantWrite(grantee(stack));
    const actions = producerStatements(stack).flatMap(statement => [statement.Action].flat()).sort();
    expect(actions).toEqual(['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia', 'kms:GenerateDataKey']);
  });
});

describe('validation at synth time', () => {
  const bucketIn = (stack: Stack) => new s3.Bucket(stack, 'Thumbnails');
  const refused = (build: (stack: Stack) => void, message: RegExp) => {
    const stack = newStack();
    expect(() => build(stack)).toThrow(message);
  };
  const HEADER = 'TestStack/Doorbell: invalid Kinesis video stream properties';

  test.each([
    ['samplingInterval under 200 ms', { samplingInterval: Duration.millis(199) }, /images\.samplingInterval \(ms\) is 199: must be a whole number of milliseconds, at least 200/],
    ['a fractional sampling interval', { samplingInterval: Duration.millis(250.5) }, /images\.samplingInterval \(ms\) is 250.5/],
    ['widthPixels 0', { widthPixels: 0 }, /images\.widthPixels is 0: must be a whole number of pixels from 1 to 3840/],
    ['widthPixels 3841', { widthPixels: 3841 }, /images\.widthPixels is 3841/],
    ['heightPixels 2161', { heightPixels: 2161 }, /images\.heightPixels is 2161: must be a whole number of pixels from 1 to 2160/],
    ['jpegQuality 0', { jpegQuality: 0 }, /images\.jpegQuality is 0: must be a whole number of quality points from 1 to 100/],
    ['jpegQuality 101', { jpegQuality: 101 }, /images\.jpegQuality is 101/],
    ['jpegQuality with PNG', { format: StreamImageFormat.PNG, jpegQuality: 50 }, /images\.jpegQuality 50 is given with format PNG/],
    ['a * in the prefix', { keyPrefix: 'a*b' }, /images\.keyPrefix 's3:\/\/.*a\*b' is not a destination the service accepts/],
    ['a leading /', { keyPrefix: '/thumbs' }, /images\.keyPrefix '\/thumbs' starts with '\/'/],
    ['a prefix too long', { keyPrefix: 'p'.repeat(200) }, /images\.keyPrefix is 2\d\d characters long .*the service allows 1-255/],
    ['an unknown format', { format: 'GIF' }, /images\.format must be one of JPEG, PNG \(got the string 'GIF'\)/],
    ['a lower-case selector', { timestamps: 'server_timestamp' }, /images\.timestamps must be one of SERVER_TIMESTAMP, PRODUCER_TIMESTAMP/],
  ])('%s is refused, naming the path, the field and the value', (_, images, message) => {
    refused(stack => new Stream(stack, 'Doorbell', { images: { bucket: bucketIn(stack), ...images as object } }), message);
    refused(stack => new Stream(stack, 'Doorbell', { images: { bucket: bucketIn(stack), ...images as object } }), new RegExp(HEADER));
  });

  test('the limits themselves are accepted', () => {
    const stack = newStack();
    new Stream(stack, 'Doorbell', {
      images: { bucket: bucketIn(stack), samplingInterval: Duration.millis(200), widthPixels: 1, heightPixels: 1, jpegQuality: 1, keyPrefix: 'p'.repeat(100) },
    });
    new Stream(stack, 'Other', { images: { bucket: bucketIn(new Stack(stack.node.root as App, 'Other', { env: ENV })), jpegQuality: 100, widthPixels: 3840, heightPixels: 2160 } });
  });

  test('a bucket missing, or not a bucket', () => {
    refused(stack => new Stream(stack, 'Doorbell', { images: {} as any }), /images\.bucket is required/);
    refused(stack => new Stream(stack, 'Doorbell', { images: { bucket: 'my-bucket' } as any }), /images\.bucket/);
  });

  test('a bucket or topic of another region is refused', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack', { env: ENV });
    const elsewhere = new Stack(app, 'Elsewhere', { env: { ...ENV, region: 'eu-west-1' } });
    expect(() => new Stream(stack, 'Doorbell', { images: { bucket: new s3.Bucket(elsewhere, 'Thumbnails') } }))
      .toThrow(/images\.bucket Elsewhere\/Thumbnails is in region eu-west-1, not in region us-east-1 of TestStack\/Doorbell/);
    expect(() => new Stream(stack, 'Doorbell2', { notificationTopic: new sns.Topic(elsewhere, 'Events') }))
      .toThrow(/notificationTopic Elsewhere\/Events is in region eu-west-1/);
  });

  test('a FIFO topic is refused: the service publishes to standard topics only', () => {
    refused(stack => new Stream(stack, 'Doorbell', { notificationTopic: new sns.Topic(stack, 'Events', { fifo: true }) }),
      /notificationTopic TestStack\/Events is a FIFO topic/);
  });

  test('a stream that keeps no data cannot have images or notifications (NoDataRetentionException)', () => {
    refused(stack => new Stream(stack, 'Doorbell', { dataRetention: Duration.hours(0), notificationTopic: new sns.Topic(stack, 'Events') }),
      /dataRetention is 0 hours with notificationTopic/);
    refused(stack => new Stream(stack, 'Doorbell', { dataRetention: Duration.hours(0), images: { bucket: bucketIn(stack) } }),
      /dataRetention is 0 hours with images/);
  });

  test('a topic that is not a topic is refused', () => {
    refused(stack => new Stream(stack, 'Doorbell', { notificationTopic: 'arn:aws:sns:us-east-1:123456789012:events' as any }),
      /notificationTopic .*an SNS topic \(sns\.ITopic\)/);
  });
});
