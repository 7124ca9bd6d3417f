/**
 * What a deployment would take from a synthesized cloud assembly: the Lambda function's code (the staged
 * asset directory, found through the asset manifest from the function's S3Key) and its handler, and each
 * custom resource's properties with the few intrinsics CloudFormation would resolve at deploy time.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import type { LambdaFunctionConfig, NodeRuntime } from './lambda-process';

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface Template {
  readonly Resources: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
}

interface AssetManifest {
  readonly files: Record<string, {
    readonly source: { readonly path: string; readonly packaging?: string };
    readonly destinations: Record<string, { readonly objectKey: string }>;
  }>;
}

/** A Lambda function of the template, as Lambda would run it. */
export interface DeployedFunction {
  readonly logicalId: string;
  /** The staged asset: what Lambda would unpack into /var/task. */
  readonly assetDir: string;
  readonly handler: string;
  /** e.g. 'nodejs22.x'. */
  readonly runtime: string;
  readonly timeoutSeconds: number;
  /** The ARN CloudFormation resolves `Fn::GetAtt [function, Arn]` to. */
  readonly arn: string;
  /** The function's environment variables, as the template sets them. */
  readonly environment: Record<string, string>;
  /** The stack's region, where the function runs. */
  readonly region: string;
}

/**
 * How Lambda would run `fn` here: its code, handler and environment from the template, on `runtime`, with the
 * SDK pointed at the Kinesis Video double and trusting the CloudFormation double's certificate.
 */
export function runOnDoubles(
  fn: DeployedFunction,
  runtime: NodeRuntime,
  doubles: { kvs: { endpoint: string }; cfn: { caCertPath: string } },
  timeoutMs = fn.timeoutSeconds * 1000,
): LambdaFunctionConfig {
  return {
    assetDir: fn.assetDir,
    handler: fn.handler,
    runtime,
    timeoutMs,
    region: fn.region,
    environment: { ...fn.environment, AWS_ENDPOINT_URL_KINESIS_VIDEO: doubles.kvs.endpoint, NODE_EXTRA_CA_CERTS: doubles.cfn.caCertPath },
  };
}

export interface SynthesizedStack {
  /** The cloud assembly directory (a temp dir: remove it when done). */
  readonly outdir: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: Template;
  /** The custom resources of a type, by logical id, properties resolved (ServiceToken included). */
  customResources(resourceType: string): Record<string, Record<string, unknown>>;
  /** The function a custom resource's ServiceToken points at. */
  serviceFunction(resourceType: string): DeployedFunction;
  /**
   * The identity policy of the role that runs the function serving `resourceType`, as IAM would hold it
   * once CloudFormation deployed the stack with id `stackId`: its inline policies' statements, resolved.
   */
  functionRolePolicy(resourceType: string, stackId: string): { Version: string; Statement: unknown[] };
  /**
   * The stack's `AWS::KinesisVideo::Stream`s as CloudFormation would have created them (named as
   * `deployedNameOf`, created at `DEPLOYED_STREAM_CREATED_AT`), for an e2e suite to put in the Kinesis Video double.
   */
  deployedStreams(): Array<{ name: string; createdAt: number; dataRetentionInHours: number }>;
}

/**
 * Synthesize a one-stack app into a fresh temp directory (outside the repository, so the staged asset
 * cannot lean on the repository's node_modules) and read it back.
 *
 * `parameters` are the stack parameter values given at deploy time.
 */
