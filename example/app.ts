/**
 * The example app, synthesized without AWS credentials: `npx projen example`.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { DoorbellStack } from './doorbell-stack';

const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new DoorbellStack(app, 'DoorbellStack', { env: { account: '111111111111', region: 'us-east-1' } });
const assembly = app.synth();

const resources = Object.values(assembly.getStackByName(stack.stackName).template.Resources) as Array<{ Type: string }>;
const count = (type: string) => resources.filter(r => r.Type === type).length;
console.log(`Synthesized ${stack.stackName}: ${count('Custom::KinesisVideoSignalingChannel')} signaling channels, ` +
  `${count('AWS::Lambda::Function')} Lambda function serving them.`);
console.log(`Template: ${path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile))}`);
