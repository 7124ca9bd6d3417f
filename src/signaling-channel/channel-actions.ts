/**
 * The IAM actions a WebRTC peer needs on a signaling channel, shared by the channel's own grants and the grants
 * for IoT things (`iot/thing-channel-grants.ts`), so that a thing gets exactly what a peer of a channel gets.
 */

/** What every WebRTC peer needs before it connects, as master or as viewer. */
const PEER_ACTIONS = [
  'kinesisvideo:DescribeSignalingChannel',
  'kinesisvideo:GetSignalingChannelEndpoint',
  'kinesisvideo:GetIceServerConfig',
];

export const CONNECT_AS_MASTER_ACTIONS = [...PEER_ACTIONS, 'kinesisvideo:ConnectAsMaster'];
export const CONNECT_AS_VIEWER_ACTIONS = [...PEER_ACTIONS, 'kinesisvideo:ConnectAsViewer'];

/** What a master of a recording channel needs on the channel besides connecting (WebRTC ingestion). */
export const STORAGE_MASTER_ACTIONS = [
  'kinesisvideo:JoinStorageSession',
  'kinesisvideo:DescribeMediaStorageConfiguration',
];