export function synthesizeStack(
  stackName: string,
  stackProps: StackProps & { env: { account: string; region: string } },
  build: (stack: Stack) => void,
  parameters: Record<string, string> = {},
): SynthesizedStack {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-e2e-'));
  const app = new App({ outdir });
  const stack = new Stack(app, stackName, stackProps);
  build(stack);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stackName);
  const template = artifact.template as Template;
  const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stackName}.assets.json`), 'utf8')) as AssetManifest;
  const { account, region } = stackProps.env;

  const functionArn = (logicalId: string) => `arn:aws:lambda:${region}:${account}:function:${stackName}-${logicalId}`;
  const resolve = (value: unknown, stackId?: string): unknown =>
    resolveIntrinsics(value, { stackName, stackId, account, region, template, parameters, functionArn });

  const customResources = (resourceType: string) => Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === resourceType)
      .map(([logicalId, resource]) => [logicalId, resolve(resource.Properties ?? {}) as Record<string, unknown>]),
  );

  const serviceFunction = (resourceType: string): DeployedFunction => {
    const tokens = new Set(Object.values(customResources(resourceType)).map(properties => String(properties.ServiceToken)));
    if (tokens.size !== 1) throw new Error(`expected one function serving ${resourceType}, found ${tokens.size}`);
    const [token] = tokens;
    const logicalId = Object.keys(template.Resources).find(id => functionArn(id) === token);
    const fn = logicalId === undefined ? undefined : template.Resources[logicalId];
    if (logicalId === undefined || fn?.Type !== 'AWS::Lambda::Function') {
      throw new Error(`the ServiceToken ${token} of ${resourceType} is not a Lambda function of this stack`);
    }
    const properties = fn.Properties!;
    const s3Key = (properties.Code as { S3Key?: string }).S3Key;
    const asset = Object.values(assets.files)
      .find(file => Object.values(file.destinations).some(destination => destination.objectKey === s3Key));
    if (!asset || asset.source.packaging !== 'zip') {
      throw new Error(`no directory asset uploaded as ${s3Key} in ${stackName}.assets.json`);
    }
    return {
      logicalId,
      assetDir: path.join(assembly.directory, asset.source.path),
      handler: String(properties.Handler),
      runtime: String(properties.Runtime),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      arn: token,
      environment: resolve((properties.Environment as { Variables?: object } | undefined)?.Variables ?? {}) as Record<string, string>,
      region,
    };
  };

  const functionRolePolicy = (resourceType: string, stackId: string) => {
    const fn = template.Resources[serviceFunction(resourceType).logicalId];
    const roleRef = (fn.Properties!.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    const role = roleRef === undefined ? undefined : template.Resources[roleRef];
    if (role?.Type !== 'AWS::IAM::Role') throw new Error(`the function serving ${resourceType} has no role of this stack`);
    const policies = (role.Properties!.Policies ?? []) as Array<{ PolicyDocument: { Statement: unknown[] } }>;
    return { Version: '2012-10-17', Statement: policies.flatMap(policy => resolve(policy.PolicyDocument.Statement, stackId) as unknown[]) };
  };

  const deployedStreams = () => Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::KinesisVideo::Stream')
    .map(([logicalId, resource]) => ({
      name: deployedNameOf(stackName, logicalId, resource),
      createdAt: DEPLOYED_STREAM_CREATED_AT,
      dataRetentionInHours: (resource.Properties?.DataRetentionInHours as number | undefined) ?? 0,
    }));

  return { outdir, stackName, account, region, template, customResources, serviceFunction, functionRolePolicy, deployedStreams };
}

interface ResolveContext {
  readonly stackName: string;
  /** The stack's id, where something refers to it (`Ref: AWS::StackId`). */
  readonly stackId?: string;
  readonly account: string;
  readonly region: string;
  readonly template: Template;
  readonly parameters: Record<string, string>;
  readonly functionArn: (logicalId: string) => string;
}

/**
 * What CloudFormation creates for the user's resources that a custom resource names, as `deployedNameOf` names
 * them (a generated name: `<stack name>-<logical id>`, lower case for buckets), and a stream's ARN ends with
 * `DEPLOYED_STREAM_CREATED_AT`: an e2e suite puts the stream in the Kinesis Video double under that ARN.
 */
export const DEPLOYED_STREAM_CREATED_AT = 1_700_000_000_000;

export function deployedNameOf(stackName: string, logicalId: string, resource: { Type: string; Properties?: Record<string, unknown> }): string {
  const given = resource.Properties?.Name;
  if (typeof given === 'string') return given;
  const generated = `${stackName}-${logicalId}`;
  return resource.Type === 'AWS::S3::Bucket' ? generated.toLowerCase() : generated;
}

function deployedAttribute(ctx: ResolveContext, logicalId: string, attribute: 'Ref' | 'Arn'): string | undefined {
  const resource = ctx.template.Resources[logicalId];
  if (resource === undefined) return undefined;
  const name = deployedNameOf(ctx.stackName, logicalId, resource as { Type: string; Properties?: Record<string, unknown> });
  switch (`${resource.Type} ${attribute}`) {
    case 'AWS::KinesisVideo::Stream Ref': return name;
    case 'AWS::KinesisVideo::Stream Arn': return `arn:aws:kinesisvideo:${ctx.region}:${ctx.account}:stream/${name}/${DEPLOYED_STREAM_CREATED_AT}`;
    case 'AWS::S3::Bucket Ref': return name;
    case 'AWS::S3::Bucket Arn': return `arn:aws:s3:::${name}`;
    case 'AWS::SNS::Topic Ref': return `arn:aws:sns:${ctx.region}:${ctx.account}:${name}`;
    default: return undefined;
  }
}

/** The intrinsics a custom resource's properties use here; anything else is a test that needs more. */
function resolveIntrinsics(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map(item => resolveIntrinsics(item, ctx));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === 'Ref') {
    const name = String(entries[0][1]);
    const pseudo: Record<string, string> = {
      'AWS::StackName': ctx.stackName,
      'AWS::AccountId': ctx.account,
      'AWS::Region': ctx.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name in pseudo) return pseudo[name];
    const deployed = deployedAttribute(ctx, name, 'Ref');
    if (deployed !== undefined) return deployed;
    if (name === 'AWS::StackId' && ctx.stackId !== undefined) return ctx.stackId;
    if (ctx.template.Parameters?.[name]) {
      const given = ctx.parameters[name] ?? ctx.template.Parameters[name].Default;
      if (given === undefined) throw new Error(`parameter ${name} has no value and no default`);
      return given;
    }
    throw new Error(`cannot resolve Ref ${name} at test time`);
  }
  if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt') {
    const [logicalId, attribute] = entries[0][1] as [string, string];
    if (ctx.template.Resources[logicalId]?.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
      return ctx.functionArn(logicalId);
    }
    if (ctx.template.Resources[logicalId]?.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn') {
      return `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${ctx.stackName}-${logicalId}:*`;
    }
    const deployed = attribute === 'Arn' ? deployedAttribute(ctx, logicalId, 'Arn') : undefined;
    if (deployed !== undefined) return deployed;
    throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} at test time`);
  }
  if (entries.length === 1 && entries[0][0] === 'Fn::Join') {
    const [separator, parts] = entries[0][1] as [string, unknown[]];
    return parts.map(part => resolveIntrinsics(part, ctx)).join(separator);
  }
  if (entries.length === 1 && entries[0][0].startsWith('Fn::')) {
    throw new Error(`cannot resolve ${entries[0][0]} at test time`);
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolveIntrinsics(inner, ctx)]));
}
