/**
 * The Kinesis Video double's wire protocol: what `@aws-sdk/client-kinesis-video` sends and reads (restJson1:
 * `POST` with a JSON body, errors as HTTP status + `x-amzn-errortype` header + `{ "message": ... }` body), and
 * the SigV4 signature every request carries.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';

export type KinesisVideoOperation =
  | 'CreateSignalingChannel'
  | 'DescribeSignalingChannel'
  | 'UpdateSignalingChannel'
  | 'DeleteSignalingChannel'
  | 'ListTagsForResource'
  | 'TagResource'
  | 'UntagResource'
  | 'UpdateMediaStorageConfiguration'
  | 'DescribeMediaStorageConfiguration'
  | 'DescribeMappedResourceConfiguration'
  | 'DescribeImageGenerationConfiguration'
  | 'UpdateImageGenerationConfiguration'
  | 'DescribeNotificationConfiguration'
  | 'UpdateNotificationConfiguration';

/** Request paths, exactly as the SDK's restJson1 serializer writes them. */
export const OPERATION_BY_PATH: Readonly<Record<string, KinesisVideoOperation>> = {
  '/createSignalingChannel': 'CreateSignalingChannel',
  '/describeSignalingChannel': 'DescribeSignalingChannel',
  '/updateSignalingChannel': 'UpdateSignalingChannel',
  '/deleteSignalingChannel': 'DeleteSignalingChannel',
  '/ListTagsForResource': 'ListTagsForResource',
  '/TagResource': 'TagResource',
  '/UntagResource': 'UntagResource',
  '/updateMediaStorageConfiguration': 'UpdateMediaStorageConfiguration',
  '/describeMediaStorageConfiguration': 'DescribeMediaStorageConfiguration',
  '/describeMappedResourceConfiguration': 'DescribeMappedResourceConfiguration',
  '/describeImageGenerationConfiguration': 'DescribeImageGenerationConfiguration',
  '/updateImageGenerationConfiguration': 'UpdateImageGenerationConfiguration',
  '/describeNotificationConfiguration': 'DescribeNotificationConfiguration',
  '/updateNotificationConfiguration': 'UpdateNotificationConfiguration',
};

/** A request's JSON body. */
export type Input = Record<string, unknown>;

/**
 * The service models AccessDeniedException with HTTP 401 (the `kinesisvideo` service model that
 * `@aws-sdk/client-kinesis-video` is generated from); the injected 'accessDenied' fault answers the same.
 */
export const ACCESS_DENIED_STATUS = 401;

/**
 * The header a test harness may stamp on each request with the epoch milliseconds at which its client sent it
 * (lambda-fleet.ts does). The double then counts quotas and peaks by that time: what the service sees across a
 * network of steady latency. Without it, a stall of the double's own process (it shares a busy machine with
 * the harness) would gather the calls sent during the stall into one moment, a burst the handler never sent.
 */
export const SENT_AT_HEADER = 'x-double-sent-at';

/** Region and service from a SigV4 `Authorization` header's credential scope. */
const SIGV4_SCOPE = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** A request the service refuses: an HTTP status, an error type and a message. */
export class ServiceError extends Error {
  constructor(public readonly errorType: string, message: string, public readonly httpStatus = 400) {
    super(message);
  }
}

export function invalidArgument(message: string): ServiceError {
  return new ServiceError('InvalidArgumentException', message);
}

/** When the client sent the request (`SENT_AT_HEADER`), never later than its arrival; else its arrival. */
export function sentAtOf(request: http.IncomingMessage, receivedAt: number): number {
  const stamped = Number(request.headers[SENT_AT_HEADER]);
  // Never later than its arrival: a stamp from the future (a skewed clock) would open a window of its own.
  return Number.isFinite(stamped) && stamped > 0 ? Math.min(stamped, receivedAt) : receivedAt;
}

/** The region the request was signed for (its SigV4 credential scope), or '' when it carries none. */
export function signedRegionOf(request: http.IncomingMessage): string {
  return SIGV4_SCOPE.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
}

/** The SDK signs every request with SigV4 for service `kinesisvideo`: refuse anything else, as AWS would. */
export function checkSignature(request: http.IncomingMessage): void {
  const scope = SIGV4_SCOPE.exec(String(request.headers.authorization ?? ''));
  if (!scope || request.headers['x-amz-date'] === undefined) {
    throw new ServiceError('MissingAuthenticationTokenException', 'Request is missing a SigV4 Authorization header', 403);
  }
  if (scope[2] !== 'kinesisvideo') {
    throw new ServiceError('InvalidSignatureException', `Credential should be scoped to service 'kinesisvideo', not '${scope[2]}'`, 403);
  }
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new ServiceError('SerializationException', 'Expected an application/json body');
  }
}

export function answerOutput(response: http.ServerResponse, output: object): void {
  response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(output));
}

export function answerError(response: http.ServerResponse, error: ServiceError): void {
  response.writeHead(error.httpStatus, {
    'content-type': 'application/json',
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify({ message: error.message }));
}

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk as Buffer));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function parseJsonObject(body: string): Input {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Input;
}

export function requiredString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || value.length === 0) {
    throw invalidArgument(`${member} is required`);
  }
  return value;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ServiceError('SerializationException', `${member} must be a string, got ${typeof value}`);
  }
  return value;
}
