/**
 * One custom resource in one stack, as CloudFormation plays it against the CloudFormation double's response
 * endpoint: the events of Create, Update (with its cleanup Delete after a replacement), Delete and the
 * rollbacks, with every scalar in ResourceProperties turned into a string as CloudFormation does.
 */
import { randomBytes, randomUUID } from 'crypto';
import type { CloudFormationDouble, CustomResourceEvent, CustomResourceResponse, SigningOptions } from './cloudformation-double';

/** Runs the function for one event (the Lambda invocation) and resolves when it has finished. */
export type Invoker<R> = (event: CustomResourceEvent) => Promise<R>;

/** One event CloudFormation sent and what came of it. */
export interface Exchange<R> {
  readonly event: CustomResourceEvent;
  readonly invocation: R;
  /** The response CloudFormation accepted (the first valid one), or undefined: it would wait for the timeout. */
  readonly response?: CustomResourceResponse;
}

/** Every event of one stack operation (e.g. an Update and its cleanup Delete), in order. */
export interface StackOperation<R> {
  readonly exchanges: Array<Exchange<R>>;
  /** The first exchange: the request the operation is about. */
  readonly first: Exchange<R>;
  /** Whether the stack operation as a whole completed (no FAILED answer, no missing answer). */
  readonly succeeded: boolean;
}

export interface CustomResourceOptions<R> {
  readonly stackName: string;
  /** The stack's id, for a second resource of the same stack. @default a new one */
  readonly stackId?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly logicalResourceId: string;
  readonly resourceType: string;
  /** The function's ARN; CloudFormation also passes it in ResourceProperties. */
  readonly serviceToken: string;
  /** How the function is run for each event. */
  readonly invoke: Invoker<R>;
}

/** Template properties as CloudFormation delivers them to a custom resource: every scalar a string. */
export function asDelivered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asDelivered);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asDelivered(inner)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/**
 * One custom resource in one stack, as CloudFormation tracks it: its current properties and physical id,
 * and the events CloudFormation sends for each stack operation.
 */
export class CustomResourceUnderTest<R> {
  public readonly stackId: string;
  /** The properties CloudFormation holds for the resource (as in the template), after the last operation. */
  public properties?: Record<string, unknown>;
  /** The resource's physical id, after the last operation. */
  public physicalResourceId?: string;
  /** Every exchange of every operation, in order. */
  public readonly history: Array<Exchange<R>> = [];
  public invoke: Invoker<R>;

  constructor(private readonly cfn: CloudFormationDouble, private readonly options: CustomResourceOptions<R>) {
    const region = options.region ?? 'us-east-1';
    this.stackId = options.stackId ?? `arn:aws:cloudformation:${region}:${options.accountId ?? '123456789012'}:stack/${options.stackName}/${randomUUID()}`;
    this.invoke = options.invoke;
  }

