/** What every step of a signaling channel's request works with. */
import { ChannelService } from './channel-service';
import { ResourceRequest } from '../custom-resource/resource-kind';

export interface ChannelContext extends Omit<ResourceRequest, 'calls'> {
  readonly service: ChannelService;
}
