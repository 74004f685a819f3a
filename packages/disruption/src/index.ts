/**
 * @ocgnet/disruption: what happens if we act?
 */
export * from './fragmentation.js';
export * from './strategies.js';
export * from './simulate.js';
export {
  DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS,
  DEFAULT_KEY_PLAYERS_POSITIVE_OPTIONS,
  KeyPlayerError,
  keyPlayersBruteForce,
  keyPlayersNegative,
  keyPlayersPositive,
} from './keyPlayers.js';
export type * from './keyPlayers.js';
export * from './robustness.js';
export * from './recovery.js';
export * from './levers.js';
export * from './planner.js';
export * from './victimHome.js';