  /**
   * Stack create. If the resource answers FAILED (or not at all), the stack rolls back: CloudFormation sends
   * a Delete with the PhysicalResourceId of the failed answer (or one it invents if there was none).
   * `beforeRollback` runs between the two: what happens in the world while CloudFormation turns around.
   */
  public async create(
    properties: Record<string, unknown>,
    options: { beforeRollback?: () => void | Promise<void> } = {},
  ): Promise<StackOperation<R>> {
    const created = await this.send(this.newEvent('Create', properties));
    if (created.response?.Status === 'SUCCESS') {
      this.properties = properties;
      this.physicalResourceId = created.response.PhysicalResourceId;
      return operation([created], true);
    }
    await options.beforeRollback?.();
    const rollbackId = created.response?.PhysicalResourceId ?? `${this.options.logicalResourceId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const rollback = await this.send(this.newEvent('Delete', properties, { PhysicalResourceId: rollbackId }));
    this.properties = undefined;
    this.physicalResourceId = undefined;
    return operation([created, rollback], false);
  }

  /**
   * Stack update to new properties.
   * - SUCCESS with a new id is a replacement: unless the stack then fails (`laterResourceFails`),
   *   CloudFormation deletes the old id in its cleanup phase.
   * - FAILED (or `laterResourceFails`): the stack rolls back. A resource that was updated in place, or
   *   whose own update failed, gets an Update with old and new properties swapped; a replacement that
   *   succeeded is deleted in the rollback cleanup, and the old one stays.
   * `beforeRollback` runs before the rollback's first event: CloudFormation puts the previous template's
   * other resources back meanwhile (the function's role and its policy, say).
   */
  public async update(
    properties: Record<string, unknown>,
    options: { laterResourceFails?: boolean; beforeRollback?: () => void | Promise<void> } = {},
  ): Promise<StackOperation<R>> {
    const oldProperties = this.requireProperties();
    const oldId = this.physicalResourceId!;
    const updated = await this.send(this.newEvent('Update', properties, { PhysicalResourceId: oldId, OldResourceProperties: oldProperties }));
    const succeeded = updated.response?.Status === 'SUCCESS';
    const newId = updated.response?.PhysicalResourceId;

    if (succeeded && !options.laterResourceFails) {
      this.properties = properties;
      this.physicalResourceId = newId;
      if (newId === oldId) return operation([updated], true);
      const cleanup = await this.send(this.newEvent('Delete', oldProperties, { PhysicalResourceId: oldId }));
      return operation([updated, cleanup], cleanup.response?.Status === 'SUCCESS');
    }

    await options.beforeRollback?.();
    if (succeeded && newId !== oldId) {
      // Rollback of a replacement: the old resource is kept as it was, the new one is deleted.
      const cleanup = await this.send(this.newEvent('Delete', properties, { PhysicalResourceId: newId! }));
      return operation([updated, cleanup], false);
    }
    const rollback = await this.send(this.newEvent('Update', oldProperties, { PhysicalResourceId: oldId, OldResourceProperties: properties }));
    if (rollback.response?.Status === 'SUCCESS') {
      this.physicalResourceId = rollback.response.PhysicalResourceId;
    }
    return operation([updated, rollback], false);
  }

  /** Stack delete (or removal of the resource from the template). */
  public async delete(): Promise<StackOperation<R>> {
    const deleted = await this.send(this.newEvent('Delete', this.requireProperties(), { PhysicalResourceId: this.physicalResourceId! }));
    if (deleted.response?.Status === 'SUCCESS') {
      this.properties = undefined;
      this.physicalResourceId = undefined;
    }
    return operation([deleted], deleted.response?.Status === 'SUCCESS');
  }

  /** Deliver an event (possibly again: Lambda retries asynchronous invocations) and collect the answer. */
  public async send(event: CustomResourceEvent): Promise<Exchange<R>> {
    const earlier = this.cfn.responsesTo(event.RequestId).length;
    const invocation = await this.invoke(event);
    const exchange: Exchange<R> = { event, invocation, response: this.cfn.acceptedResponse(event, earlier) };
    this.history.push(exchange);
    return exchange;
  }

  /**
   * The event CloudFormation would send next for this resource; `extra.signedAt` signs its response URL at
   * another moment than now (see `SigningOptions`).
   */
  public newEvent(
    requestType: CustomResourceEvent['RequestType'],
    properties: Record<string, unknown>,
    extra: { PhysicalResourceId?: string; OldResourceProperties?: Record<string, unknown> } & SigningOptions = {},
  ): CustomResourceEvent {
    return this.cfn.event({
      RequestType: requestType,
      ServiceToken: this.options.serviceToken,
      StackId: this.stackId,
      RequestId: randomUUID(),
      LogicalResourceId: this.options.logicalResourceId,
      ResourceType: this.options.resourceType,
      ResourceProperties: this.delivered(properties),
      ...(extra.PhysicalResourceId !== undefined ? { PhysicalResourceId: extra.PhysicalResourceId } : {}),
      ...(extra.OldResourceProperties !== undefined ? { OldResourceProperties: this.delivered(extra.OldResourceProperties) } : {}),
    }, { signedAt: extra.signedAt });
  }

  private delivered(properties: Record<string, unknown>): Record<string, unknown> {
    return asDelivered({ ServiceToken: this.options.serviceToken, ...properties }) as Record<string, unknown>;
  }

  private requireProperties(): Record<string, unknown> {
    if (this.properties === undefined || this.physicalResourceId === undefined) {
      throw new Error(`${this.options.logicalResourceId} does not exist in the stack: create it first`);
    }
    return this.properties;
  }
}

function operation<R>(exchanges: Array<Exchange<R>>, succeeded: boolean): StackOperation<R> {
  return { exchanges, first: exchanges[0], succeeded };
}
