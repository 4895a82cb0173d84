/**
 * The account and region the simulated AWS answers as: the owner of every resource a scenario does
 * not give another (an App Mesh meshOwner), and what every ARN a rehearsal makes names.
 */
export const SIMULATED_ACCOUNT = '123456789012';
export const SIMULATED_REGION = 'us-east-1';
