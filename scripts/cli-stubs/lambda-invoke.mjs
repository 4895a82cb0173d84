// In place of @aws-sdk/client-lambda and @aws-sdk/credential-providers inside aws-local-stepfunctions,
// in the CLI's bundle (README.md beside): the rehearsal serves every Task state with a local handler.
const unserved = () => {
  throw new Error(
    "stepshift's CLI bundle cannot invoke AWS Lambda from a rehearsal: every Task state needs a local handler (taskResourceLocalHandlers)",
  );
};
export class LambdaClient {
  constructor() {
    unserved();
  }
}
export class InvokeCommand {
  constructor() {
    unserved();
  }
}
export const fromCognitoIdentityPool = unserved;
