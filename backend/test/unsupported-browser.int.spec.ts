import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/test-databases';

const IE11 = 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko';
const EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml, image/jxr, */*';

describe('Internet Explorer notice', () => {
  let t: TestApp;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'spa-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><body><app-root></app-root></body></html>');
    writeFileSync(join(dist, 'favicon.ico'), 'icon');
    t = await startTestApp(testDatabases()[0], { FRONTEND_DIST: dist });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const page = (path: string, userAgent: string, accept = PAGE_ACCEPT) =>
    t.client({ 'user-agent': userAgent, accept }).get(path);

  it('serves Internet Explorer a page in Japanese and English naming the browsers to use', async () => {
    for (const path of ['/', '/recordings/calls/1234']) {
      const res = await page(path, IE11);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('vary')).toMatch(/User-Agent/i);
      expect(res.text).toContain('Internet Explorer には対応していません');
      expect(res.text).toContain('Internet Explorer is not supported');
      for (const browser of ['Microsoft Edge', 'Google Chrome', 'Mozilla Firefox']) expect(res.text).toContain(browser);
      expect(res.text).not.toContain('<app-root>');
      expect(res.text).not.toContain('<script');
    }
  });

  it('also catches the older MSIE user agents', async () => {
    const res = await page('/', 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)');
    expect(res.text).toContain('Internet Explorer is not supported');
  });

  it('serves current browsers the app', async () => {
    const res = await page('/', EDGE);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<app-root>');
  });

  it('leaves the API and non-page requests of Internet Explorer alone', async () => {
    const health = await page('/api/health', IE11, 'application/json');
    expect(health.headers.get('content-type')).toMatch(/json/);
    const icon = await page('/favicon.ico', IE11, 'image/png, image/svg+xml, image/*;q=0.8, */*;q=0.5');
    expect(icon.text).toBe('icon');
  });
});
