/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  maxWorkers: 2,
  // A generous limit: the suite must not fail because the machine is busy (no test asserts on time).
  testTimeout: 60_000,
};
