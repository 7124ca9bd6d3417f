/**
 * The modules bundled into the handler may not import aws-cdk-lib or constructs: the project's lint
 * configuration (written by .projenrc.ts, run by every build) refuses it there, and only there.
 */
import * as path from 'path';
import { Linter, loadESLint } from 'eslint';

const ROOT = path.join(__dirname, '..');
const CDK_IMPORT = "import { Stack } from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\nexport const used = [Stack, Construct];\n";
/** aws-cdk-lib through the back door: a construct module of another folder of src/. */
const CONSTRUCT_IMPORT = "import { CameraFleet } from '../camera-fleet/camera-fleet';\nimport { Stream } from '../../src/stream/stream';\nexport const used = [CameraFleet, Stream];\n";
/** What the handler's modules do import. */
const ALLOWED_IMPORT = "import { createHash } from 'crypto';\nimport { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';\n" +
  "import { describeString } from './describe-string';\nimport { slotOf } from '../../src/handler-shared/channel-slots';\n" +
  'export const used = [createHash, KinesisVideoClient, describeString, slotOf];\n';

/**
 * The messages of the project's `no-restricted-imports` rule for `text` written in `file`. The rule's settings
 * are those the project's ESLint configuration gives that file (.eslintrc.json, written by .projenrc.ts; the
 * build runs ESLint with it: projen sets ESLINT_USE_FLAT_CONFIG=false). The rule needs no type information, so
 * it runs alone on a plain parse: what the build's type-aware lint would report for it, without building the
 * project's TypeScript program (tens of seconds on a busy machine).
 */
async function restrictedImports(file: string, text = CDK_IMPORT): Promise<string[]> {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const config = await new LegacyESLint({ cwd: ROOT }).calculateConfigForFile(path.join(ROOT, file));
  const rule = config.rules?.['no-restricted-imports'];
  const linter = new Linter({ configType: 'eslintrc' });
  const messages = linter.verify(text, {
    parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: rule === undefined ? {} : { 'no-restricted-imports': rule },
  }, { filename: path.join(ROOT, file) });
  // A parse error would hide the rule: fail on it rather than report no restricted import.
  expect(messages.filter(message => message.fatal)).toEqual([]);
  return messages.filter(message => message.ruleId === 'no-restricted-imports').map(message => message.message);
}

test.each([
  'src/handler-shared/kinesis-video-rules.ts',
  'lambda/signaling-channel/channel-lifecycle.ts',
])('importing aws-cdk-lib or constructs in %s is a lint error', async file => {
  const messages = await restrictedImports(file);
  expect(messages).toHaveLength(2);
  expect(messages[0]).toContain('Bundled into the handler: import only from src/handler-shared/, the AWS SDK and Node.js.');
});

test.each([
  'src/handler-shared/kinesis-video-rules.ts',
  'lambda/signaling-channel/channel-lifecycle.ts',
])('importing a construct module of another folder in %s is a lint error too; the SDK, Node and handler-shared are not', async file => {
  expect(await restrictedImports(file, CONSTRUCT_IMPORT)).toHaveLength(2);
  expect(await restrictedImports(file, ALLOWED_IMPORT)).toEqual([]);
});

test('a module of the handler may import the modules of its other folders of lambda/, and nothing else of them', async () => {
  const siblings = "import { Deadline } from '../custom-resource/deadline';\nimport { ChannelService } from '../signaling-channel/channel-service';\n" +
    'export const used = [Deadline, ChannelService];\n';
  expect(await restrictedImports('lambda/signaling-channel/channel-lifecycle.ts', siblings)).toEqual([]);
  expect(await restrictedImports('lambda/custom-resource/run-request.ts', siblings)).toEqual([]);
  // From src/handler-shared/, `../<folder>` is a folder of src/: refused as before.
  expect(await restrictedImports('src/handler-shared/kinesis-video-rules.ts', siblings)).toHaveLength(2);
});

test('the constructs themselves may import them', async () => {
  expect(await restrictedImports('src/stream/stream.ts')).toEqual([]);
});
