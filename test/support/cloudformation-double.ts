/**
 * A local stand-in for CloudFormation's side of the custom-resource protocol.
 *
 * - It serves the pre-signed response URLs over HTTPS on 127.0.0.1 with a self-signed certificate made at
 *   start (with the `openssl` CLI), so the handler's real HTTPS PUT is exercised. Give the handler's process
 *   `NODE_EXTRA_CA_CERTS=<caCertPath>` to trust it.
 * - Its URLs are shaped like the real ones, SigV4 query-string presigned: `X-Amz-Date` says when the event
 *   was signed (what a handler can tell its age by) and `X-Amz-Expires=7199`. An event can be signed in the
 *   past (`signedAt`), as one that waited in Lambda's queue before its invocation. A PUT after the URL's
 *   expiry is refused (403) as S3 refuses it; a response that arrives after the resource's ServiceTimeout,
 *   counted from the signing, is recorded `late` and not taken: CloudFormation had given up waiting.
 * - It records every response and checks it against the protocol: a PUT to the URL it issued, with the
 *   empty content type the URL is signed for, a JSON body of at most 4,096 bytes, Status SUCCESS or FAILED,
 *   a non-empty PhysicalResourceId of at most 1 KB, StackId / RequestId / LogicalResourceId echoed, a Reason
 *   on FAILED, and on a Delete the id it was given.
 * - It plays CloudFormation's sequences for one custom resource (`CustomResourceUnderTest`, custom-resource-under-test.ts): Create, Update
 *   (with OldResourceProperties, cleanup Delete of the old id after a replacement), Delete, and the
 *   rollbacks (Delete after a failed Create; swapped Update after a failed one), with every scalar in
 *   ResourceProperties turned into a string as CloudFormation does.
 *
 *   const cfn = await CloudFormationDouble.start();
 *   const resource = cfn.customResource({ stackName, logicalResourceId, resourceType, serviceToken, invoke });
 *   const create = await resource.create(properties);   // create.final.response?.Status ...
 *   cfn.problems()                                       // protocol violations seen, [] when all is well
 *   await cfn.stop();
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { CustomResourceOptions, CustomResourceUnderTest } from './custom-resource-under-test';
import { MAX_PHYSICAL_ID_BYTES, MAX_RESPONSE_BYTES } from '../../lambda/custom-resource/cfn-response';

/** What CloudFormation's response URLs carry as X-Amz-Expires: valid for just under 2 hours. */
export const RESPONSE_URL_EXPIRES_SECONDS = 7199;
/** How long CloudFormation waits for a custom resource's answer when its ServiceTimeout property is absent. */
export const DEFAULT_SERVICE_TIMEOUT_SECONDS = 3600;

/** What CloudFormation sends to the function (the `aws-lambda` CloudFormationCustomResourceEvent). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** The body of a response, as far as it parsed. */
export interface ResponseBody {
  readonly Status?: unknown;
  readonly Reason?: unknown;
  readonly PhysicalResourceId?: unknown;
  readonly StackId?: unknown;
  readonly RequestId?: unknown;
  readonly LogicalResourceId?: unknown;
  readonly NoEcho?: unknown;
  readonly Data?: unknown;
}

/** One PUT received on a response URL. */
export interface RecordedResponse {
  readonly requestId: string;
  readonly requestType: string;
  readonly rawBody: string;
  readonly bytes: number;
  readonly body?: ResponseBody;
  /** Protocol violations; empty when the response is valid. */
  readonly problems: string[];
  /** The HTTP status the double answered (a refused PUT is retried by a well-behaved handler). */
  readonly answeredStatus: number;
  /** Epoch milliseconds when the PUT's body had arrived. */
  readonly receivedAt: number;
  /** Epoch milliseconds when the event's URL was signed (its X-Amz-Date); undefined for a URL never issued. */
  readonly signedAt?: number;
  /**
   * It arrived after the request's ServiceTimeout (counted from the signing): CloudFormation had already
   * failed the resource, so it does not take the answer, however valid.
   */
  readonly late: boolean;
}

/** A valid response, typed. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}


interface IssuedUrl {
  readonly event: Omit<CustomResourceEvent, 'ResponseURL'>;
  readonly path: string;
  /** Epoch milliseconds, whole seconds: what X-Amz-Date says. */
  readonly signedAt: number;
}

/** Options of an event's signing. */
export interface SigningOptions {
  /**
   * When CloudFormation signed the event's response URL, epoch milliseconds (kept to the second, as
   * X-Amz-Date has it): in the past for an event that waited in Lambda's queue. @default now
   */
  readonly signedAt?: number;
}

