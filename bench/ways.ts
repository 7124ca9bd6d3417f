/**
 * The three ways a stack can declare N signaling channels, with the same properties each time:
 * an explicit name, SINGLE_MASTER, a 30-second message TTL and one tag.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { CfnSignalingChannel } from 'aws-cdk-lib/aws-kinesisvideo';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SignalingChannel, Stream } from '../src';
import { AwsCustomResourceChannel } from './aws-custom-resource-channel';

export type WayId = 'library' | 'native' | 'awsCustomResource' | 'libraryRecording' | 'streams' | 'streamsWithImages';

export interface Way {
  readonly id: WayId;
  /** How the report names it. */
  readonly label: string;
  /** Add channels number 1..n to the stack. */
  addChannels(stack: Stack, n: number): void;
}

const MESSAGE_TTL_SECONDS = 30;
const TAGS = { app: 'bench' };

function channelName(i: number): string {
  return `bench-channel-${i}`;
}

export const LIBRARY: Way = {
  id: 'library',
  label: 'this library (SignalingChannel)',
  addChannels(stack, n) {
    for (let i = 1; i <= n; i++) {
      new SignalingChannel(stack, `Channel${i}`, {
        signalingChannelName: channelName(i),
        messageTtl: Duration.seconds(MESSAGE_TTL_SECONDS),
        tags: TAGS,
      });
    }
  },
};

export const NATIVE: Way = {
  id: 'native',
  label: 'native L1 (CfnSignalingChannel)',
  addChannels(stack, n) {
    for (let i = 1; i <= n; i++) {
      new CfnSignalingChannel(stack, `Channel${i}`, {
        name: channelName(i),
        type: 'SINGLE_MASTER',
        messageTtlSeconds: MESSAGE_TTL_SECONDS,
        tags: Object.entries(TAGS).map(([key, value]) => ({ key, value })),
      });
    }
  },
};

export const AWS_CUSTOM_RESOURCE: Way = {
  id: 'awsCustomResource',
  label: 'AwsCustomResource equivalent',
  addChannels(stack, n) {
    for (let i = 1; i <= n; i++) {
      new AwsCustomResourceChannel(stack, `Channel${i}`, {
        channelName: channelName(i),
        messageTtlSeconds: MESSAGE_TTL_SECONDS,
        tags: TAGS,
      });
    }
  },
};

/**
 * This library's channels, each recording into a stream of its own (a stream takes one channel): what
 * WebRTC ingestion adds to a stack. Not one of WAYS (the native resource cannot record): bench/media-storage.ts
 * compares it with LIBRARY.
 */
export const LIBRARY_RECORDING: Way = {
  id: 'libraryRecording',
  label: 'this library, each channel recording into its own Stream',
  addChannels(stack, n) {
    for (let i = 1; i <= n; i++) {
      const stream = new Stream(stack, `Recordings${i}`, { dataRetention: Duration.hours(24) });
      new SignalingChannel(stack, `Channel${i}`, {
        signalingChannelName: channelName(i),
        messageTtl: Duration.seconds(MESSAGE_TTL_SECONDS),
        tags: TAGS,
        mediaStorage: { stream },
      });
    }
  },
};

/**
 * N streams of this library, without images and notifications: the baseline of bench/stream-images.ts. Not
 * one of WAYS (they declare channels, not streams); `addChannels` adds streams here.
 */
export const STREAMS: Way = {
  id: 'streams',
  label: 'this library, Streams',
  addChannels(stack, n) {
    for (let i = 1; i <= n; i++) new Stream(stack, `Stream${i}`, { dataRetention: Duration.hours(24) });
  },
};

/** The same streams, each sending thumbnails to one bucket (a key prefix each) and notifications to one topic. */
export const STREAMS_WITH_IMAGES: Way = {
  id: 'streamsWithImages',
  label: 'this library, Streams with images and notifications',
  addChannels(stack, n) {
    const bucket = new s3.Bucket(stack, 'Thumbnails');
    const topic = new sns.Topic(stack, 'Events');
    for (let i = 1; i <= n; i++) {
      new Stream(stack, `Stream${i}`, {
        dataRetention: Duration.hours(24),
        images: { bucket, keyPrefix: `stream-${i}/` },
        notificationTopic: topic,
      });
    }
  },
};

/** The native resource first: it is what every ratio is taken against. */
export const WAYS: readonly Way[] = [NATIVE, LIBRARY, AWS_CUSTOM_RESOURCE];
