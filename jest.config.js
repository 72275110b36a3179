/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/extension/'],
  globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
  // Every answer of a test's API is checked against /openapi.json (test/helpers/contract.ts).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/contractSetup.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
