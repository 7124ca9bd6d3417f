/**
 * How old a request is, and how long CloudFormation still waits for its answer.
 *
 * CloudFormation signs each request's ResponseURL (a pre-signed S3 URL, SigV4: `X-Amz-Date` is when it was
 * signed) as it sends the request, and waits `ServiceTimeout` seconds for the answer. An event that waited
 * in Lambda's queue (an account whose concurrency is far below the stack's channel count) can start late,
 * or after CloudFormation has given up on it: then nothing it does would be answered, and a channel it made
 * would belong to nobody. The handler bounds its work by CloudFormation's wait, and does nothing for a
 * request CloudFormation has given up on.
 */
import { SERVICE_TIMEOUT_SECONDS } from '../../src/handler-shared/handler-contract';

/** `X-Amz-Date` of a SigV4 pre-signed URL: `20261202T131500Z`. */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** When the URL was signed (epoch ms, whole seconds), or undefined when it carries no SigV4 date. */
export function signedAtOf(responseUrl: string): number | undefined {
  let date: string | null;
  try {
    date = new URL(responseUrl).searchParams.get('X-Amz-Date');
  } catch {
    return undefined;
  }
  const parts = AMZ_DATE.exec(date ?? '');
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * The custom resource's ServiceTimeout in seconds, as CloudFormation delivers it among the properties (a
 * string), or the one this library's construct writes.
 */
export function serviceTimeoutSecondsOf(properties: Record<string, unknown> | undefined): number {
  const given = Number(properties?.ServiceTimeout);
  return Number.isFinite(given) && given > 0 ? given : SERVICE_TIMEOUT_SECONDS;
}

/**
 * The last moment CloudFormation takes an answer to a request signed at `signedAt`: counted from the
 * earliest it can have been signed, so never later than CloudFormation's own.
 */
export function answerDeadlineOf(signedAt: number, serviceTimeoutSeconds: number): number {
  return signedAt + serviceTimeoutSeconds * 1000;
}
