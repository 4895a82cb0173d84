// AWS list prices, US East (N. Virginia), on demand, as read on 2026-12-07 from stored copies of the
// pricing pages (free tiers left out: a team's other workloads use them). Re-read them before quoting.
export const PRICES_READ_ON = '2026-12-07';

export const PRICES_USD = {
  // aws.amazon.com/step-functions/pricing: Standard workflows, $0.025 per 1,000 state transitions.
  stateTransition: 0.025 / 1000,
  // aws.amazon.com/lambda/pricing: $0.20 per 1M requests; Arm (the construct deploys ARM_64, 512 MB)
  // $0.0000133334 per GB-second, billed per 1 ms.
  lambdaRequest: 0.2 / 1_000_000,
  lambdaArmGbSecond: 0.0000133334,
  // aws.amazon.com/dynamodb/pricing/on-demand: $0.625 per million write request units, $0.125 per
  // million read request units (the November 2024 prices). A write of up to 1 KB is one unit, a
  // strongly consistent read of up to 4 KB one, a transactional write two per item.
  dynamoWriteUnit: 0.625 / 1_000_000,
  dynamoReadUnit: 0.125 / 1_000_000,
  // aws.amazon.com/eventbridge/pricing: custom events, $1.00 per million (64 KB chunks).
  eventBridgeEvent: 1 / 1_000_000,
  // aws.amazon.com/cloudwatch/pricing: GetMetricData $0.01 per 1,000 metrics requested; other API
  // requests (DescribeAlarms) $0.01 per 1,000 requests.
  getMetricDataMetric: 0.01 / 1000,
  cloudWatchRequest: 0.01 / 1000,
} as const;

/** The memory every task function is deployed with (infra/task-functions.ts). */
export const FUNCTION_MEMORY_GB = 0.5;
