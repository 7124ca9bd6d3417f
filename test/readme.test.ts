/**
 * The README says only what is so: each claim below is read from README.md (or API.md) and checked against
 * the code, the project's configuration or the behaviour it describes. The local install command is also
 * checked by `package:verify`, which installs the tarball from the path the README gives.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Fact, FactName } from 'aws-cdk-lib/region-info';
import { SignalingChannel, SignalingChannelType } from '../src';
import { LAMBDA_NODE_VERSION } from './support/lambda-process';

const REPO_ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const README = read('README.md');
/** The docs/ pages the README links to for what is not usage: each claim there is checked like the README's. */
const CONTRIBUTING = read('docs/contributing.md');
const HOW_IT_WORKS = read('docs/how-it-works.md');
const TESTING = read('docs/testing.md');
const PACKAGE = JSON.parse(read('package.json'));
const TASKS = JSON.parse(read('.projen/tasks.json'));

/** The text of a `## ` (or, with `level` 3, `### `) section of a page (the README by default), heading excluded. */
function section(heading: string, text: string = README, level: 2 | 3 = 2): string {
  const marker = '#'.repeat(level);
  const start = text.indexOf(`\n${marker} ${heading}\n`);
  if (start < 0) throw new Error(`no section "${marker} ${heading}"`);
  const body = start + 1 + marker.length;
  const next = [...text.slice(body).matchAll(/^#{2,3} /gm)]
    .map(match => body + match.index!)
    .find(index => text.slice(index).match(/^#+/)![0].length <= level);
  return text.slice(start, next);
}

/** The commands of each ```sh block of a text, comments and blank lines left out. */
function shellCommands(text: string): string[][] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map(block => block[1].split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#')));
}

/** The first match of `pattern` in `text`, or a failure naming what is missing. */
function claim(text: string, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`README makes no claim matching ${pattern}`);
  return match;
}

describe('commands', () => {
  test('"Build and test": the first command installs, the second does not install again', () => {
    const [first, second] = shellCommands(section('Build and test: two commands', CONTRIBUTING));
    expect(first).toEqual(['npm ci && npx projen example']);
    expect(second).toEqual(['npx projen build']);
  });

  test('the README\'s test command from a clean clone is, verbatim, the one .ci/run runs', () => {
    const ciRun = read('.ci/run');
    const verbatim = claim(ciRun, /# --- the README's test command, verbatim ---\n(.*)\n# ---\n/)[1];
    const stated = claim(section('Build and test: two commands', CONTRIBUTING), /From a clean clone, without step 1, the test command is `([^`]+)`/)[1];
    expect(verbatim).toBe(stated);
    expect(stated.startsWith('npm ci && ')).toBe(true);
    expect(CONTRIBUTING).toContain('`.ci/run` runs it in a clean clone');
  });

  test('the README\'s own two commands: the example app, then the test command .ci/run runs', () => {
    const [first, second] = shellCommands(section('Try it in this repository: two commands', README, 3));
    expect(first).toEqual(['npm ci && npx projen example']);
    const verbatim = claim(read('.ci/run'), /# --- the README's test command, verbatim ---\n(.*)\n# ---\n/)[1];
    expect(second).toEqual([verbatim]);
  });

  test('`npx projen test` is described with every step the test task runs', () => {
    const description = claim(CONTRIBUTING, /^- `npx projen test`: ([\s\S]*?)\n- /m)[1];
    const steps: Array<{ execArgs?: string[]; spawn?: string }> = TASKS.tasks.test.steps;
    const names = steps.map(step => step.spawn ?? step.execArgs![0]);
    expect(names).toEqual(['jest', 'eslint', 'typecheck', 'integ']);
    for (const name of names) expect(description).toContain(name);
  });
});

describe('install', () => {
  const install = () => section('Install', README, 3);

  test('the local install command names the tarball jsii-pacmak writes for this package and version', () => {
    const command = shellCommands(install())[0][0];
    expect(command).toBe(`npm install /path/to/cdk-kvs-signaling-channel/dist/js/${PACKAGE.name}@${PACKAGE.version}.jsii.tgz`);
    expect(install()).toContain('not on a public registry yet');
  });

  test('the peer dependency ranges are package.json\'s', () => {
    for (const [name, range] of Object.entries(PACKAGE.peerDependencies)) {
      expect(install()).toContain(`\`${name}\` \`${range}\``);
    }
  });
});

describe('Get started', () => {
  const getStarted = section('Get started');

  test('the pack-only command, and the pack task does what the README says: bundle, compile, the npm tarball; no tests', () => {
    const commands = shellCommands(section('Build the package', README, 3))[0];
    expect(commands[commands.length - 1]).toBe('npm ci && npx projen pack');
    const steps: Array<{ spawn?: string }> = TASKS.tasks.pack.steps;
    expect(steps.map(step => step.spawn)).toEqual(['bundle', 'compile', 'package:js']);
    expect(TASKS.tasks['package:js'].steps[0].execArgs).toEqual(['jsii-pacmak', '-v', '--target', 'js']);
    expect(getStarted).toContain(`bundles the handler, compiles with jsii and writes \`dist/js/${PACKAGE.name}@${PACKAGE.version}.jsii.tgz\``);
  });

  test('from an empty folder: cdk init, then the same install command as "Install", then synth', () => {
    const [setup, synth] = shellCommands(section('Your first stack, from an empty folder', README, 3));
    expect(setup).toEqual([
      'mkdir doorbell-app && cd doorbell-app',
      'npx aws-cdk@2 init app --language typescript',
      shellCommands(section('Install', README, 3))[0][0],
    ]);
    expect(synth).toEqual(['npx cdk synth']);
    // cdk init names the app's entry point after the folder.
    expect(getStarted).toContain('replace\n`bin/doorbell-app.ts`');
  });

  test('one sentence on Node.js versions, in "What you need"', () => {
    expect(README.match(/\*\*Node\.js\*\*/g)).toHaveLength(1);
    const sentence = claim(section('What you need', README, 3), /\*\*Node\.js\*\*: ([^.]*\.[^.]*\.\d+\))\./)[1];
    expect(sentence).toMatch(/22 or 24/);
    expect(README).not.toMatch(/Node\.js 20 or newer|use 22 or 24/);
  });

  test('"Install" shows every language the build packages, and says what .NET gets', () => {
    const install = section('Install', README, 3);
    for (const language of ['TypeScript', 'Python', 'Java', 'Go']) expect(install).toContain(`\n#### ${language}\n`);
    expect(install).toContain('**.NET**: there is no .NET SDK');
  });
});

