/**
 * The modules bundled into the handler may not import aws-cdk-lib or constructs: the project's lint
 * configuration (written by .projenrc.ts, run by every build) refuses it there, and only there.
 */
import * as path from 'path';
import { loadESLint } from 'eslint';

const ROOT = path.join(__dirname, '..');
const CDK_IMPORT = "import { Stack } from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\nexport const used = [Stack, Construct];\n";
/** aws-cdk-lib through the back door: a construct module of another folder of src/. */
const CONSTRUCT_IMPORT = "import { CameraFleet } from '../camera-fleet/camera-fleet';\nimport { Stream } from '../../src/stream/stream';\nexport const used = [CameraFleet, Stream];\n";
/** What the handler's modules do import. */
const ALLOWED_IMPORT = "import { createHash } from 'crypto';\nimport { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';\n" +
  "import { describeString } from './describe-string';\nimport { slotOf } from '../../src/handler-shared/channel-slots';\n" +
  'export const used = [createHash, KinesisVideoClient, describeString, slotOf];\n';

async function restrictedImports(file: string, text = CDK_IMPORT): Promise<string[]> {
  // The build runs ESLint with the project's .eslintrc.json (projen sets ESLINT_USE_FLAT_CONFIG=false).
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new LegacyESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
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

test.each([
  'src/handler-shared/kinesis-video-rules.ts',
  'lambda/signaling-channel-handler/channel-lifecycle.ts',
])('importing a construct module of another folder in %s is a lint error too; the SDK, Node and handler-shared are not', async file => {
  expect(await restrictedImports(file, CONSTRUCT_IMPORT)).toHaveLength(2);
  expect(await restrictedImports(file, ALLOWED_IMPORT)).toEqual([]);
});

test('the constructs themselves may import them', async () => {
  expect(await restrictedImports('src/stream/stream.ts')).toEqual([]);
});
