import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { computed, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Me, Role } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { registerIcons } from '../../core/icons';
import { LanguageService } from '../../core/language.service';
import type { StackedCall } from './call-stack';
import { PopupCardComponent } from './popup-card.component';
import type { CustomerCard } from './popup-protocol';
import { ringing, WITHHELD } from './popup-test-data';

const card = (over: Partial<CustomerCard>): CustomerCard => ({
  id: 'c1',
  name: '山田 太郎',
  kana: 'ヤマダ タロウ',
  company: '株式会社山田商事',
  department: null,
  rank: { code: 'VIP', label: 'VIP', colour: '#C62828' },
  tags: ['得意先'],
  memo: '請求書は月末締め',
  customFields: {},
  externalId: null,
  ...over,
});

function authAs(roles: Role[], products = ['flexlog', 'ootairyoku']) {
  const me = signal({
    id: 'u-me',
    roles,
    tenant: { products, timeZone: 'Asia/Tokyo' },
  } as unknown as Me);
  return {
    me,
    roles: computed(() => roles),
    hasAnyRole: (rs: readonly Role[]) => rs.some((r) => roles.includes(r)),
  };
}

describe('PopupCardComponent', () => {
  let fixture: ComponentFixture<PopupCardComponent>;
  let http: HttpTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const byId = (id: string) => el().querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const allById = (id: string) => Array.from(el().querySelectorAll(`[data-testid="${id}"]`)) as HTMLElement[];

  async function render(entry: Partial<StackedCall> & { call: StackedCall['call'] }, roles: Role[] = ['operator']) {
    await TestBed.configureTestingModule({
      imports: [
        PopupCardComponent,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: AuthService, useValue: authAs(roles) },
        { provide: LanguageService, useValue: { lang: signal('ja') } },
      ],
    }).compileComponents();
    TestBed.runInInjectionContext(registerIcons);
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PopupCardComponent);
    fixture.componentRef.setInput('entry', { answered: false, answeredBy: null, ended: false, ...entry });
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  it('shows the number, the line and the matched customer with rank, company and memo', async () => {
    await render({ call: ringing({ customers: [card({})] }) });
    const root = byId('popup-call') as HTMLElement;
    expect(root.getAttribute('data-call-id')).toBe('call-1@pbx');
    expect(byId('popup-caller-number')?.textContent?.trim()).toBe('03-1234-5678');
    expect(byId('popup-line-name')?.textContent?.trim()).toBe('東京店');
    expect(byId('popup-customer-name')?.textContent?.trim()).toBe('山田 太郎');
    expect(byId('popup-customer-company')?.textContent).toContain('株式会社山田商事');
    expect(byId('popup-customer-rank')?.style.background).toBe('rgb(198, 40, 40)');
    expect(byId('popup-customer-memo')?.textContent).toContain('請求書は月末締め');
    expect(byId('popup-no-match')).toBeNull();
    expect(byId('popup-withheld')).toBeNull();
  });

  it('offers a pick-list when several customers share the number and shows the one chosen', async () => {
    await render({
      call: ringing({ customers: [card({}), card({ id: 'c2', name: '山田 花子', company: '山田工務店' })] }),
    });
    const choices = allById('popup-customer-choice');
    expect(choices.map((c) => c.textContent?.replace(/\s+/g, ' ').trim().split(' /')[0])).toEqual([
      '山田 太郎',
      '山田 花子',
    ]);
    expect(byId('popup-customer-name')).toBeNull();
    choices[1].click();
    fixture.detectChanges();
    expect(byId('popup-customer-name')?.textContent?.trim()).toBe('山田 花子');
    expect(choices[1].getAttribute('aria-pressed')).toBe('true');
  });

  it('lists the earlier calls with who answered and talk time, linking recordings for recording users', async () => {
    const history = [
      {
        callId: 'call-a',
        startedAt: '2026-11-01T01:00:00.000Z',
        direction: 'inbound',
        disposition: 'answered',
        talkSeconds: 95,
        answeredBy: { userId: 'u-sato', displayName: '佐藤' },
      },
      {
        callId: 'call-b',
        startedAt: '2026-10-30T01:00:00.000Z',
        direction: 'inbound',
        disposition: 'missed',
        talkSeconds: 0,
        answeredBy: null,
      },
    ];
    await render({ call: ringing({ history }) });
    const rows = allById('popup-history-row');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('佐藤');
    expect(rows[0].textContent).toContain('1:35');
    expect(rows[0].textContent).toContain('2026/11/01 10:00');
    const link = rows[0].querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/recordings/calls/call-a');
  });

  it('links no recording for a tenant without a recording product', async () => {
    const history = [
      {
        callId: 'x',
        startedAt: '2026-11-01T01:00:00Z',
        direction: 'inbound',
        disposition: 'answered',
        talkSeconds: 5,
        answeredBy: null,
      },
    ];
    TestBed.overrideProvider(AuthService, { useValue: authAs(['operator'], ['ootairyoku']) });
    await render({ call: ringing({ history }) });
    expect(allById('popup-history-row')).toHaveLength(1);
    expect(allById('popup-history-recording')).toHaveLength(0);
  });

  it('says 該当者なし with a registration button for directory writers', async () => {
    await render({ call: ringing() }, ['supervisor']);
    expect(byId('popup-no-match')).not.toBeNull();
    expect(byId('popup-register-customer')).not.toBeNull();
  });

  it('shows a withheld number as 非通知, with no registration and no history', async () => {
    await render({ call: ringing({ number: WITHHELD }) }, ['tenantAdmin']);
    expect(byId('popup-withheld')).not.toBeNull();
    expect(byId('popup-caller-number')).toBeNull();
    expect(byId('popup-no-match')).not.toBeNull();
    expect(byId('popup-register-customer')).toBeNull();
    expect(el().querySelector('.history')).toBeNull();
  });

  it('shows who answered on another PC', async () => {
    await render({ call: ringing(), answered: true, answeredBy: { userId: 'u-sato', displayName: '佐藤' } });
    expect(byId('popup-answered-by')?.textContent).toContain('popup.call.answeredBy');
  });

  it('saves the memo onto the call and says so only once the server confirmed', async () => {
    await render({ call: ringing(), ended: true });
    const area = byId('popup-memo') as HTMLTextAreaElement;
    area.value = '折り返し希望';
    area.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    (byId('popup-memo-save') as HTMLButtonElement).click();
    fixture.detectChanges();
    const req = http.expectOne('/api/v1/popup/memos');
    expect(req.request.body).toEqual({ siteId: 'site-1', sipCallId: 'call-1@pbx', text: '折り返し希望' });
    expect(byId('popup-memo-saved')).toBeNull();
    req.flush({ id: 'm1', status: 'pending' });
    fixture.detectChanges();
    expect(byId('popup-memo-saved')).not.toBeNull();
  });

  it('shows the server’s reason when the memo is refused', async () => {
    await render({ call: ringing() });
    const area = byId('popup-memo') as HTMLTextAreaElement;
    area.value = 'メモ';
    area.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    (byId('popup-memo-save') as HTMLButtonElement).click();
    http
      .expectOne('/api/v1/popup/memos')
      .flush({ message: 'the call is no longer open for memos' }, { status: 404, statusText: 'Not Found' });
    fixture.detectChanges();
    expect(byId('popup-memo-saved')).toBeNull();
    expect(el().querySelector('.memo-error')?.textContent).toContain('the call is no longer open for memos');
  });
});
