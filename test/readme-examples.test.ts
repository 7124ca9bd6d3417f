/**
 * Every TypeScript example of the README, run together in one app (the package's name resolved to this source
 * tree): their stack names are distinct, so a reader can paste any of them into one app, and the app
 * synthesizes. The "Deploy" section's tables are then checked against what that app's templates hold.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ts from 'typescript';
import * as library from '../src';
import { ELASTIC_CHANNEL_REGIONS, MESSAGING_REGIONS } from '../src/chime/chime-rules';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const EXAMPLES = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(match => match[1]);

/** Run every example with `new App()` giving the one shared app; return it, and the stacks each example added. */
function runAllInOneApp(): { app: App; stacksByExample: string[][] } {
  const app = new App();
  // `new App()` in an example returns the shared app: a constructor that returns an object yields that object.
  const SharedApp = function () { return app; };
  const cdkWithSharedApp = new Proxy(cdk, { get: (target, name) => name === 'App' ? SharedApp : Reflect.get(target, name) });
  const modules: { [name: string]: unknown } = {
    'aws-cdk-lib': cdkWithSharedApp,
    'aws-cdk-lib/aws-cloudwatch': cloudwatch,
    'aws-cdk-lib/aws-iam': iam,
    'aws-cdk-lib/aws-kms': kms,
    'aws-cdk-lib/aws-s3': s3,
    'aws-cdk-lib/aws-sns': sns,
    'cdk-kvs-signaling-channel': library,
  };
  const requireForExample = (name: string) => {
    if (!(name in modules)) throw new Error(`an example imports ${name}, which this test does not provide`);
    return modules[name];
  };
  const stacksByExample = EXAMPLES.map(source => {
    const before = new Set(app.node.children.map(child => child.node.id));
    // An example that is a whole program ends with `app.synth()` (the polyglot apps' TypeScript twin): in one app
    // the synth comes once, after every example, as a reader pasting them together would keep it.
    const { outputText } = ts.transpileModule(source.replace(/^app\.synth\(\);$/m, ''), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
    new Function('require', 'exports', outputText)(requireForExample, {});
    return app.node.children.map(child => child.node.id).filter(id => !before.has(id));
  });
  return { app, stacksByExample };
}

const { app, stacksByExample } = runAllInOneApp();
const assembly = app.synth();

test('every example adds stacks of its own: no two share a stack name', () => {
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(11);
  // Each example declares at least one stack; a name used twice would have thrown ("There is already a Construct").
  for (const stacks of stacksByExample) expect(stacks.length).toBeGreaterThan(0);
  const names = stacksByExample.flat();
  expect(new Set(names).size).toBe(names.length);
});

test('the app of all the examples synthesizes, with a template per stack', () => {
  const stackNames = assembly.stacks.map(stack => stack.stackName).sort();
  expect(stackNames).toEqual(stacksByExample.flat().sort());
  for (const stack of assembly.stacks) expect(Object.keys(stack.template.Resources ?? {}).length).toBeGreaterThan(0);
});

describe('Deploy', () => {
  const deploy = README.slice(README.indexOf('\n## Deploy\n'), README.indexOf('\n## ', README.indexOf('\n## Deploy\n') + 1));

  test('every resource type the examples\' templates hold is in the Deploy section', () => {
    const types = new Set(assembly.stacks.flatMap(stack =>
      Object.values(stack.template.Resources as Record<string, { Type: string }>).map(resource => resource.Type)));
    expect(types.size).toBeGreaterThan(10);
    expect([...types].filter(type => !deploy.includes(`\`${type}\``))).toEqual([]);
  });

  test('the stacks deploy through the bootstrap roles the section names', () => {
    const stack = assembly.getStackByName('DoorbellAppStack');
    expect(stack.assumeRoleArn).toContain('cdk-hnb659fds-deploy-role-');
    expect(deploy).toContain('`cdk-hnb659fds-deploy-role-<account>-<region>`');
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'DoorbellAppStack.assets.json'), 'utf8'));
    expect(JSON.stringify(manifest.files)).toContain('cdk-hnb659fds-file-publishing-role-');
    expect(deploy).toContain('`cdk-hnb659fds-file-publishing-role-<account>-<region>`');
  });

  test('the regions table is the library\'s: Chime\'s regions, elastic channels, and recording refused in China', () => {
    const regions = deploy.slice(deploy.indexOf('**Regions.**'));
    const chimeRow = /^\| `chime` \| (.*) \|$/m.exec(regions)![1];
    expect(chimeRow).toContain(`${MESSAGING_REGIONS.join(' and ')}, the regions Chime SDK messaging is offered in`);
    expect(chimeRow).toContain(`elastic channels only in ${ELASTIC_CHANNEL_REGIONS.join(', ')}`);
    expect(chimeRow).toContain('`cdk-kvs-signaling-channel:chimeRegionUnknown`');

    const china = new Stack(new App(), 'ChinaStack', { env: { region: 'cn-north-1' } });
    const stream = new library.Stream(china, 'Recordings');
    expect(() => new library.SignalingChannel(china, 'Doorbell', { mediaStorage: { stream } })).toThrow(/not available in the China regions/);
    expect(deploy).toContain('refused at synth in the China regions (`cn-*`)');
  });
});
