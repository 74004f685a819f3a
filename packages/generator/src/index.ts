/**
 * @ocgnet/generator: a seeded synthetic scenario for demos, tests and
 * benchmarks. A town holds 3–6 OCGs, a street gang feeding one of them, a
 * county line with cuckooed addresses, front businesses and a background
 * population, over two to three years of graded intelligence, with the
 * ground truth beside it. All data is invented.
 */

// The scenario, streamed town by town or whole, and its ground-truth columns.
export {
  TRUTH_COLUMNS,
  generateScenario,
  plannedTowns,
  scenarioRecords,
  type ScenarioChunk,
  type ScenarioSize,
} from './scenario.js';
