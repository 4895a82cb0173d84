import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStepshiftApp } from './stepshift-app.ts';

const app = new App();
buildStepshiftApp(app);
// A finding nobody acknowledged fails the synth (cdk-nag 3 reports through CDK's policy validation).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