/** An X-Amz-Date: `YYYYMMDDTHHMMSSZ`, UTC. */
export function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** When a response URL was signed (its X-Amz-Date), epoch milliseconds; undefined when it carries none. */
export function responseUrlSignedAt(url: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(new URL(url, 'https://localhost').searchParams.get('X-Amz-Date') ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The ServiceTimeout CloudFormation applies to a request: the resource's property, else the default. */
export function serviceTimeoutSecondsOf(event: Pick<CustomResourceEvent, 'ResourceProperties'>): number {
  const declared = Number(event.ResourceProperties.ServiceTimeout);
  return Number.isFinite(declared) && declared > 0 ? declared : DEFAULT_SERVICE_TIMEOUT_SECONDS;
}

export class CloudFormationDouble {
  /** Start the response endpoint on 127.0.0.1 and a random port, with a fresh self-signed certificate. */
  public static async start(): Promise<CloudFormationDouble> {
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-double-'));
    const { keyPath, certPath } = makeSelfSignedCertificate(certDir);
    const double = new CloudFormationDouble(certDir, certPath, fs.readFileSync(keyPath), fs.readFileSync(certPath));
    await new Promise<void>((resolve, reject) => {
      double.server.once('error', reject);
      double.server.listen(0, '127.0.0.1', () => resolve());
    });
    return double;
  }

  /** Every PUT received, valid or not. */
  public readonly responses: RecordedResponse[] = [];
  private readonly server: https.Server;
  private readonly issued = new Map<string, IssuedUrl>();
  private refusals: number[] = [];

  private constructor(private readonly certDir: string, public readonly caCertPath: string, key: Buffer, cert: Buffer) {
    this.server = https.createServer({ key, cert }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', chunk => chunks.push(chunk as Buffer));
      request.on('end', () => {
        const status = this.receive(request.method ?? '', request.url ?? '', request.headers, Buffer.concat(chunks));
        response.writeHead(status, { 'content-type': 'application/xml' });
        response.end();
      });
    });
  }

  /** The next `times` valid PUTs are refused with `status` (as S3 does when it is briefly unavailable). */
  public refuseNextResponses(times: number, status = 503): void {
    for (let i = 0; i < times; i++) this.refusals.push(status);
  }

  /** Every protocol violation seen so far, each prefixed with its request. */
  public problems(): string[] {
    return this.responses.flatMap(r => r.problems.map(problem => `${r.requestType} ${r.requestId}: ${problem}`));
  }

  /** The responses to one request. */
  public responsesTo(requestId: string): RecordedResponse[] {
    return this.responses.filter(r => r.requestId === requestId);
  }

  /** The response URLs it issued: a credential that must never show up in logs. */
  public issuedUrls(): string[] {
    return [...this.issued.values()].map(issued => this.urlOf(issued.path));
  }

  /** One custom resource of one stack, driven the way CloudFormation drives it. */
  public customResource<R>(options: CustomResourceOptions<R>): CustomResourceUnderTest<R> {
    return new CustomResourceUnderTest(this, options);
  }

  /**
   * Build the event CloudFormation would send, with a fresh pre-signed response URL signed at `signedAt`:
   * the query string of a real one, parameters in the same order, the credential scoped to the stack's
   * region and the signing day.
   */
  public event(fields: Omit<CustomResourceEvent, 'ResponseURL'>, options: SigningOptions = {}): CustomResourceEvent {
    const signedAt = Math.floor((options.signedAt ?? Date.now()) / 1000) * 1000;
    const date = amzDate(signedAt);
    const region = fields.StackId.split(':')[3] || 'us-east-1';
    const credential = encodeURIComponent(`AKIAIOSFODNN7EXAMPLE/${date.slice(0, 8)}/${region}/s3/aws4_request`);
    const key = encodeURIComponent(`${fields.StackId}|${fields.LogicalResourceId}|${fields.RequestId}`);
    const signature = randomBytes(32).toString('hex');
    const urlPath = `/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-SignedHeaders=host` +
      `&X-Amz-Expires=${RESPONSE_URL_EXPIRES_SECONDS}&X-Amz-Credential=${credential}&X-Amz-Signature=${signature}`;
    this.issued.set(urlPath, { event: fields, path: urlPath, signedAt });
    return { ...fields, ResponseURL: this.urlOf(urlPath) };
  }

  /**
   * The response CloudFormation takes for an event: the first valid one accepted for the event's request in
   * time (within its ServiceTimeout), among those that arrived after the first `skip` (so that a delivery of
   * the same event again is judged by its own answer, not the earlier one).
   */
  public acceptedResponse(event: CustomResourceEvent, skip = 0): CustomResourceResponse | undefined {
    const accepted = this.responsesTo(event.RequestId).slice(skip)
      .find(r => r.problems.length === 0 && r.answeredStatus === 200 && !r.late && r.requestType === event.RequestType);
    return accepted?.body as CustomResourceResponse | undefined;
  }

  public async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    fs.rmSync(this.certDir, { recursive: true, force: true });
  }

  private urlOf(urlPath: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `https://127.0.0.1:${port}${urlPath}`;
  }

  private receive(method: string, url: string, headers: Record<string, unknown>, raw: Buffer): number {
    const problems: string[] = [];
    const issued = this.issued.get(url);
    const rawBody = raw.toString('utf8');
    let body: ResponseBody | undefined;
    if (method !== 'PUT') problems.push(`response sent with ${method}, not PUT`);
    if (!issued) problems.push('response sent to a URL CloudFormation did not issue (path or signature altered)');
    // The URL is signed for an empty content type: S3 refuses any other with SignatureDoesNotMatch.
    const contentType = headers['content-type'];
    if (contentType !== undefined && contentType !== '') {
      problems.push(`content-type '${String(contentType)}' does not match the pre-signed URL (must be empty)`);
    }
    if (raw.length > MAX_RESPONSE_BYTES) {
      problems.push(`body is ${raw.length} bytes; CloudFormation accepts at most ${MAX_RESPONSE_BYTES}`);
    }
    try {
      body = JSON.parse(rawBody) as ResponseBody;
    } catch {
      problems.push('body is not JSON');
    }
    if (body !== undefined) {
      problems.push(...bodyProblems(body, issued?.event));
    }
    const signatureRejected = contentType !== undefined && contentType !== '';
    const receivedAt = Date.now();
    // S3 refuses a presigned URL past its X-Amz-Expires ("Request has expired"): not the handler's protocol
    // error, the answer simply cannot be given any more.
    const expired = issued !== undefined && receivedAt > issued.signedAt + RESPONSE_URL_EXPIRES_SECONDS * 1000;
    const late = issued !== undefined && receivedAt > issued.signedAt + serviceTimeoutSecondsOf(issued.event) * 1000;
    const refusal = problems.length === 0 && !expired ? this.refusals.shift() : undefined;
    const answeredStatus = !issued ? 403 : signatureRejected || expired ? 403 : refusal ?? 200;
    this.responses.push({
      requestId: issued?.event.RequestId ?? String(body?.RequestId ?? ''),
      requestType: issued?.event.RequestType ?? 'Unknown',
      rawBody,
      bytes: raw.length,
      body,
      problems,
      answeredStatus,
      receivedAt,
      signedAt: issued?.signedAt,
      late,
    });
    return answeredStatus;
  }
}

