import { ResourceFamily } from '../core/resource-family';
import {
  CHANNEL_ARN_PATTERN,
  channelNameProblem,
  channelTagCountProblem,
  channelTagProblems,
} from '../handler-shared/signaling-channel-rules';

/** Signaling channels, for the rules every resource of this library shares (`core/`). */
export const SIGNALING_CHANNEL: ResourceFamily = {
  noun: 'signaling channel',
  service: 'kinesisvideo',
  arnResourceType: 'channel',
  arnAttribute: 'signalingChannelArn',
  nameAttribute: 'signalingChannelName',
  arnPattern: CHANNEL_ARN_PATTERN,
  arnFormat: 'arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation time>',
  importsByName: true,
  nameGeneratedWhenOmitted: true,
  arnEndsAfterName: true,
  importsWithArn: ['fromSignalingChannelArn', 'fromSignalingChannelAttributes'],
  nameProblem: channelNameProblem,
  tagProblems: channelTagProblems,
  tagCountProblem: channelTagCountProblem,
};
