module.exports = {
  displayName: 'capture',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // 'node' and 'json': the optional libpcap module (node_pcap) requires its native addon and a JSON
  // table without extensions, which jest only resolves when it is told these extensions exist.
  moduleFileExtensions: ['ts', 'js', 'html', 'node', 'json'],
  // The shared library, as tsconfig.base.json's paths alias it (jest does not read tsconfig paths).
  moduleNameMapper: { '^@appliance/audio-format$': '<rootDir>/../libs/audio-format/src/index.ts' },
  coverageDirectory: '../coverage/capture',
};
