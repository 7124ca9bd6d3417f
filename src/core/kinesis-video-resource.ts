import { IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { checkGrantActions } from './grant-actions';

/**
 * What every Kinesis Video resource of this library can do, declared or imported: signaling channels and
 * streams alike.
 */
export interface IKinesisVideoResource extends IResource {
  /**
   * Grant the given actions on this resource to the principal.
   *
   * Each action must be one of Kinesis Video Streams' (`kinesisvideo:<action>`, as the Service Authorization
   * Reference lists them; IAM's wildcards and any case accepted): another is refused at synth, with the action
   * probably meant.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * A CloudWatch metric of this resource, in the `AWS/KinesisVideo` namespace, with the resource's dimension.
   *
   * Average over 5 minutes by default (aws-cdk-lib's `Metric`): change either with `props.statistic` and `props.period`.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The base of every Kinesis Video resource of this library, declared or imported: grants on its ARN (or on its
 * name, for an import by name), and metrics by its dimension.
 */
export abstract class KinesisVideoResourceBase extends Resource implements IKinesisVideoResource {
  /**
   * The resources a grant on this resource applies to: its ARN, or `<type>/<name>/*` when only the name is
   * known (channel and stream ARNs end with a creation time).
   */
  protected abstract readonly grantResourceArns: string[];

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    checkGrantActions(this, 'grant', 'kinesisvideo', actions);
    // Kinesis Video has no resource policies: a grant is always the principal's.
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this.grantResourceArns });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/KinesisVideo',
      metricName,
      ...props,
      dimensionsMap: { ...this.metricDimensions(), ...props?.dimensionsMap },
    }).attachTo(this);
  }

  /** The dimension that identifies this resource in the service's metrics (`SignalingChannelName`, `StreamName`). */
  protected abstract metricDimensions(): { [name: string]: string };
}
