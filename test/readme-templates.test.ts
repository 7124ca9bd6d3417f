/**
 * Every complete TypeScript example of the README (one that makes its own `App`) synthesizes, and its
 * templates are kept under .cache/cfn-lint/templates/ for cfn-lint (`npx projen cfn-lint`), which runs later
 * in the build.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import * as library from '../src';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const LINTED_TEMPLATES = path.join(ROOT, '.cache', 'cfn-lint', 'templates');
/** The examples import aws-cdk-lib's modules as a user's app does: resolved from this repository's node_modules. */
const requireModule = createRequire(__filename);

const examples = [...README.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match, index) => ({ index, source: match[1] }))
  .filter(example => /\bconst app = new App\(/.test(example.source));

/** Runs one example, with the package's name resolved to this source tree, and returns its app. */
function run(source: string): App {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  const requireForExample = (name: string) => (name === 'cdk-kvs-signaling-channel' ? library : requireModule(name));
  let app: App | undefined;
  new Function('require', 'exports', 'capture', `${outputText}\ncapture(app);`)(requireForExample, {}, (made: App) => { app = made; });
  return app!;
}

test('the README has complete examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
});

test.each(examples)('README example $index synthesizes, and its templates are kept for cfn-lint', ({ index, source }) => {
  const assembly = run(source).synth();
  const stacks = assembly.stacks;
  expect(stacks.length).toBeGreaterThan(0);
  fs.mkdirSync(LINTED_TEMPLATES, { recursive: true });
  for (const stack of stacks) {
    expect(Object.keys(stack.template.Resources ?? {}).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(LINTED_TEMPLATES, `readme-${index}-${stack.stackName}.template.json`), JSON.stringify(stack.template, undefined, 1));
  }
});
