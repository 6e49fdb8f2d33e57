/** Jest in native ESM mode; @swc/jest strips types (typescript 7 has no JS API for ts-jest). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } }],
  },
  // sources import './x.js' (nodenext); jest resolves the .ts beside it
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // dist/ is built once for the tests that run the shipped CLI
  globalSetup: '<rootDir>/test/buildOnce.js',
  testTimeout: 20000,
};
