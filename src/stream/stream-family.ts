import { ResourceFamily } from '../core/resource-family';
import { resourceTagProblems } from '../handler-shared/kinesis-video-rules';
import { STREAM_ARN_PATTERN, streamNameProblem, streamTagCountProblem } from '../handler-shared/stream-rules';

/** Kinesis video streams, for the rules every resource of this library shares (`core/`). */
export const STREAM: ResourceFamily = {
  noun: 'Kinesis video stream',
  service: 'kinesisvideo',
  arnResourceType: 'stream',
  arnAttribute: 'streamArn',
  nameAttribute: 'streamName',
  arnPattern: STREAM_ARN_PATTERN,
  arnFormat: 'arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>',
  importsByName: true,
  nameGeneratedWhenOmitted: true,
  arnEndsAfterName: true,
  importsWithArn: ['fromStreamArn', 'fromStreamAttributes'],
  nameProblem: streamNameProblem,
  tagProblems: resourceTagProblems,
  tagCountProblem: streamTagCountProblem,
};
