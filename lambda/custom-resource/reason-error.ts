/**
 * An error whose message is written for the user: the handler answers CloudFormation with it as the Reason,
 * as is. Anything else that fails a request is unexpected, and its Reason says so.
 */
export class ReasonError extends Error {}
