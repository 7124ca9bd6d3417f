/**
 * The README's "Get started" (its "Install" and "The same stack in Python, Java and Go") shows the very apps the build runs (test/packaging/apps/), and the install
 * commands name the files the build writes and the versions the apps are tested with.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const APPS = path.join(__dirname, 'packaging', 'apps');

function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "## ${heading}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const INSTALL = section('Get started');
const blocks = [...INSTALL.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(match => ({ language: match[1], code: match[2] }));

test.each([
  ['ts', 'typescript/app.ts'],
  ['python', 'python/app.py'],
  ['xml', 'java/pom.xml'],
  ['java', 'java/src/main/java/com/example/App.java'],
  ['go', 'go/go.mod'],
  ['go', 'go/main.go'],
])('the README shows %s %s exactly as the build runs it', (language, file) => {
  const code = fs.readFileSync(path.join(APPS, file), 'utf8');
  expect(blocks.filter(block => block.language === language).map(block => block.code)).toContainEqual(code);
});

test('the install commands name the packages the build writes, with the aws-cdk-lib and constructs the apps run on', () => {
  const cdk = PACKAGE.devDependencies['aws-cdk-lib'];
  const constructs = PACKAGE.devDependencies.constructs;
  const version = PACKAGE.version;
  expect(INSTALL).toContain(`npm install /path/to/cdk-kvs-signaling-channel/dist/js/${PACKAGE.name}@${version}.jsii.tgz\n`);
  expect(INSTALL).toContain(`.venv/bin/pip install /path/to/cdk-kvs-signaling-channel/dist/python/cdk_kvs_signaling_channel-${version}-py3-none-any.whl aws-cdk-lib==${cdk} constructs==${constructs}\n`);
  const pom = fs.readFileSync(path.join(APPS, 'java', 'pom.xml'), 'utf8');
  expect(pom).toContain(`<artifactId>aws-cdk-lib</artifactId>\n      <version>${cdk}</version>`);
  expect(pom).toContain('<url>file:///path/to/cdk-kvs-signaling-channel/dist/java</url>');
  expect(fs.readFileSync(path.join(APPS, 'go', 'go.mod'), 'utf8'))
    .toContain('=> /path/to/cdk-kvs-signaling-channel/dist/go/cdkkvssignalingchannel\n');
});
