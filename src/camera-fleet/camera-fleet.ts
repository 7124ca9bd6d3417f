import { Annotations, CfnResource, Duration, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Camera, CameraFleetContext, CameraOptions } from './camera';
import {
  MIN_ROLE_SESSION_SECONDS,
  STACK_RESOURCE_LIMIT,
  cameraNameProblem,
  credentialDurationProblem,
  policyNameProblem,
  resourcesPerCamera,
  roleAliasNameProblem,
} from './camera-fleet-rules';
import { suppressThingScopedWildcards, thingScopedPolicies } from './thing-scoped-policy';
import { validationError } from '../core/errors';
import { IAM_ROLE_INLINE_POLICY_LIMIT, iamCountedLength, listedArnLength } from '../core/iam-policy-size';
import { checkProperties } from '../core/property-checks';
import { durationProblem, isDuration, requiredProblem, typeProblem } from '../core/property-types';
import { refuseSnapshotByEveryRoute } from '../core/removal-policy-rules';
import { arnOfName } from '../core/resource-arn';
import { ArnFamily, NamedFamily } from '../core/resource-family';
import { claimUniqueName } from '../core/unique-names';
import { CONNECT_AS_VIEWER_ACTIONS } from '../signaling-channel/channel-actions';
import { SIGNALING_CHANNEL } from '../signaling-channel/signaling-channel-family';
import { STREAM_READ_ACTIONS, STREAM_WRITE_ACTIONS } from '../stream/stream-actions';
import { STREAM } from '../stream/stream-family';
import { StreamImages } from '../stream/stream-images';
import { notificationTopicTypeProblem, streamImagesTypeProblems } from '../stream/stream-images-rules';

/**
 * Camera fleets, for the rules every resource of this library shares (`core/`): identified by their role alias,
 * whose ARN an import builds from its name. No tags.
 */
const CAMERA_FLEET: ArnFamily = {
  noun: 'camera fleet',
  service: 'iot',
  arnResourceType: 'rolealias',
  arnAttribute: 'roleAliasArn',
  nameAttribute: 'roleAlias',
  arnPattern: /^arn:[\w-]+:iot:[\w-]+:\d{12}:rolealias\/([\w=,@-]{1,128})$/,
  arnFormat: 'arn:<partition>:iot:<region>:<account>:rolealias/<name>',
  arnEndsAfterName: false,
  importsWithArn: [],
  nameGeneratedWhenOmitted: true,
  nameProblem: roleAliasNameProblem,
};

/** aws-cdk-lib's context key for the most resources a stack may hold (default 500). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
/** The fleet's IoT policy, whose name is unique in an account and region too. */
const IOT_POLICY: NamedFamily = { noun: 'camera fleet\'s IoT policy', nameGeneratedWhenOmitted: true };

/** The CLI's context key that makes every stack add a `CDKMetadata` resource. */
const VERSION_REPORTING_CONTEXT = 'aws:cdk:version-reporting';

/**
 * A fleet of cameras that sign in with AWS IoT: each is an IoT thing with a certificate, exchanges it at the
 * IoT credentials provider for the fleet's role, and connects to the signaling channel named after its thing.
 */
export interface ICameraFleet extends IResource {
  /**
   * The name of the fleet's role alias: what a device names when it asks the credentials provider for
   * credentials, `https://<credentials endpoint>/role-aliases/<roleAlias>/credentials`.
   *
   * @attribute
   */
  readonly roleAlias: string;

  /**
   * The ARN of the fleet's role alias.
   *
   * @attribute
   */
  readonly roleAliasArn: string;

  /**
   * The name of the fleet's AWS IoT policy, which lets a certificate ask for the role alias's credentials, if known.
   *
   * @attribute
   */
  readonly policyName?: string;

  /** The cameras added to this fleet object, in the order they were added. */
  readonly cameras: Camera[];

  /**
   * Add a camera: an AWS IoT thing named `cameraName` and the signaling channel of the same name, and, with
   * `record: true`, the Kinesis video stream of the same name that the channel records into.
   */
  addCamera(cameraName: string, options?: CameraOptions): Camera;

