import { App, CfnElement, Duration, PhysicalName, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CfnStream } from 'aws-cdk-lib/aws-kinesisvideo';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Stream, StreamStorageTier } from '../src';

const STREAM = 'AWS::KinesisVideo::Stream';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

describe('Stream', () => {
  test('declares the native AWS::KinesisVideo::Stream with the given properties', () => {
    const stack = newStack();
    new Stream(stack, 'Camera', {
      streamName: 'front-door',
      dataRetention: Duration.days(7),
      mediaType: 'video/h264,audio/aac',
      deviceName: 'doorbell-1',
      storageTier: StreamStorageTier.WARM,
      tags: { room: 'hall' },
    });

    const template = Template.fromStack(stack);
    template.resourceCountIs(STREAM, 1);
    template.hasResourceProperties(STREAM, {
      Name: 'front-door',
      DataRetentionInHours: 168,
      MediaType: 'video/h264,audio/aac',
      DeviceName: 'doorbell-1',
      StreamStorageConfiguration: { DefaultStorageTier: 'WARM' },
      Tags: [{ Key: 'room', Value: 'hall' }],
    });
    // No custom resource, no function: CloudFormation manages streams itself.
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([]);
  });

  test('defaults: a generated name, 24 hours of retention, the service\'s key and storage tier, no tags, RETAIN', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Camera');

    Template.fromStack(stack).hasResource(STREAM, {
      Properties: {
        Name: Match.absent(),
        DataRetentionInHours: 24,
        KmsKeyId: Match.absent(),
        MediaType: Match.absent(),
        DeviceName: Match.absent(),
        StreamStorageConfiguration: Match.absent(),
        Tags: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stream.dataRetention?.toHours()).toBe(24);
    expect(stream.encryptionKey).toBeUndefined();
  });

  test('dataRetention 0 keeps no data, and says so in dataRetention', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Camera', { dataRetention: Duration.hours(0) });

    Template.fromStack(stack).hasResourceProperties(STREAM, { DataRetentionInHours: 0 });
    expect(stream.dataRetention?.toHours()).toBe(0);
  });

  test('dataRetention in other units is converted to hours', () => {
    const stack = newStack();
    new Stream(stack, 'Camera', { dataRetention: Duration.minutes(120) });

    Template.fromStack(stack).hasResourceProperties(STREAM, { DataRetentionInHours: 2 });
  });

  test('a customer managed key is passed by ARN and exposed as encryptionKey', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const stream = new Stream(stack, 'Camera', { encryptionKey: key });

    Template.fromStack(stack).hasResourceProperties(STREAM, {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] },
    });
    expect(stream.encryptionKey).toBe(key);
  });

  test.each([
    [RemovalPolicy.DESTROY, 'Delete', 'Delete'],
    [RemovalPolicy.RETAIN, 'Retain', 'Retain'],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'RetainExceptOnCreate', 'Retain'],
  ])('removalPolicy %s sets the deletion and update-replace policies', (removalPolicy, deletion, updateReplace) => {
    const stack = newStack();
    new Stream(stack, 'Camera', { removalPolicy });

    Template.fromStack(stack).hasResource(STREAM, { DeletionPolicy: deletion, UpdateReplacePolicy: updateReplace });
  });

  test('Tags.of(scope) reaches the stream, with its own tags', () => {
    const stack = newStack();
    new Stream(stack, 'Camera', { tags: { room: 'hall' } });
    Tags.of(stack).add('project', 'doorbell');

    Template.fromStack(stack).hasResourceProperties(STREAM, {
      Tags: Match.arrayEquals([{ Key: 'project', Value: 'doorbell' }, { Key: 'room', Value: 'hall' }]),
    });
  });

  test('streamArn is the Arn attribute, streamName the Ref (the name), and streamRef carries both', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Camera');
    const logicalId = stack.getLogicalId(stream.node.defaultChild as CfnStream);

    expect(stack.resolve(stream.streamArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(stream.streamName)).toEqual({ Ref: logicalId });
    expect(stack.resolve(stream.streamRef)).toEqual({ streamArn: { 'Fn::GetAtt': [logicalId, 'Arn'] }, streamName: { Ref: logicalId } });
  });

  test.each([
    ['an explicit name', 'front-door'],
    ['PhysicalName.GENERATE_IF_NEEDED', PhysicalName.GENERATE_IF_NEEDED],
  ])('a stack in another environment sees the stream\'s name as a literal: %s', (_, streamName) => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: { account: '111111111111', region: 'us-east-1' } });
    const consumer = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
    const stream = new Stream(producer, 'Camera', { streamName });
    // Dashboards may chart metrics of other regions.
    new cloudwatch.Dashboard(consumer, 'Dashboard', {
      widgets: [[new cloudwatch.GraphWidget({ left: [stream.metricPutMediaIncomingBytes()] })]],
    });

    const name = Template.fromStack(producer).toJSON().Resources[producer.getLogicalId(stream.node.defaultChild as CfnStream)].Properties.Name;
    expect(name).toMatch(/^[a-zA-Z0-9_.-]{1,256}$/);
    if (streamName === 'front-door') expect(name).toBe('front-door');
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).toContain(`\\"StreamName\\",\\"${name}\\"`);
  });
});
