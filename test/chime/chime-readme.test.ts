/**
 * The README's "Chime SDK messaging channels" section says only what is so: its example synthesizes, its
 * tables name the seed's parameters and the grants' actions, and its upgrade note (docs/upgrading.md) names the peer range.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ts from 'typescript';
import * as library from '../../src';
import { MODERATE_ACTIONS, READ_ACTIONS, SEND_MESSAGE_ACTIONS } from '../../src/chime/channel-actions';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "## ${heading}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const CHIME = section('Chime SDK messaging channels');

/** Run the section's example, with the package's name resolved to this source tree; return its app. */
function runExample(): App {
  const source = /```ts\n([\s\S]*?)```/.exec(CHIME)![1];
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  let app: App | undefined;
  const modules: { [name: string]: unknown } = { 'aws-cdk-lib': cdk, 'aws-cdk-lib/aws-iam': iam, 'cdk-kvs-signaling-channel': library };
  const requireForExample = (name: string) => {
    if (!(name in modules)) throw new Error(`the example imports ${name}, which this test does not provide`);
    return modules[name];
  };
  // The example's last statement is not a return: capture the app from the module's scope.
  new Function('require', 'exports', 'capture', `${outputText}\ncapture(app);`)(requireForExample, {}, (made: App) => { app = made; });
  return app!;
}

test('the example synthesizes an app instance, two users, a channel and the grants', () => {
  const app = runExample();
  const stack = app.node.findChild('ChatStack') as Stack;
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Chime::AppInstance', 1);
  template.resourceCountIs('AWS::Chime::AppInstanceUser', 2);
  template.resourceCountIs('AWS::Chime::Channel', 1);
  template.hasResourceProperties('AWS::Chime::Channel', { Name: 'Lobby', Mode: 'RESTRICTED', Privacy: 'PRIVATE' });
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Action: SEND_MESSAGE_ACTIONS[0] }, { Action: [...READ_ACTIONS] }] },
  });
});

test('the create_channel table has a row for every parameter of the seed\'s create_channel', () => {
  const rows = [...CHIME.matchAll(/^\| `(\w+)` \| /gm)].map(match => match[1]);
  expect(rows).toEqual(['AppInstanceArn', 'Name', 'Mode', 'Privacy', 'Metadata', 'ClientRequestToken', 'Tags', 'ChimeBearer']);
});

test('the grants list names exactly the actions each grant gives', () => {
  const listed = (method: string) => {
    const line = new RegExp(`^- \`${method}\\(grantee, \\.\\.\\.bearers\\)\`: ([\\s\\S]*?)\\n(- |\\n)`, 'm').exec(CHIME)![1];
    return [...line.matchAll(/`(?:chime:)?(\w+)`/g)].map(match => `chime:${match[1]}`).sort();
  };
  expect(listed('grantSendMessages')).toEqual([...SEND_MESSAGE_ACTIONS].sort());
  expect(listed('grantRead')).toEqual([...READ_ACTIONS].sort());
  expect(listed('grantModerate')).toEqual([...MODERATE_ACTIONS].sort());
});

test('the upgrade note names the peer range package.json declares', () => {
  const range = PACKAGE.peerDependencies['aws-cdk-lib'];
  expect(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'upgrading.md'), 'utf8')).toContain(`So the peer range stays \`${range}\``);
});
