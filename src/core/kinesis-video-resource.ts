import { IResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * What every Kinesis Video resource of this library can do, declared or imported: signaling channels and
 * streams alike.
 */
export interface IKinesisVideoResource extends IResource {
  /**
   * Grant the given actions on this resource to the principal.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * A CloudWatch metric of this resource, in the `AWS/KinesisVideo` namespace, with the resource's dimension.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** The namespace of every Kinesis Video metric. */
const METRICS_NAMESPACE = 'AWS/KinesisVideo';

/**
 * A metric of `resource`, identified by one dimension (`SignalingChannelName`, `StreamName`): the options'
 * dimensions are added to it, and the metric is attached to the resource's stack and region.
 */
export function kinesisVideoMetric(
  resource: Construct,
  dimension: { readonly name: string; readonly value: string },
  metricName: string,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    ...props,
    dimensionsMap: { [dimension.name]: dimension.value, ...props?.dimensionsMap },
  }).attachTo(resource);
}

/** A grant of `actions` on `resourceArns`, added to the grantee's policy (Kinesis Video has no resource policies). */
export function grantOnResources(grantee: iam.IGrantable, actions: string[], resourceArns: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
}
