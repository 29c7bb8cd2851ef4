import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { parseHeaderLines } from './lookup-hook-panel.component';
import { WebhooksPanelComponent } from './webhooks-panel.component';

const HOOK = {
  id: 'w1',
  name: 'CRM',
  url: 'https://crm.example.jp/hook',
  events: ['call.ended'],
  enabled: true,
  createdAt: '2026-11-24T00:00:00Z',
  updatedAt: '2026-11-24T00:00:00Z',
};

async function open() {
  await TestBed.configureTestingModule({
    imports: [
      WebhooksPanelComponent,
      TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
    ],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations()],
  }).compileComponents();
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(WebhooksPanelComponent);
  fixture.detectChanges();
  const el = fixture.nativeElement as HTMLElement;
  const http = TestBed.inject(HttpTestingController);
  const q = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
  const type = (id: string, value: string) => {
    const input = q(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  return { fixture, el, http, q, type };
}

describe('WebhooksPanelComponent', () => {
  it('creates an endpoint, shows its secret once, and puts the field errors of a refusal on the fields', async () => {
    const d = await open();
    d.http.expectOne('/api/v1/webhooks').flush([]);
    d.type('webhook-name', 'CRM');
    d.type('webhook-url', 'http://crm.example.jp/hook');
    (d.q('webhook-event-call.ended').querySelector('input') as HTMLInputElement).click();
    d.fixture.detectChanges();
    d.q('webhook-create').click();
    const refused = d.http.expectOne({ method: 'POST', url: '/api/v1/webhooks' });
    expect(refused.request.body).toEqual({
      name: 'CRM',
      url: 'http://crm.example.jp/hook',
      events: ['call.ended'],
      enabled: true,
    });
    refused.flush(
      { statusCode: 400, message: 'url: …', errors: [{ field: 'url', message: 'must start with https://' }] },
      { status: 400, statusText: 'Bad Request' },
    );
    d.fixture.detectChanges();
    expect(d.el.textContent).toContain('must start with https://');
    expect(d.el.querySelector('[data-testid="secret-value"]')).toBeNull();

    d.type('webhook-url', 'https://crm.example.jp/hook');
    d.q('webhook-create').click();
    d.http.expectOne({ method: 'POST', url: '/api/v1/webhooks' }).flush({ ...HOOK, secret: 'whsec_abc' });
    d.http.expectOne('/api/v1/webhooks').flush([HOOK]);
    d.fixture.detectChanges();
    expect(d.q('secret-value').textContent).toBe('whsec_abc');
    expect(d.q('webhook-list').textContent).toContain('https://crm.example.jp/hook');
    d.http.verify();
  });

  it('shows the delivery log and re-sends a delivery', async () => {
    const d = await open();
    d.http.expectOne('/api/v1/webhooks').flush([HOOK]);
    d.fixture.detectChanges();
    d.q('webhook-log').click();
    const delivery = {
      id: 'd1',
      eventId: 'e1',
      eventType: 'call.ended',
      status: 'failed',
      attempts: 6,
      maxAttempts: 6,
      httpStatus: 500,
      durationMs: 12,
      error: 'answered HTTP 500',
      nextAttemptAt: null,
      lastAttemptAt: '2026-11-24T00:10:00Z',
      resentFrom: null,
      createdAt: '2026-11-24T00:00:00Z',
    };
    d.http.expectOne('/api/v1/webhooks/w1/deliveries').flush([delivery]);
    d.fixture.detectChanges();
    expect(d.q('delivery-log').textContent).toContain('answered HTTP 500');
    expect(d.q('delivery-log').textContent).toContain('6 / 6');
    d.q('delivery-resend').click();
    d.http
      .expectOne({ method: 'POST', url: '/api/v1/webhooks/w1/deliveries/d1/resend' })
      .flush({ ...delivery, id: 'd2' });
    d.http.expectOne('/api/v1/webhooks/w1/deliveries').flush([]);
    d.http.verify();
  });
});

describe('parseHeaderLines', () => {
  it('reads "Name: value" lines, and blank as "keep the saved headers"', () => {
    expect(parseHeaderLines('Authorization: Bearer a:b\nX-Tenant:  1 \n')).toEqual({
      Authorization: 'Bearer a:b',
      'X-Tenant': '1',
    });
    expect(parseHeaderLines('  \n')).toBeUndefined();
  });
});
