import { IResource, Names, RemovalPolicy, Resource, Token, ITaggable, TagManager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { APP_INSTANCE, APP_INSTANCE_RESOURCE_TYPE, CHIME_REMOVAL_POLICY, newChimeResource, regionProblems, warnWhenRegionUnknown } from './chime-family';
import { RESOURCE_NAME_MAX_LENGTH, metadataProblem, resourceNameProblem } from './chime-rules';
import { checkImportAttributes } from '../core/imported-resource';
import { checkProperties } from '../core/property-checks';
import { typeProblem } from '../core/property-types';
import { applyRemovalPolicy, removalPolicyProblem } from '../core/removal-policy-rules';
import { keyValueTagManager, renderedTags } from '../core/tag-rules';

/**
 * An Amazon Chime SDK app instance: the container of a messaging app's users, bots and channels.
 */
export interface IAppInstance extends IResource {
  /**
   * The ARN of the app instance: `arn:<partition>:chime:<region>:<account>:app-instance/<id>`.
   *
   * @attribute
   */
  readonly appInstanceArn: string;
}

/**
 * Properties of an app instance.
 */
export interface AppInstanceProps {
  /**
   * The app instance's name: 1-256 characters. Updated in place.
   *
   * @default - a name made from the construct's path, unique in the app
   */
  readonly appInstanceName?: string;

  /**
   * Metadata of the app instance: at most 1 KB in UTF-8. Updated in place.
   *
   * @default - none
   */
  readonly metadata?: string;

  /**
   * Tags to apply to the app instance, with those of `Tags.of(scope)`: at most 50 in all, updated in place.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the app instance when it is removed from the stack or the stack is deleted. `SNAPSHOT` is
   * refused: an app instance has no snapshot.
   *
   * @default RemovalPolicy.RETAIN: deleting an app instance deletes all its data (its users, bots, channels
   * and their messages) asynchronously and for good, so the stack keeps it unless you say otherwise
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Marks the app instances this class declares (an import is not one). */
const APP_INSTANCE_SYMBOL = Symbol.for('cdk-kvs-signaling-channel.chime.AppInstance');

/**
 * An Amazon Chime SDK app instance (`AWS::Chime::AppInstance`).
 *
 * Every property updates in place: no change replaces an app instance.
 *
 * @resource AWS::Chime::AppInstance
 */
export class AppInstance extends Resource implements IAppInstance, ITaggable {
  /**
   * Import an existing app instance by its ARN.
   */
  public static fromAppInstanceArn(scope: Construct, id: string, appInstanceArn: string): IAppInstance {
    checkImportAttributes(scope, id, APP_INSTANCE, appInstanceArn, undefined);
    class Import extends Resource implements IAppInstance {
      public readonly appInstanceArn = appInstanceArn;
    }
    return new Import(scope, id, { environmentFromArn: appInstanceArn });
  }

  /**
   * Whether `x` is an app instance declared with this class (not an import).
   */
  public static isAppInstance(x: any): x is AppInstance {
    return x !== null && typeof x === 'object' && APP_INSTANCE_SYMBOL in x;
  }

  /**
   * The ARN of the app instance (the resource's `Ref`).
   *
   * @attribute
   */
  public readonly appInstanceArn: string;

  /**
   * The app instance's name.
   */
  public readonly appInstanceName: string;

  /**
   * Tags of the app instance. `Tags.of(scope).add(...)` reaches them like any taggable aws-cdk-lib resource.
   */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: AppInstanceProps = {}) {
    super(scope, id, { physicalName: props.appInstanceName });
    Object.defineProperty(this, APP_INSTANCE_SYMBOL, { value: true });
    warnWhenRegionUnknown(this);

    this.validateProps(props);

    this.appInstanceName = props.appInstanceName ?? Names.uniqueResourceName(this, { maxLength: RESOURCE_NAME_MAX_LENGTH });
    this.tags = keyValueTagManager(this, APP_INSTANCE, APP_INSTANCE_RESOURCE_TYPE, props.tags, 'Tags');
    const resource = newChimeResource(this, APP_INSTANCE_RESOURCE_TYPE, {
      Name: this.appInstanceName,
      Metadata: props.metadata,
      Tags: renderedTags(this.tags),
    });
    applyRemovalPolicy(this, resource, APP_INSTANCE, props.removalPolicy, CHIME_REMOVAL_POLICY);
    // Ref is AppInstanceArn (the schema's primary identifier).
    this.appInstanceArn = Token.asString(resource.ref);
  }

  private validateProps(props: AppInstanceProps): void {
    checkProperties(this, APP_INSTANCE, {
      types: [
        typeProblem('appInstanceName', props.appInstanceName, 'string'),
        typeProblem('metadata', props.metadata, 'string'),
        removalPolicyProblem(APP_INSTANCE, props.removalPolicy),
      ],
      tags: props.tags,
      values: () => [
        ['appInstanceName', props.appInstanceName, resourceNameProblem],
        ['metadata', props.metadata, metadataProblem],
      ],
      relations: () => regionProblems(this),
    });
  }
}

