import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { cameraRetentionProblem, certificateArnProblem, thingAttributesProblems } from './camera-fleet-rules';
import { environmentOfArn, environmentsDiffer } from '../core/environment-rules';
import { checkProperties } from '../core/property-checks';
import { durationProblem, stringMapProblem, typeProblem } from '../core/property-types';
import { refuseSnapshotByEveryRoute, removalPolicyProblem } from '../core/removal-policy-rules';
import { NamedFamily } from '../core/resource-family';
import { claimUniqueName } from '../core/unique-names';
import { SignalingChannel } from '../signaling-channel/signaling-channel';
import { Stream } from '../stream/stream';
import { grantImageAndNotificationDelivery } from '../stream/stream-delivery-grants';
import { StreamImages } from '../stream/stream-images';

/**
 * Options of a camera of a fleet.
 */
export interface CameraOptions {
  /**
   * Record the camera into a Kinesis video stream named after it: the fleet declares the stream and the
   * camera's channel records into it (WebRTC ingestion). At most 100 channels of an account and region can
   * record, and the fleet's role may record (see `CameraFleetProps.recording`).
   *
   * @default false
   */
  readonly record?: boolean;

  /**
   * How long the camera's stream keeps its media: whole hours, at least 1 (a recording channel needs a stream
   * that keeps data). Only with `record: true`.
   *
   * @default Duration.hours(24)
   */
  readonly retention?: Duration;

  /**
   * What happens to the camera's stream, and the media it keeps, when the camera leaves the stack or the stack is
   * deleted. Only with `record: true`. A retained stream keeps its name: declaring a camera of that name again
   * in the same account and region fails until the stream is deleted (`aws kinesisvideo delete-stream`).
   * `SNAPSHOT` is refused, as for every stream.
   *
   * @default RemovalPolicy.RETAIN, the stream's own default: deleting a stream deletes its media
   */
  readonly streamRemovalPolicy?: RemovalPolicy;

  /**
   * The ARN of the camera's AWS IoT certificate, created outside the stack (a template holds no private key):
   * attached to the camera's thing, exclusively (`EXCLUSIVE_THING`: the certificate can sign in as this thing
   * and no other), and to the fleet's IoT policy, which lets it ask the credentials provider for the role alias.
   *
   * @default - none: attach the certificate yourself (AttachThingPrincipal, AttachPolicy)
   */
  readonly certificateArn?: string;

  /**
   * Attributes of the camera's IoT thing: at most 3, since `AWS::IoT::Thing` cannot give a thing a thing type
   * (a typed thing could have 50). Names up to 128 characters of `a-zA-Z0-9_.,@/:#-`, values up to 800 of
   * `a-zA-Z0-9_.,@/:#=[]-`.
   *
   * @default - none
   */
  readonly attributes?: { [key: string]: string };

  /**
   * Images the camera's stream delivers to S3, as `StreamProps.images`: only with `record: true`.
   *
   * The fleet's role gets `s3:PutObject` on the bucket's prefix.
   *
   * @default - the fleet's `cameraImages`, if any
   */
  readonly images?: StreamImages;