describe('links', () => {
  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  const slug = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
  const headings = (text: string) => new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(match => slug(match[1])));

  test('every anchor of the README, the table of contents included, is a heading of it', () => {
    const anchors = [...README.matchAll(/\]\(#([^)]+)\)/g)].map(match => match[1]);
    expect(anchors.length).toBeGreaterThan(10);
    const known = headings(README);
    expect(anchors.filter(anchor => !known.has(anchor))).toEqual([]);
  });

  test('the table of contents lists every ## section', () => {
    const contents = section('Contents');
    const sections = [...README.matchAll(/^## (.+)$/gm)].map(match => match[1]).filter(heading => heading !== 'Contents');
    for (const heading of sections) expect(contents).toContain(`(#${slug(heading)})`);
  });

  test('every relative link of the README and of docs/ names a file that exists, and a heading of it', () => {
    const pages = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`)];
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target] of read(page).matchAll(/\]\(([^)#:\s]+\.md)(#[^)]*)?\)/g)) {
        const file = path.normalize(path.join(path.dirname(page), target));
        if (!fs.existsSync(path.join(REPO_ROOT, file))) broken.push(`${page} -> ${target}`);
      }
      for (const [, target, anchor] of read(page).matchAll(/\]\(([^)#:\s]+\.md)#([^)]+)\)/g)) {
        const file = path.normalize(path.join(path.dirname(page), target));
        if (fs.existsSync(path.join(REPO_ROOT, file)) && !headings(read(file)).has(anchor)) broken.push(`${page} -> ${target}#${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('the internals live in the docs/ pages the README links to', () => {
    for (const [page, heading] of [
      ['docs/how-it-works.md', '# How it works'], ['docs/big-stacks.md', '# In a big stack'], ['docs/testing.md', '# How it is tested'],
      ['docs/contributing.md', '# Contributing'], ['docs/upgrading.md', '# Upgrade notes'],
    ]) {
      expect(read(page).startsWith(`${heading}\n`)).toBe(true);
      expect(README).toContain(`](${page})`);
    }
    for (const moved of ['How it works', 'In a big stack', 'How it is tested', 'Contributing', 'Upgrade notes', 'Try it: two commands']) {
      expect(README).not.toContain(`\n## ${moved}\n`);
    }
  });
});

describe('Node.js', () => {
  /** The environment every projen task runs with (.projen/tasks.json, from `.projenrc.ts`). */
  const TASK_ENV: Record<string, string> = TASKS.env;

  test('the variables the README names are set for every task, as the README gives them', () => {
    for (const name of ['JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']) {
      expect(TASK_ENV[name]).toBeDefined();
      expect(section('Build and test: two commands', CONTRIBUTING)).toContain(`\`${name}=${TASK_ENV[name]}\``);
    }
  });

  test('jsii prints no end-of-life banner with the tasks\' environment', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'jsii', 'bin', 'jsii'), '--version'], {
      encoding: 'utf8',
      env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: TASK_ENV.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION },
    });
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).not.toMatch(/end-of-life/);
  });

  test('the AWS SDK emits no Node.js version warning with the tasks\' environment, and does without it', () => {
    const emitFor = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['-e',
      'require("@aws-sdk/core/client").emitWarningIfUnsupportedVersion("v18.0.0")'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined, ...env },
    }).stderr;

    expect(emitFor({})).toMatch(/NodeVersionSupportWarning/);
    expect(emitFor({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: TASK_ENV.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED })).toBe('');
  });

  test('the Node.js the end-to-end suite runs the handler under is the one the README names', () => {
    expect(section('Build and test: two commands', CONTRIBUTING)).toContain(`bundled handler under Node.js ${LAMBDA_NODE_VERSION}`);
    expect(TESTING).toContain(`under Node.js ${LAMBDA_NODE_VERSION}`);
  });

  test('the runtime: the one aws-cdk-lib\'s region facts list, at the aws-cdk-lib the tests use', () => {
    const cdkVersion = JSON.parse(read('node_modules/aws-cdk-lib/package.json')).version;
    const runtime = Fact.find('us-east-1', FactName.LATEST_NODE_RUNTIME);
    expect(HOW_IT_WORKS).toContain(`${runtime} with aws-cdk-lib ${cdkVersion}`);

    const stack = new Stack(new App(), 'TestStack', { env: { region: 'us-east-1' } });
    new SignalingChannel(stack, 'Channel');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Runtime: runtime });
  });
});

