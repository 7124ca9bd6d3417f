/**
 * What the provider's handler asks of each kind of resource it manages. The request's common part (the
 * deadline, the pacing, the answer to CloudFormation: run-request.ts) is the same for every kind; a kind is a
 * folder of lambda/ beside signaling-channel/, named in the handler's table of kinds (its index.ts).
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { KinesisVideoCalls } from './kinesis-video-calls';
import { Logger } from './logger';

/** What the handler answers CloudFormation on success. */
export interface ResourceResult {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

/**
 * What a request has done so far, readable when it fails: a Create that fails after its resource exists
 * must answer with that resource's id, so that CloudFormation's next Delete removes it.
 */
export interface RequestProgress {
  createdPhysicalResourceId?: string;
}

/** What a kind's request works with, bounded by the request's deadline. */
export interface ResourceRequest {
  readonly calls: KinesisVideoCalls;
  readonly log: Logger;
  readonly progress: RequestProgress;
  /** How long a last look may take after the deadline (did a failed create make its resource?). */
  readonly lastLookMs: number;
  /** The time now (epoch ms). */
  readonly now: () => number;
}

export interface ResourceKind {
  /**
   * PhysicalResourceId prefix of a Create that failed before its resource existed: the Delete that
   * CloudFormation sends next recognises it and deletes nothing.
   */
  readonly noResourceIdPrefix: string;
  /** What a stack holds many of, as a Reason names them ("deploy fewer channels per stack"). */
  readonly pluralNoun: string;
  /** Create, update or delete the resource of one request. */
  handle(event: CloudFormationCustomResourceEvent, request: ResourceRequest): Promise<ResourceResult>;
}
