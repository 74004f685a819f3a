/**
 * @ocgnet/disruption: what happens if we act?
 */

// Removal simulation: the strategies, the curve, and who is never removed.
export {
  SimulationError,
  safeguardingSubjects,
  simulateRemoval,
  simulateRemovalOnCsr,
  type RemovalCurvePoint,
  type RemovalMode,
  type RemovalResult,
} from './simulate.js';
export { REMOVAL_STRATEGIES, type RemovalStrategyId } from './strategies.js';
export { connectivity, distanceConnectivity } from './fragmentation.js';

// Key players, and how robust a ranking is to missing intelligence.
export { KeyPlayerError, keyPlayersNegative, keyPlayersPositive, type KeyPlayerResult } from './keyPlayers.js';
export { robustKeyPlayers } from './robustness.js';

// Recovery after removal.
export { RecoveryError, simulateRecovery, type RecoveryMechanism, type RecoveryMechanismType } from './recovery.js';

// The Achilles-heel planner: the levers partners hold, and the plan for one group.
export { defaultLeverCatalogue, leversFor } from './levers.js';
export { PlanError, formatPlan, planDisruption, type ActionRow, type DisruptionPlan } from './planner.js';
export { isVictimHome } from './victimHome.js';