  /**
   * Let `grantee` (an app that watches cameras) connect as viewer to the channel of every camera of this fleet
   * object, those added before and after the grant, by name (`channel/<camera>/*`); and, as the service's
   * ingestion guide asks of viewers, write to the streams of the cameras that record.
   *
   * Live viewing only: playing recordings back is `grantPlayback`.
   */
  grantViewer(grantee: iam.IGrantable): void;

  /**
   * Let `grantee` (an app that plays recordings back) read the stream of every recording camera of this fleet
   * object, those added before and after the grant, by name (`stream/<camera>/*`): the actions of a stream's
   * `grantRead` (DescribeStream, GetDataEndpoint, GetMedia, fragments, HLS and DASH sessions, clips, images).
   * Live viewing is `grantViewer`; a camera that does not record has no stream, so nothing to play back.
   */
  grantPlayback(grantee: iam.IGrantable): void;
}

/**
 * Properties of a camera fleet.
 */
export interface CameraFleetProps {
  /**
   * How long the credentials a device gets from the credentials provider last: 900 to 43,200 whole seconds.
   * The fleet's role gets a maximum session duration of at least this (and at least an hour, IAM's minimum).
   *
   * @default Duration.hours(1), the role alias's default
   */
  readonly credentialDuration?: Duration;

  /**
   * The name of the role alias, unique in the account and region: 1-128 characters of `a-zA-Z0-9_=,@-`.
   * Devices are configured with it. Changing it replaces the role alias.
   *
   * @default - generated by CloudFormation (read it from `roleAlias`, e.g. in a stack output)
   */
  readonly roleAliasName?: string;

  /**
   * The name of the AWS IoT policy attached to the cameras' certificates: 1-128 characters of `a-zA-Z0-9_+=,.@-`.
   *
   * @default - generated by CloudFormation
   */
  readonly policyName?: string;

  /**
   * Let the fleet's role record into the streams named after the things even if no camera of this fleet object
   * records: for cameras added in other stacks through `CameraFleet.fromCameraFleetAttributes`.
   *
   * @default - only if a camera of this fleet is added with `record: true`
   */
  readonly recording?: boolean;

  /**
   * Images that the streams of the fleet's recording cameras deliver to S3, unless a camera has its own `images`.
   *
   * As `StreamProps.images`. The fleet's role gets `s3:PutObject` on the bucket's prefix.
   *
   * @default - none
   */
  readonly cameraImages?: StreamImages;

  /**
   * The SNS topic that the streams of the fleet's recording cameras notify, unless a camera has its own `notificationTopic`.
   *
   * As `StreamProps.notificationTopic`. The fleet's role gets `sns:Publish` on it.
   *
   * @default - none
   */
  readonly cameraNotificationTopic?: sns.ITopic;
}

/**
 * What identifies a camera fleet declared in another stack, to add cameras to it there.
 */
export interface CameraFleetAttributes {
  /** The name of the fleet's role alias. */
  readonly roleAliasName: string;

  /**
   * The name of the fleet's AWS IoT policy.
   *
   * @default - unknown: cameras added to the import cannot be given a `certificateArn`
   */
  readonly policyName?: string;

  /**
   * Whether the fleet's role may record (the fleet was declared with `recording: true`, or has a camera that
   * records).
   *
   * @default false: cameras added to the import cannot record
   */
  readonly recordingAllowed?: boolean;
}

/**
 * One grantee of `grantViewer` (`live`: connect as viewer, and write to the recording cameras' streams as
 * WebRTC ingestion asks) or of `grantPlayback` (read the recording cameras' streams), and the statements that
 * list the fleet's channels and streams by name.
 */
interface Viewer {
  readonly grantee: iam.IGrantable;
  readonly live: boolean;
  channels?: iam.PolicyStatement;
  streams?: iam.PolicyStatement;
}

/**
 * What every camera fleet, declared or imported, does with its cameras.
 */