  /**
   * The SNS topic the camera's stream notifies, as `StreamProps.notificationTopic`: only with `record: true`.
   *
   * The fleet's role gets `sns:Publish` on it.
   *
   * @default - the fleet's `cameraNotificationTopic`, if any
   */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * Cameras, for the rules every resource of this library shares (`core/`): named in messages, their names unique
 * (a camera's thing, channel and stream are all named after it); no ARN or tags of their own.
 */
const CAMERA: NamedFamily = { noun: 'camera' };

/** A recording camera's stream, as the removal-policy rule names it. */
const CAMERA_STREAM: NamedFamily = { noun: 'camera\'s stream' };

/** What a fleet hands to its cameras. */
export interface CameraFleetContext {
  /** The fleet's IoT policy, attached to the cameras' certificates; undefined for a fleet imported without it. */
  readonly policyName?: string;
  /** Whether the fleet's role may record into the streams named after its things. */
  readonly recordingAllowed: boolean;
  /** The fleet's role, granted the delivery of its recording cameras' images and notifications; undefined for an import. */
  readonly role?: iam.IGrantable;
  /** The fleet-wide images and topic of its recording cameras. */
  readonly cameraImages?: StreamImages;
  readonly cameraNotificationTopic?: sns.ITopic;
}

/**
 * A camera of a `CameraFleet`: an AWS IoT thing, the signaling channel named after it, and, when it records,
 * the Kinesis video stream named after it. Made by `fleet.addCamera(name)`.
 */
export class Camera extends Construct {
  /**
   * Made by the fleet only, which checks the name, counts the camera and grants its viewers.
   * @internal
   */
  public static _create(fleet: Construct, cameraName: string, options: CameraOptions, context: CameraFleetContext): Camera {
    return new Camera(fleet, cameraName, cameraName, options, context);
  }

  /** The camera's name: the name of its thing, of its channel and of its stream. */
  public readonly cameraName: string;

  /** The camera's AWS IoT thing (`AWS::IoT::Thing`). */
  public readonly thing: iot.CfnThing;

  /** The name of the camera's thing: what the device sends in the `x-amzn-iot-thingname` header. */
  public readonly thingName: string;

  /** The ARN of the camera's thing. */
  public readonly thingArn: string;

  /** The signaling channel named after the thing, to which the camera connects as master. */
  public readonly channel: SignalingChannel;

  /** The stream named after the thing that the channel records into, if the camera records. */
  public readonly stream?: Stream;

  /** The ARN of the camera's certificate, if one was given. */
  public readonly certificateArn?: string;

  private constructor(scope: Construct, id: string, cameraName: string, options: CameraOptions, context: CameraFleetContext) {
    super(scope, id);
    this.validateProps(options, context);
    // Before any resource: a second camera of that name in this stack (another fleet's) fails here, not as a
    // duplicate channel name.
    claimUniqueName(this, CAMERA, 'cameraName', cameraName);

    this.cameraName = cameraName;
    this.certificateArn = options.certificateArn;
    this.thing = new iot.CfnThing(this, 'Thing', {
      thingName: cameraName,
      attributePayload: options.attributes === undefined ? undefined : { attributes: options.attributes },
    });
    refuseSnapshotByEveryRoute(this, this.thing, CAMERA);
    this.thingName = this.thing.ref;
    this.thingArn = this.thing.attrArn;

    if (options.record) {
      const images = options.images ?? context.cameraImages;
      const notificationTopic = options.notificationTopic ?? context.cameraNotificationTopic;
      this.stream = new Stream(this, 'Stream', {
        streamName: cameraName,
        dataRetention: options.retention ?? Duration.hours(24),
        removalPolicy: options.streamRemovalPolicy,
        images,
        notificationTopic,
      });
      // WebRTC ingestion: the device's credentials are the fleet role's, and the documentation has the producer's
      // role write the images (and, here, publish the notifications).
      if (context.role !== undefined) {
        grantImageAndNotificationDelivery(context.role, iam.Grant.drop(context.role, 'images and notifications'), images, notificationTopic, undefined);
      }
    }
    // Named exactly as the thing: the credentials provider's role reaches `channel/${credentials-iot:ThingName}/*`.
    this.channel = new SignalingChannel(this, 'Channel', {
      signalingChannelName: cameraName,
      mediaStorage: this.stream ? { stream: this.stream } : undefined,
    });

    if (options.certificateArn !== undefined && context.policyName !== undefined) {
      // EXCLUSIVE_THING: the certificate is attached to this thing only, so the device that holds it can name no
      // other thing in x-amzn-iot-thingname (the credentials provider refuses a thing not attached to the
      // certificate: https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html).
      const attachments = [
        new iot.CfnThingPrincipalAttachment(this, 'ThingCertificate', {
          thingName: this.thing.ref,
          principal: options.certificateArn,
          thingPrincipalType: 'EXCLUSIVE_THING',
        }),
        new iot.CfnPolicyPrincipalAttachment(this, 'PolicyCertificate', {
          policyName: context.policyName,
          principal: options.certificateArn,
        }),
      ];
      for (const attachment of attachments) refuseSnapshotByEveryRoute(this, attachment, CAMERA);
    }
  }

  private validateProps(options: CameraOptions, context: CameraFleetContext): void {
    checkProperties(this, CAMERA, {
      types: [
        typeProblem('record', options.record, 'boolean'),
        durationProblem('retention', options.retention, 'Duration.hours(24)'),
        typeProblem('certificateArn', options.certificateArn, 'string'),
        stringMapProblem('attributes', options.attributes),
        removalPolicyProblem(CAMERA_STREAM, options.streamRemovalPolicy, 'streamRemovalPolicy'),
      ],
      values: () => [
        ['certificateArn', options.certificateArn, certificateArnProblem],
        // Checked here, under the camera's own option, rather than as the stream's dataRetention.
        ['retention', options.retention?.isUnresolved() ? undefined : options.retention?.toHours({ integral: false }), cameraRetentionProblem],
      ],
      relations: () => this.relationProblems(options, context),
    });
  }

  /** A certificate of another account or region than the camera's stack cannot be attached to its thing. */
  private certificateEnvironmentProblems(certificateArn: string | undefined): string[] {
    // A malformed ARN is refused by its own rule; only a well-formed one names an account and region.
    if (certificateArn === undefined || Token.isUnresolved(certificateArn) || certificateArnProblem(certificateArn) !== undefined) return [];
    const { account, region } = environmentOfArn(this, certificateArn);
    const stack = Stack.of(this);
    if (!environmentsDiffer({ account, region }, stack, true)) return [];
    return [`certificateArn is a certificate of account ${account}, region ${region}, not of the stack's (account ${stack.account}, ` +
      `region ${stack.region}): a thing is attached to a certificate of its own account and region`];
  }

  private relationProblems(options: CameraOptions, context: CameraFleetContext): string[] {
    const problems: string[] = [];
    if (options.retention !== undefined && !options.record) {
      problems.push(`retention ${options.retention.toHumanString()} is given but record is not true: only a recording camera has a stream; ` +
        'set record: true, or leave retention out');
    }
    if (options.streamRemovalPolicy !== undefined && !options.record) {
      problems.push(`streamRemovalPolicy ${options.streamRemovalPolicy} is given but record is not true: only a recording camera has a ` +
        'stream; set record: true, or leave streamRemovalPolicy out');
    }
    if (options.attributes !== undefined) {
      problems.push(...thingAttributesProblems(options.attributes, value => Token.isUnresolved(value)));
    }
    problems.push(...this.certificateEnvironmentProblems(options.certificateArn));
    for (const [field, value] of [['images', options.images], ['notificationTopic', options.notificationTopic]] as const) {
      if (value !== undefined && !options.record) {
        problems.push(`${field} is given but record is not true: only a recording camera has a stream to take them; set record: true, or leave ${field} out`);
      } else if (value !== undefined && context.role === undefined) {
        problems.push(`${field} is given to a camera of an imported fleet, whose role is in another stack: it could not be granted ` +
          'their delivery; give them to the camera in the fleet\'s own stack');
      }
    }
    if (options.record && !context.recordingAllowed) {
      problems.push('record is true but the fleet was imported without recordingAllowed: the role its devices get could not ' +
        'record; declare the fleet with recording: true and import it with recordingAllowed: true');
    }
    if (options.certificateArn !== undefined && context.policyName === undefined) {
      problems.push('certificateArn is given but the fleet was imported without its policyName: the certificate could not be ' +
        'allowed to ask for credentials; give policyName to CameraFleet.fromCameraFleetAttributes');
    }
    return problems;
  }
}
