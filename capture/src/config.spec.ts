import { cpus } from 'node:os';
import { apiKeyPrefix, CaptureConfigError, FileCheck, loadCaptureConfig, parseSize } from './config';

const KEY = `ak_AbCd_123_${'x'.repeat(43)}`;
const valid = { SERVER_URL: 'https://recorder.example.co.jp', API_KEY: KEY };
const noFile: FileCheck = () => null;

function problemsOf(env: NodeJS.ProcessEnv, checkFile?: FileCheck): string[] {
  try {
    loadCaptureConfig(env, checkFile);
  } catch (error) {
    if (error instanceof CaptureConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadCaptureConfig', () => {
  it('accepts a complete configuration and defaults the interface to any', () => {
    const config = loadCaptureConfig(valid, noFile);
    expect(config.serverUrl.origin).toBe('https://recorder.example.co.jp');
    expect(config.apiKey).toBe(KEY);
    expect(config.captureInterface).toBe('any');
    expect(config.caFile).toBeUndefined();
  });

  it('names every missing required variable at once', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SERVER_URL: required/);
    expect(problems[1]).toMatch(/^API_KEY: required/);
  });

  it('treats blank values as missing', () => {
    expect(problemsOf({ ...valid, API_KEY: '   ' })).toEqual([expect.stringMatching(/^API_KEY: required/)]);
  });

  it('refuses plain http except on loopback', () => {
    expect(problemsOf({ ...valid, SERVER_URL: 'http://recorder.example.co.jp' })).toEqual([
      expect.stringMatching(/^SERVER_URL: must start with https:\/\//),
    ]);
    expect(problemsOf({ ...valid, SERVER_URL: 'http://127.0.0.1:3000' })).toEqual([]);
    expect(problemsOf({ ...valid, SERVER_URL: 'not a url' })).toEqual([
      expect.stringMatching(/^SERVER_URL: not a valid URL/),
    ]);
  });

  it('refuses credentials in the URL and malformed keys', () => {
    const problems = problemsOf({ SERVER_URL: 'https://u:p@host', API_KEY: 'secret' });
    expect(problems).toEqual([
      expect.stringMatching(/^SERVER_URL: must not contain credentials/),
      expect.stringMatching(/^API_KEY: must look like/),
    ]);
  });

  it('checks the interface name and the CA file', () => {
    expect(problemsOf({ ...valid, CAPTURE_INTERFACE: 'eth0; rm -rf /' })).toEqual([
      expect.stringMatching(/^CAPTURE_INTERFACE: not a valid interface name/),
    ]);
    expect(problemsOf({ ...valid, CA_FILE: '/etc/ca.pem' }, () => 'does not exist')).toEqual([
      'CA_FILE: /etc/ca.pem does not exist',
    ]);
    expect(loadCaptureConfig({ ...valid, CAPTURE_INTERFACE: 'eth1', CA_FILE: '/ca.pem' }, noFile)).toMatchObject({
      captureInterface: 'eth1',
      caFile: '/ca.pem',
    });
  });

  it('reads a real file with the default check', () => {
    expect(problemsOf({ ...valid, CA_FILE: __filename }, undefined)).toEqual([]);
    expect(problemsOf({ ...valid, CA_FILE: '/nonexistent/ca.pem' }, undefined)).toEqual([
      'CA_FILE: /nonexistent/ca.pem does not exist',
    ]);
  });
});

describe('loadCaptureConfig: spool, filter and site rules', () => {
  it('defaults the spool, the filter and the rules', () => {
    expect(loadCaptureConfig(valid, noFile)).toMatchObject({
      spoolDir: '/spool',
      spoolMaxBytes: 8 * 2 ** 30,
      captureFilter: 'udp or tcp',
      internalNetworks: [],
      muteDtmf: false,
      opusComplexity: 5,
    });
    // One core stays with the packet path; a single-core box still gets one worker.
    expect(loadCaptureConfig(valid, noFile).encodeWorkers).toBe(Math.max(1, cpus().length - 1));
    expect(loadCaptureConfig({ ...valid, ENCODE_WORKERS: '0', OPUS_COMPLEXITY: '0' }, noFile)).toMatchObject({
      encodeWorkers: 0,
      opusComplexity: 0,
    });
  });

  it('reads sizes with units, networks as a list and MUTE_DTMF as a boolean', () => {
    const config = loadCaptureConfig(
      {
        ...valid,
        SPOOL_DIR: '/data/spool',
        SPOOL_MAX_BYTES: '500M',
        INTERNAL_NETWORKS: '192.168.0.0/16, fd00::/8',
        EXTENSION_PATTERN: '^2\\d\\d$',
        MUTE_DTMF: 'yes',
      },
      noFile,
    );
    expect(config).toMatchObject({
      spoolDir: '/data/spool',
      spoolMaxBytes: 500 * 2 ** 20,
      internalNetworks: ['192.168.0.0/16', 'fd00::/8'],
      extensionPattern: '^2\\d\\d$',
      muteDtmf: true,
    });
    expect(parseSize('1073741824')).toBe(2 ** 30);
    expect(parseSize('1.5G')).toBe(1.5 * 2 ** 30);
    expect(parseSize('8 GiB')).toBe(8 * 2 ** 30);
    expect(parseSize('lots')).toBeNull();
  });

  it('names each bad variable', () => {
    expect(
      problemsOf({
        ...valid,
        SPOOL_MAX_BYTES: '10M',
        INTERNAL_NETWORKS: '10.0.0.0/8,not-a-network',
        MUTE_DTMF: 'maybe',
        ENCODE_WORKERS: '1.5',
        OPUS_COMPLEXITY: '11',
      }),
    ).toEqual([
      'SPOOL_MAX_BYTES: must be a size of at least 64M, e.g. 8G (got 10M)',
      'INTERNAL_NETWORKS: not a CIDR block (not-a-network)',
      'MUTE_DTMF: must be true or false (got maybe)',
      'ENCODE_WORKERS: must be a whole number from 0 to 64 (got 1.5)',
      'OPUS_COMPLEXITY: must be a whole number from 0 to 10 (got 11)',
    ]);
    expect(problemsOf({ ...valid, ENCODE_WORKERS: 'many' })).toEqual([
      'ENCODE_WORKERS: must be a whole number from 0 to 64 (got many)',
    ]);
    expect(problemsOf({ ...valid, EXTENSION_PATTERN: '([' })).toEqual([
      expect.stringMatching(/^EXTENSION_PATTERN: not a valid regular expression/),
    ]);
  });
});

describe('apiKeyPrefix', () => {
  it('keeps only the public prefix, even when it contains an underscore', () => {
    expect(apiKeyPrefix(`ak_AbCd1234_${'s'.repeat(43)}`)).toBe('ak_AbCd1234');
    expect(apiKeyPrefix(KEY)).toBe('ak_AbCd_123');
  });
});