export abstract class CameraFleetBase extends Resource implements ICameraFleet {
  public abstract readonly roleAlias: string;
  public abstract readonly roleAliasArn: string;
  public abstract readonly policyName?: string;

  /** Whether cameras of this fleet object may record. */
  protected abstract readonly recordingAllowed: boolean;

  private readonly cameraByName = new Map<string, Camera>();
  private readonly cameraByCertificate = new Map<string, Camera>();
  private readonly viewers: Viewer[] = [];

  public get cameras(): Camera[] {
    return [...this.cameraByName.values()];
  }

  public addCamera(cameraName: string, options: CameraOptions = {}): Camera {
    checkProperties(this, CAMERA_FLEET, {
      types: [requiredProblem('cameraName', cameraName, 'a string of 1-128 characters') ?? typeProblem('cameraName', cameraName, 'string')],
      values: () => [['cameraName', cameraName, cameraNameProblem]],
    });
    const existing = this.cameraByName.get(cameraName);
    if (existing !== undefined) {
      throw validationError(this, `camera '${cameraName}' is already in this fleet (${existing.node.path}): ` +
        'a camera\'s thing, channel and stream are named after it, and each name is unique in an account and region: ' +
        'give each camera its own name');
    }
    const certificate = options.certificateArn;
    const certificateHolder = typeof certificate === 'string' && !Token.isUnresolved(certificate)
      ? this.cameraByCertificate.get(certificate) : undefined;
    if (certificateHolder !== undefined) {
      throw validationError(this, `certificateArn '${certificate}' is already the certificate of ` +
        `${certificateHolder.node.path}: it is attached to one thing exclusively (EXCLUSIVE_THING), so that a device can sign ` +
        'in as its own thing only: give each camera its own certificate', `${this.node.path}/${cameraName}`);
    }

    const camera = Camera._create(this, cameraName, options, {
      policyName: this.policyName,
      recordingAllowed: this.recordingAllowed,
      ...this._cameraDelivery(),
    });
    this.cameraByName.set(cameraName, camera);
    if (typeof certificate === 'string' && !Token.isUnresolved(certificate)) this.cameraByCertificate.set(certificate, camera);
    if (camera.stream) this.cameraRecords();
    this.checkStackSize(camera, options);
    for (const viewer of this.viewers) this.grantViewerOn(viewer, camera);
    return camera;
  }

  public grantViewer(grantee: iam.IGrantable): void {
    this.addViewer({ grantee, live: true });
  }

  public grantPlayback(grantee: iam.IGrantable): void {
    this.addViewer({ grantee, live: false });
  }

  private addViewer(viewer: Viewer): void {
    if (this.viewers.length === 0) {
      this.node.addValidation({ validate: () => this.warnOfViewerPoliciesPastIamLimit() });
    }
    this.viewers.push(viewer);
    for (const camera of this.cameraByName.values()) this.grantViewerOn(viewer, camera);
  }

