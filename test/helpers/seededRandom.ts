/**
 * The tests' one seeded generator of numbers in [0, 1): a failure names the same input on every run.
 * It is the simulator's own (mulberry32), so a test and the simulator it drives draw alike.
 */
export { mulberry32 as seededRandom } from '../../src/simulator/seededRandom.js';
