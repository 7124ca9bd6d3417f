/**
 * The IAM actions of the channel grants, each in the Service Authorization Reference (prefix `chime`) with
 * the resource types `channel`, `app-instance-user` and `app-instance-bot`: IAM authorizes them against the
 * channel's ARN and the bearer's (the `x-amz-chime-bearer` header's) ARN.
 */

/** Send a message to the channel. */
export const SEND_MESSAGE_ACTIONS: readonly string[] = [
  'chime:SendChannelMessage',
];

/** Describe the channel, list its messages and get one. */
export const READ_ACTIONS: readonly string[] = [
  'chime:DescribeChannel',
  'chime:GetChannelMessage',
  'chime:ListChannelMessages',
];

/** Edit, redact and delete messages; ban; add, list and remove members and moderators. */
export const MODERATE_ACTIONS: readonly string[] = [
  'chime:BatchCreateChannelMembership',
  'chime:CreateChannelBan',
  'chime:CreateChannelMembership',
  'chime:CreateChannelModerator',
  'chime:DeleteChannelBan',
  'chime:DeleteChannelMembership',
  'chime:DeleteChannelMessage',
  'chime:DeleteChannelModerator',
  'chime:DescribeChannelBan',
  'chime:DescribeChannelMembership',
  'chime:DescribeChannelModerator',
  'chime:ListChannelBans',
  'chime:ListChannelMemberships',
  'chime:ListChannelModerators',
  'chime:RedactChannelMessage',
  'chime:UpdateChannelMessage',
];
