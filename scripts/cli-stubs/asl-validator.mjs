// In place of asl-validator inside aws-local-stepfunctions, in the CLI's bundle (README.md beside).
export default function aslValidator() {
  throw new Error(
    "stepshift's CLI bundle has no ASL validator: construct the StateMachine with validationOptions: { noValidate: true }",
  );
}
