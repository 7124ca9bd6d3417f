/**
 * The IAM actions of a stream's producers and consumers, shared by the stream's grants and the grants for IoT
 * things that record into the stream named after them (`iot/thing-channel-grants.ts`).
 */

/** Every stream client starts with these: find the stream and the endpoint to call. */
const ENDPOINT_ACTIONS = ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint'];

/** A producer: PutMedia (the producer SDKs, GStreamer's kvssink, WebRTC ingestion). */
export const STREAM_WRITE_ACTIONS = [...ENDPOINT_ACTIONS, 'kinesisvideo:PutMedia'];

/** A consumer: live and stored media, fragments, HLS/DASH playback, clips and images. */
export const STREAM_READ_ACTIONS = [
  ...ENDPOINT_ACTIONS,
  'kinesisvideo:GetMedia',
  'kinesisvideo:GetMediaForFragmentList',
  'kinesisvideo:ListFragments',
  'kinesisvideo:GetHLSStreamingSessionURL',
  'kinesisvideo:GetDASHStreamingSessionURL',
  'kinesisvideo:GetClip',
  'kinesisvideo:GetImages',
];

/**
 * What the service calls KMS for with the caller's credentials, per the Kinesis Video Streams developer
 * guide ("Permissions to use user-generated AWS KMS keys"): producers generate data keys, consumers decrypt.
 */
export const KMS_WRITE_ACTIONS = ['kms:GenerateDataKey'];
export const KMS_READ_ACTIONS = ['kms:Decrypt'];