  /**
   * A viewer's statements list every camera by name: past IAM's 10,240 characters of inline policy per role, its
   * stack would fail to deploy. Say so at synth, naming the viewer, rather than widen its grant without a word.
   */
  private warnOfViewerPoliciesPastIamLimit(): string[] {
    const cameras = [...this.cameraByName.values()];
    // Counted as IAM counts the policy once CloudFormation resolved it (the stack's region where known): each
    // camera's ARNs, and the actions once.
    const { region } = Stack.of(this);
    const arnLength = (family: ArnFamily, camera: Camera) => listedArnLength(family, `${camera.cameraName}/*`, region);
    const streamsLength = cameras.reduce((total, camera) => total + (camera.stream ? arnLength(STREAM, camera) : 0), 0);
    const liveLength = iamCountedLength([...CONNECT_AS_VIEWER_ACTIONS, ...STREAM_WRITE_ACTIONS]) + streamsLength
      + cameras.reduce((total, camera) => total + arnLength(SIGNALING_CHANNEL, camera), 0);
    const playbackLength = iamCountedLength([...STREAM_READ_ACTIONS]) + streamsLength;
    for (const viewer of this.viewers) {
      const length = viewer.live ? liveLength : playbackLength;
      if (length <= IAM_ROLE_INLINE_POLICY_LIMIT) continue;
      const principal = Construct.isConstruct(viewer.grantee) ? viewer.grantee.node.path : String(viewer.grantee.grantPrincipal);
      Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:viewerPolicySize',
        `${viewer.live ? 'grantViewer' : 'grantPlayback'}(${principal}) lists the channels (and streams) of ${cameras.length} cameras in about ${length} ` +
        `characters of policy, more than the ${IAM_ROLE_INLINE_POLICY_LIMIT} IAM allows a role: the deployment would fail. Grant ` +
        'that viewer channel/* (or the channels of a name prefix) yourself, or split the fleet across stacks.');
    }
    return [];
  }

  /** A camera of this fleet records. */
  protected cameraRecords(): void {}

  /**
   * The role granted the delivery of the recording cameras' images and notifications, and the fleet's defaults.
   * @internal
   */
  protected _cameraDelivery(): Pick<CameraFleetContext, 'role' | 'cameraImages' | 'cameraNotificationTopic'> {
    return {};
  }

  /**
   * One statement for every channel (and one for every stream) of the fleet, by name (`channel/<name>/*`): an IAM
   * policy holds a few thousand characters, and a statement per camera would fill it after a few dozen cameras.
   */
  private grantViewerOn(viewer: Viewer, camera: Camera): void {
    if (viewer.live) {
      viewer.channels = addToStatement(viewer, viewer.channels, CONNECT_AS_VIEWER_ACTIONS, arnOfName(this, SIGNALING_CHANNEL, camera.cameraName));
    }
    if (camera.stream !== undefined) {
      viewer.streams = addToStatement(viewer, viewer.streams, viewer.live ? STREAM_WRITE_ACTIONS : STREAM_READ_ACTIONS,
        arnOfName(this, STREAM, camera.cameraName));
    }
  }

  /**
   * CloudFormation takes at most 500 resources in a stack (aws-cdk-lib refuses more at synth, without saying what
   * to do): refuse the camera that passes it, counting every resource of the stack so far (the fleet's, the
   * channel provider's, the user's) and the `CDKMetadata` resource the CLI adds.
   */
  private checkStackSize(camera: Camera, options: CameraOptions): void {
    const stack = Stack.of(this);
    const limit = Number(stack.node.tryGetContext(STACK_RESOURCE_LIMIT_CONTEXT) ?? STACK_RESOURCE_LIMIT);
    if (!(limit > 0)) return;
    const metadata = stack.node.tryGetContext(VERSION_REPORTING_CONTEXT) ? 1 : 0;
    const count = metadata + stack.node.findAll().filter(c => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
    if (count <= limit) return;
    const added = resourcesPerCamera({
      records: camera.stream !== undefined,
      configuresStream: camera.stream?.images !== undefined || camera.stream?.notificationTopic !== undefined,
      hasCertificate: options.certificateArn !== undefined,
    });
    throw validationError(camera, `camera '${camera.cameraName}' brings stack ${stack.node.path} to ${count} resources, ` +
      `more than the ${limit} CloudFormation allows in one stack (this camera adds ${added}: a thing and a channel, ` +
      'a stream when it records and its configuration when the stream has images or notifications, two certificate ' +
      'attachments when it has a certificate). Add further cameras in another ' +
      'stack, through CameraFleet.fromCameraFleetAttributes, or register devices with AWS IoT fleet provisioning');
  }
}

/**
 * A fleet of cameras that sign in with AWS IoT and connect to Kinesis Video WebRTC signaling channels named
 * after their things.
 *
 * Declares the IAM role the AWS IoT credentials provider hands to the cameras, its role alias, the AWS IoT
 * policy the cameras' certificates need to ask for it, and, for each camera, a thing and a signaling channel
 * of the same name (and a stream of the same name when it records). The role reaches only
 * `channel/${credentials-iot:ThingName}/*` (and `stream/${credentials-iot:ThingName}/*` when cameras record):
 * each device its own channel.
 *
 * @resource AWS::IoT::RoleAlias
 */