function bodyProblems(body: ResponseBody, event: Omit<CustomResourceEvent, 'ResponseURL'> | undefined): string[] {
  const problems: string[] = [];
  if (body.Status !== 'SUCCESS' && body.Status !== 'FAILED') {
    problems.push(`Status must be SUCCESS or FAILED, got ${JSON.stringify(body.Status)}`);
  }
  if (typeof body.PhysicalResourceId !== 'string' || body.PhysicalResourceId.length === 0) {
    problems.push('PhysicalResourceId is missing');
  } else if (Buffer.byteLength(body.PhysicalResourceId) > MAX_PHYSICAL_ID_BYTES) {
    problems.push(`PhysicalResourceId is ${Buffer.byteLength(body.PhysicalResourceId)} bytes; it can be at most 1 KB`);
  }
  if (body.Status === 'FAILED' && (typeof body.Reason !== 'string' || body.Reason.length === 0)) {
    problems.push('a FAILED response must carry a Reason');
  }
  if (body.Reason !== undefined && typeof body.Reason !== 'string') {
    problems.push('Reason must be a string');
  }
  if (body.NoEcho !== undefined && typeof body.NoEcho !== 'boolean') {
    problems.push('NoEcho must be a boolean');
  }
  if (body.Data !== undefined && (body.Data === null || typeof body.Data !== 'object' || Array.isArray(body.Data))) {
    problems.push('Data must be an object');
  }
  if (event) {
    for (const field of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
      if (body[field] !== event[field]) {
        problems.push(`${field} must echo the request's (${JSON.stringify(event[field])}), got ${JSON.stringify(body[field])}`);
      }
    }
    // CloudFormation forgets the resource after a Delete; answering with another id means the handler
    // deleted (or thinks it deleted) something else. aws-cdk-lib's provider framework refuses it too.
    if (event.RequestType === 'Delete' && body.PhysicalResourceId !== event.PhysicalResourceId) {
      problems.push(`a Delete must answer with the id it was given (${event.PhysicalResourceId}), got ${String(body.PhysicalResourceId)}`);
    }
  }
  return problems;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI (node's crypto cannot issue one). */
function makeSelfSignedCertificate(dir: string): { keyPath: string; certPath: string } {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=cloudformation-double',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'pipe' });
  return { keyPath, certPath };
}
