import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { KintonePanelComponent } from './kintone-panel.component';
import { LookupHookPanelComponent } from './lookup-hook-panel.component';

async function open<T>(component: Type<T>) {
  await TestBed.configureTestingModule({
    imports: [component, TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } })],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations()],
  }).compileComponents();
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(component);
  fixture.detectChanges();
  const el = fixture.nativeElement as HTMLElement;
  return { fixture, el, http: TestBed.inject(HttpTestingController) };
}

const submit = (el: HTMLElement, form: string) =>
  (el.querySelector(`[data-testid="${form}"] button[type="submit"]`) as HTMLButtonElement).click();

describe('LookupHookPanelComponent', () => {
  it('saves only the filled mappings, keeps saved headers when blank, and shows field errors', async () => {
    const d = await open(LookupHookPanelComponent);
    d.http.expectOne('/api/v1/popup/integrations/lookup-hook').flush({
      enabled: true,
      urlTemplate: 'https://crm.example.jp/c?tel={digits}',
      headerNames: ['Authorization'],
      timeoutMs: 1500,
      cacheTtlSeconds: 300,
      recordsPath: '$.records',
      mapping: { name: '$.name' },
    });
    d.fixture.detectChanges();
    expect(d.el.textContent).toContain('Authorization');
    submit(d.el, 'lookup-form');
    const req = d.http.expectOne({ method: 'PUT', url: '/api/v1/popup/integrations/lookup-hook' });
    expect(req.request.body).toEqual({
      enabled: true,
      urlTemplate: 'https://crm.example.jp/c?tel={digits}',
      headers: undefined,
      timeoutMs: 1500,
      cacheTtlSeconds: 300,
      recordsPath: '$.records',
      mapping: { name: '$.name' },
    });
    req.flush(
      { statusCode: 400, message: 'x', errors: [{ field: 'mapping.name', message: 'unexpected "x" at 2' }] },
      { status: 400, statusText: 'Bad Request' },
    );
    d.fixture.detectChanges();
    expect(d.el.textContent).toContain('unexpected "x" at 2');
    d.http.verify();
  });

  it('binds the shared timeout and cache boxes to its form and shows their server errors', async () => {
    const d = await open(LookupHookPanelComponent);
    d.http.expectOne('/api/v1/popup/integrations/lookup-hook').flush({
      enabled: true,
      urlTemplate: 'https://crm.example.jp/c?tel={digits}',
      headerNames: [],
      timeoutMs: 1500,
      cacheTtlSeconds: 300,
      recordsPath: null,
      mapping: { name: '$.name' },
    });
    d.fixture.detectChanges();
    const [timeout, ttl] = Array.from(d.el.querySelectorAll('app-lookup-limits-fields input')) as HTMLInputElement[];
    expect([timeout.value, ttl.value]).toEqual(['1500', '300']);
    timeout.value = '60000';
    timeout.dispatchEvent(new Event('input'));
    submit(d.el, 'lookup-form');
    const req = d.http.expectOne({ method: 'PUT', url: '/api/v1/popup/integrations/lookup-hook' });
    expect(req.request.body).toEqual(expect.objectContaining({ timeoutMs: 60000, cacheTtlSeconds: 300 }));
    req.flush(
      { statusCode: 400, message: 'x', errors: [{ field: 'timeoutMs', message: 'must be at most 10000' }] },
      { status: 400, statusText: 'Bad Request' },
    );
    d.fixture.detectChanges();
    expect(d.el.querySelector('app-lookup-limits-fields')?.textContent).toContain('must be at most 10000');
    d.http.verify();
  });
});

describe('KintonePanelComponent', () => {
  it('sends a token only when typed, and shows the test result with kintone’s error code', async () => {
    const d = await open(KintonePanelComponent);
    d.http.expectOne('/api/v1/popup/integrations/kintone').flush({
      configured: true,
      enabled: true,
      baseUrl: 'https://example.cybozu.com',
      appId: 12,
      phoneField: '電話番号',
      mapping: { name: '顧客名' },
      historyEnabled: false,
      historyAppId: null,
      historyMapping: {},
      timeoutMs: 2000,
      cacheTtlSeconds: 300,
      apiTokenSet: true,
      historyApiTokenSet: false,
      lastWriteBackAt: '2026-11-24T00:00:00Z',
      lastWriteBackError: 'kintone CB_VA01: 入力内容が正しくありません。',
    });
    d.fixture.detectChanges();
    expect(d.el.querySelector('[data-testid="kintone-write-back"]')?.textContent).toContain('CB_VA01');
    submit(d.el, 'kintone-form');
    const req = d.http.expectOne({ method: 'PUT', url: '/api/v1/popup/integrations/kintone' });
    expect(req.request.body).not.toHaveProperty('apiToken');
    expect(req.request.body).toEqual(
      expect.objectContaining({ appId: 12, phoneField: '電話番号', mapping: { name: '顧客名' }, historyAppId: null }),
    );
    req.flush({
      configured: true,
      apiTokenSet: true,
      historyApiTokenSet: false,
      lastWriteBackAt: null,
      lastWriteBackError: null,
    });

    const number = d.el.querySelector('input[placeholder="03-1234-5678"]') as HTMLInputElement;
    number.value = '0312345678';
    number.dispatchEvent(new Event('input'));
    d.fixture.detectChanges();
    (d.el.querySelector('button[mat-stroked-button]') as HTMLButtonElement).click();
    d.http
      .expectOne({ method: 'POST', url: '/api/v1/popup/integrations/kintone/test' })
      .flush({ ok: false, durationMs: 5, cards: [], error: 'kintone GAIA_AP01: not found', kintoneCode: 'GAIA_AP01' });
    d.fixture.detectChanges();
    expect(d.el.querySelector('[data-testid="lookup-test-result"]')?.textContent).toContain('GAIA_AP01');
    d.http.verify();
  });
});
