/**
 * The Kinesis Video double's fault injection: the next calls of an operation answered with a fault instead of
 * being served, and actions run just before the next call of an operation (another client racing the caller).
 */
import { ACCESS_DENIED_STATUS, Input, KinesisVideoOperation, ServiceError } from './kinesis-video-wire';

export type FaultKind =
  | 'throttle'
  | 'resourceInUse'
  | 'accessDenied'
  | 'invalidArgument'
  | 'internalError'
  | 'dropConnection'
  | 'dropConnectionAfterApplying';

export interface InjectedFault {
  readonly kind: FaultKind;
  /** Replaces the error's message (e.g. a very long one). */
  readonly message?: string;
}

/** Faults and races queued per operation, each taken by the next call of its operation (FIFO). */
export class FaultInjector<Double> {
  private readonly faults = new Map<KinesisVideoOperation, InjectedFault[]>();
  private readonly hooks = new Map<KinesisVideoOperation, Array<(input: Input, double: Double) => void>>();

  /** The next `times` calls of `operation` answer with `kind` (queued in order). */
  public inject(operation: KinesisVideoOperation, kind: FaultKind, times: number, message?: string): void {
    const queue = this.faults.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push({ kind, message });
    this.faults.set(operation, queue);
  }

  /** Faults injected and not yet consumed, per operation. */
  public pending(): Partial<Record<KinesisVideoOperation, FaultKind[]>> {
    return Object.fromEntries([...this.faults]
      .filter(([, queue]) => queue.length > 0)
      .map(([op, queue]) => [op, queue.map(fault => fault.kind)]));
  }

  /** The fault that answers this call of `operation`, if one is queued (it is consumed). */
  public takeFault(operation: KinesisVideoOperation): InjectedFault | undefined {
    return this.faults.get(operation)?.shift();
  }

  /** Run `action` once, just before the next call of `operation` is served. */
  public beforeNext(operation: KinesisVideoOperation, action: (input: Input, double: Double) => void): void {
    const queue = this.hooks.get(operation) ?? [];
    queue.push(action);
    this.hooks.set(operation, queue);
  }

  /** Run the action queued for this call of `operation`, if any (it is consumed). */
  public runBefore(operation: KinesisVideoOperation, input: Input, double: Double): void {
    this.hooks.get(operation)?.shift()?.(input, double);
  }
}

/** The error a fault answers with, as the service words it unless `message` replaces it. */
export function faultError(fault: Exclude<FaultKind, 'dropConnection' | 'dropConnectionAfterApplying'>, message?: string): ServiceError {
  switch (fault) {
    case 'throttle':
      return new ServiceError('ClientLimitExceededException', message ??
        'Kinesis Video Streams has throttled the request because you have exceeded the limit of allowed client calls');
    case 'resourceInUse':
      return new ServiceError('ResourceInUseException', message ?? 'The signaling channel is not in the ACTIVE state');
    case 'accessDenied':
      return new ServiceError('AccessDeniedException', message ?? 'User is not authorized to perform this action', ACCESS_DENIED_STATUS);
    case 'invalidArgument':
      return new ServiceError('InvalidArgumentException', message ?? 'The value for this input parameter is invalid');
    case 'internalError':
      return new ServiceError('InternalFailure', message ?? 'We encountered an internal error. Please try again.', 500);
  }
}
