/** The signaling channel, as a kind of resource of the provider's handler. */
import { handleChannelEvent } from './channel-lifecycle';
import { ChannelService } from './channel-service';
import { NO_CHANNEL_ID_PREFIX } from '../../src/handler-shared/handler-contract';
import { ResourceKind } from '../custom-resource/resource-kind';

export const signalingChannelKind: ResourceKind = {
  noResourceIdPrefix: NO_CHANNEL_ID_PREFIX,
  pluralNoun: 'channels',
  handle: (event, { calls, ...request }) => handleChannelEvent(event, { ...request, service: new ChannelService(calls) }),
};