export class CameraFleet extends CameraFleetBase {
  /**
   * Import a fleet declared in another stack by its role alias's name, to add cameras to it there (without
   * certificates or recording: see `fromCameraFleetAttributes`).
   */
  public static fromRoleAliasName(scope: Construct, id: string, roleAliasName: string): ICameraFleet {
    return CameraFleet.fromCameraFleetAttributes(scope, id, { roleAliasName });
  }

  /**
   * Import a fleet declared in another stack of the same account and region, to add cameras to it there: past the
   * 500 resources of one stack, one stack declares the fleet and others add cameras to it, all sharing one role
   * alias (its ARN is formed in the importing stack's account and region, where the role's thing-scoped grants
   * reach).
   */
  public static fromCameraFleetAttributes(scope: Construct, id: string, attrs: CameraFleetAttributes): ICameraFleet {
    class Import extends CameraFleetBase {
      public readonly roleAlias = attrs.roleAliasName;
      public readonly roleAliasArn = arnOfName(this, CAMERA_FLEET, attrs.roleAliasName);
      public readonly policyName = attrs.policyName;
      protected readonly recordingAllowed = attrs.recordingAllowed ?? false;
    }
    // Checked before the import is constructed, so that a refused import leaves nothing in the tree.
    checkFleetAttributes(scope, id, attrs);
    return new Import(scope, id);
  }

  public readonly roleAlias: string;
  public readonly roleAliasArn: string;

  /** The name of the fleet's IoT policy: always set for a declared fleet (optional only because imports may lack it). */
  public readonly policyName?: string;

  /** The role the credentials provider hands to the cameras: add to it what else they call. */
  public readonly role: iam.Role;

  /** How long the credentials a device gets last: the role alias's CredentialDurationSeconds. */
  public readonly credentialDuration: Duration;

