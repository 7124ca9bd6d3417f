import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DoorbellStack } from '../example/doorbell-stack';

// The example app's template, whole. A change to what the library synthesizes (the handler asset's hash
// included) fails here until it is reviewed and accepted with `npx projen test:update`.
test('the example stack synthesizes the template it did', () => {
  const stack = new DoorbellStack(new App(), 'DoorbellStack', { env: { account: '111111111111', region: 'us-east-1' } });

  const template = Template.fromStack(stack);

  template.resourceCountIs('Custom::KinesisVideoSignalingChannel', 3);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  expect(template.toJSON()).toMatchSnapshot();
});
