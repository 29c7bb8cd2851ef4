import { apiKeyPrefix, CaptureConfigError, FileCheck, loadCaptureConfig } from './config';

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

describe('apiKeyPrefix', () => {
  it('keeps only the public prefix, even when it contains an underscore', () => {
    expect(apiKeyPrefix(`ak_AbCd1234_${'s'.repeat(43)}`)).toBe('ak_AbCd1234');
    expect(apiKeyPrefix(KEY)).toBe('ak_AbCd_123');
  });
});
