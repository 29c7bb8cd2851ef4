module.exports = {
  displayName: 'backend',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  // The shared library, as tsconfig.base.json's paths alias it (jest does not read tsconfig paths).
  moduleNameMapper: { '^@appliance/audio-format$': '<rootDir>/../libs/audio-format/src/index.ts' },
  coverageDirectory: '../coverage/backend',
  // Integration tests start the real app on real databases: give them time, run files one by one.
  testTimeout: 60_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