  protected readonly recordingAllowed = true;
  private recordingGranted: boolean;
  private readonly cameraImages?: StreamImages;
  private readonly cameraNotificationTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: CameraFleetProps = {}) {
    super(scope, id, { physicalName: props.roleAliasName });
    this.validateProps(props);
    claimUniqueName(this, CAMERA_FLEET, 'roleAliasName', props.roleAliasName);
    claimUniqueName(this, IOT_POLICY, 'policyName', props.policyName);
    this.recordingGranted = props.recording ?? false;
    this.cameraImages = props.cameraImages;
    this.cameraNotificationTopic = props.cameraNotificationTopic;
    this.credentialDuration = props.credentialDuration ?? Duration.hours(1);

    // The credentials' duration may not exceed the role's maximum session (CreateRoleAlias:
    // https://docs.aws.amazon.com/iot/latest/apireference/API_CreateRoleAlias.html); IAM's minimum is an hour.
    const seconds = this.credentialDuration.toSeconds({ integral: false });
    const maxSessionDuration = Token.isUnresolved(seconds)
      ? this.credentialDuration
      : Duration.seconds(Math.max(MIN_ROLE_SESSION_SECONDS, seconds));
    this.role = new iam.Role(this, 'Role', {
      // The AWS IoT credentials provider assumes the role for a device that presents its certificate
      // (https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html).
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      maxSessionDuration,
      description: 'Handed by the AWS IoT credentials provider to the cameras of a fleet: each reaches the channel named after its thing',
    });
    // The role's own inline policy, chosen when the template is written: with recording as soon as a camera
    // records, whatever the order of addCamera calls. One resource fewer than a separate AWS::IAM::Policy.
    const policies = thingScopedPolicies(this);
    const cfnRole = this.role.node.defaultChild as iam.CfnRole;
    cfnRole.policies = [{
      policyName: 'ThingScopedChannels',
      policyDocument: Lazy.uncachedAny({ produce: () => this.recordingGranted ? policies.recording : policies.live }),
    }];
    suppressThingScopedWildcards(cfnRole);

    const alias = new iot.CfnRoleAlias(this, 'Resource', {
      roleAlias: props.roleAliasName,
      roleArn: this.role.roleArn,
      credentialDurationSeconds: seconds,
    });
    refuseSnapshotByEveryRoute(this, alias, CAMERA_FLEET);
    this.roleAlias = this.getResourceNameAttribute(alias.ref);
    this.roleAliasArn = this.getResourceArnAttribute(alias.attrRoleAliasArn, {
      service: 'iot',
      resource: 'rolealias',
      resourceName: this.physicalName,
    });

    // Attached to the cameras' certificates: the only thing a certificate may do is exchange itself for this
    // role alias's credentials (https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html).
    const policy = new iot.CfnPolicy(this, 'Policy', {
      policyName: props.policyName,
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['iot:AssumeRoleWithCertificate'], resources: [alias.attrRoleAliasArn] })],
      }),
    });
    refuseSnapshotByEveryRoute(this, policy, CAMERA_FLEET);
    this.policyName = policy.ref;
  }

  protected cameraRecords(): void {
    this.recordingGranted = true;
  }

  /** @internal */
  protected _cameraDelivery(): Pick<CameraFleetContext, 'role' | 'cameraImages' | 'cameraNotificationTopic'> {
    return { role: this.role, cameraImages: this.cameraImages, cameraNotificationTopic: this.cameraNotificationTopic };
  }

  private validateProps(props: CameraFleetProps): void {
    checkProperties(this, CAMERA_FLEET, {
      types: [
        durationProblem('credentialDuration', props.credentialDuration, 'Duration.hours(1)'),
        typeProblem('roleAliasName', props.roleAliasName, 'string'),
        typeProblem('policyName', props.policyName, 'string'),
        typeProblem('recording', props.recording, 'boolean'),
        // The values are checked by each recording camera's stream, under its own path.
        ...streamImagesTypeProblems(props.cameraImages).map(problem => problem?.replace(/^images/, 'cameraImages')),
        notificationTopicTypeProblem(props.cameraNotificationTopic)?.replace(/^notificationTopic/, 'cameraNotificationTopic'),
      ],
      values: () => [
        ['credentialDuration', isDuration(props.credentialDuration) ? props.credentialDuration!.toSeconds({ integral: false }) : undefined, credentialDurationProblem],
        ['roleAliasName', props.roleAliasName, roleAliasNameProblem],
        ['policyName', props.policyName, policyNameProblem],
      ],
    });
  }
}

/** `resourceArn` added to a viewer's statement of `actions`, which is created (and granted) with the first one. */
function addToStatement(viewer: Viewer, statement: iam.PolicyStatement | undefined, actions: string[], resourceArn: string): iam.PolicyStatement {
  if (statement !== undefined) {
    statement.addResources(resourceArn);
    return statement;
  }
  const created = new iam.PolicyStatement({ actions, resources: [resourceArn] });
  viewer.grantee.grantPrincipal.addToPrincipalPolicy(created);
  return created;
}

/** The attributes of the fleet to be imported as `scope/id`: types, then the names' rules. */
function checkFleetAttributes(scope: Construct, id: string, attrs: CameraFleetAttributes): void {
  checkProperties(scope, CAMERA_FLEET, {
    types: [
      requiredProblem('roleAliasName', attrs.roleAliasName, 'a string of 1-128 characters') ?? typeProblem('roleAliasName', attrs.roleAliasName, 'string'),
      typeProblem('policyName', attrs.policyName, 'string'),
      typeProblem('recordingAllowed', attrs.recordingAllowed, 'boolean'),
    ],
    values: () => [
      ['roleAliasName', attrs.roleAliasName, roleAliasNameProblem],
      ['policyName', attrs.policyName, policyNameProblem],
    ],
  }, `${scope.node.path}/${id}`);
}
