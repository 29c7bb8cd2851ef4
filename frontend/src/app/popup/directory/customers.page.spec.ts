import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Role } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { registerIcons } from '../../core/icons';
import { CustomersPage } from './customers.page';

const customer = {
  id: 'c1',
  name: '山田 太郎',
  kana: 'ヤマダ タロウ',
  company: '山田商事',
  department: '経理部',
  rank: { code: 'VIP', label: 'VIP', colour: '#C62828' },
  tags: ['得意先'],
  memo: null,
  customFields: {},
  externalId: null,
  numbers: [
    { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678' },
    { raw: '09011112222', e164: '+819011112222', display: '090-1111-2222' },
  ],
  createdAt: '',
  updatedAt: '',
};

async function render(roles: Role[]) {
  jest.useFakeTimers();
  await TestBed.configureTestingModule({
    imports: [
      CustomersPage,
      TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
    ],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      {
        provide: AuthService,
        useValue: {
          roles: computed(() => roles),
          hasAnyRole: (rs: Role[]) => rs.some((r) => roles.includes(r)),
          me: signal(null),
        },
      },
    ],
  }).compileComponents();
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(CustomersPage);
  fixture.detectChanges();
  return { fixture, http: TestBed.inject(HttpTestingController), el: fixture.nativeElement as HTMLElement };
}

describe('CustomersPage', () => {
  afterEach(() => jest.useRealTimers());

  it('lists customers with every number and the rank colour, and searches with the typed fragment from page 1', async () => {
    const { fixture, http, el } = await render(['supervisor']);
    http
      .expectOne(`/api/v1/popup/customers?page=1&pageSize=50`)
      .flush({ items: [customer], total: 1, page: 1, pageSize: 50 });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="customer-name"]')?.textContent).toBe('山田 太郎');
    expect(el.textContent).toContain('090-1111-2222');
    expect((el.querySelector('.rank') as HTMLElement).style.background).toBe('rgb(198, 40, 40)');
    expect(el.querySelector('[data-testid="customer-create"]')).not.toBeNull();

    const search = el.querySelector('[data-testid="customer-search"]') as HTMLInputElement;
    search.value = '1111';
    search.dispatchEvent(new Event('input'));
    jest.advanceTimersByTime(300);
    http
      .expectOne(`/api/v1/popup/customers?page=1&pageSize=50&q=1111`)
      .flush({ items: [], total: 0, page: 1, pageSize: 50 });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="customers-empty"]')?.textContent).toContain('popup.customers.noResults');
    http.verify();
  });

  it('pages through a long directory', async () => {
    const { fixture, http, el } = await render(['supervisor']);
    http
      .expectOne(`/api/v1/popup/customers?page=1&pageSize=50`)
      .flush({ items: [customer], total: 120, page: 1, pageSize: 50 });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="customers-pager"]')?.textContent).toContain('popup.customers.range');
    expect((el.querySelector('[data-testid="customers-prev"]') as HTMLButtonElement).disabled).toBe(true);
    (el.querySelector('[data-testid="customers-next"]') as HTMLButtonElement).click();
    http
      .expectOne(`/api/v1/popup/customers?page=2&pageSize=50`)
      .flush({ items: [customer], total: 120, page: 2, pageSize: 50 });
    fixture.detectChanges();
    expect((el.querySelector('[data-testid="customers-prev"]') as HTMLButtonElement).disabled).toBe(false);
    http.verify();
  });

  it('gives operators a read-only directory', async () => {
    const { fixture, http, el } = await render(['operator']);
    http.expectOne(() => true).flush({ items: [customer], total: 1, page: 1, pageSize: 50 });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="customer-create"]')).toBeNull();
    expect(el.querySelector('[data-testid="customer-export"]')).toBeNull();
    expect(el.querySelector('[data-testid="customer-edit-c1"]')).toBeNull();
  });
});