describe('the provider role', () => {
  /** A stack with `count` channels whose explicit names are `length` characters long. */
  function stackWithNames(count: number, length: number): Stack {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    for (let i = 0; i < count; i++) {
      new SignalingChannel(stack, `Channel${i}`, { signalingChannelName: `c${i}-`.padEnd(length, 'x') });
    }
    return stack;
  }

  function widened(stack: Stack): boolean {
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    const resources = stack.resolve(role.Properties.Policies[0].PolicyDocument.Statement[0].Resource);
    return JSON.stringify(resources).includes(':channel/*"');
  }

  const [, namesOf20, namesOf256] = claim(HOW_IT_WORKS,
    /while the explicit names fit\s+the policy's budget, about (\d+) names of 20 characters \((\d+) of the longest, 256\)/).map(Number);

  test.each([[namesOf20, 20], [namesOf256, 256]])('%i explicit names of %i characters fit; one more widens the role to channel/*, with a warning', (count, length) => {
    expect(widened(stackWithNames(count, length))).toBe(false);

    const past = stackWithNames(count + 1, length);
    expect(widened(past)).toBe(true);
    Annotations.fromStack(past).hasWarning('/TestStack/KinesisVideoSignalingChannelProvider',
      Match.stringLikeRegexp('\\[ack: cdk-kvs-signaling-channel:policyWidened\\]'));
    expect(README).toContain('`cdk-kvs-signaling-channel:policyWidened`');
    // The camera-fleet section gives the same budget.
    expect(README).toContain(`about ${namesOf20} names of 20 characters`);
  });
});

describe('properties', () => {
  test('channelType cannot change: SINGLE_MASTER is its only value', () => {
    expect(Object.values(SignalingChannelType)).toEqual(['SINGLE_MASTER']);
    expect(README).toMatch(/\| `channelType` \| `SINGLE_MASTER` \| cannot change today: `SINGLE_MASTER` is its only value \|/);
  });
});

describe('API.md', () => {
  test('every summary in its tables is one sentence', () => {
    const summaries = read('API.md').split('\n')
      .filter(line => line.startsWith('| <code><a href='))
      .map(line => line.split(' | ').pop()!.replace(/ \|$/, ''));
    expect(summaries.length).toBeGreaterThan(20);
    const longer = summaries.filter(summary => /[.;!?]\s+[A-Z`]/.test(summary));
    expect(longer).toEqual([]);
  });
});
