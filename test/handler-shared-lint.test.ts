/**
 * The modules bundled into the handler may not import aws-cdk-lib or constructs: the project's lint
 * configuration (written by .projenrc.ts, run by every build) refuses it there, and only there.
 */
import * as path from 'path';
import { loadESLint } from 'eslint';

const ROOT = path.join(__dirname, '..');
const CDK_IMPORT = "import { Stack } from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\nexport const used = [Stack, Construct];\n";

async function restrictedImports(file: string): Promise<string[]> {
  // The build runs ESLint with the project's .eslintrc.json (projen sets ESLINT_USE_FLAT_CONFIG=false).
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new LegacyESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(CDK_IMPORT, { filePath: path.join(ROOT, file) });
  return result.messages.filter(message => message.ruleId === 'no-restricted-imports').map(message => message.message);
}

test.each([
  'src/handler-shared/kinesis-video-rules.ts',
  'lambda/signaling-channel-handler/channel-lifecycle.ts',
])('importing aws-cdk-lib or constructs in %s is a lint error', async file => {
  const messages = await restrictedImports(file);
  expect(messages).toHaveLength(2);
  expect(messages[0]).toContain('Bundled into the handler: import only from src/handler-shared/, the AWS SDK and Node.js.');
});

test('the constructs themselves may import them', async () => {
  expect(await restrictedImports('src/stream/stream.ts')).toEqual([]);
});
