import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Me, Role } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { registerIcons } from '../../core/icons';
import { CallPage, CallView, PlaceListing } from '../recordings.types';
import { RecordingsSearchPage } from './search.page';

const me: Me = {
  id: 'u1',
  email: 'sv@example.jp',
  displayName: 'SV',
  roles: ['supervisor'],
  locale: 'ja',
  tenant: { id: 't1', name: 'T', products: ['flexlog'], deploymentMode: 'single', timeZone: 'Asia/Tokyo' },
};

const party = (display: string) => ({ number: display, e164: null, display, withheld: false, name: null });
const call = (id: string): CallView => ({
  id,
  source: 'flexlog',
  siteId: null,
  siteName: null,
  lineId: null,
  lineName: null,
  direction: 'inbound',
  caller: party('03-1234-5678'),
  callee: party('201'),
  extension: '201',
  userId: null,
  startedAt: '2026-11-24T01:00:00Z',
  answeredAt: null,
  endedAt: null,
  ringSeconds: 2,
  talkSeconds: 65,
  disposition: 'answered',
  codec: 'PCMU',
  channelLayout: 'stereo',
  tags: ['要折返し'],
  hasNotes: true,
  legalHold: false,
});
const PLACES: PlaceListing = {
  sites: [{ id: 'site-1', name: '東京本社' }],
  lines: [
    { id: '東京店', name: '東京店', siteId: 'site-1' },
    { id: 'line-9', name: '営業1号', siteId: null },
  ],
};
const page = (items: CallView[], nextCursor: string | null = null): CallPage => ({
  items,
  nextCursor,
  total: { value: items.length, exact: true },
  plan: 'time-index',
});

describe('RecordingsSearchPage', () => {
  let fixture: ComponentFixture<RecordingsSearchPage>;
  let http: HttpTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => el().querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const calls = () => http.match((r) => r.url === '/api/v1/calls');

  beforeEach(async () => {
    localStorage.clear();
    await TestBed.configureTestingModule({
      imports: [
        RecordingsSearchPage,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: AuthService,
          useValue: { me: signal(me), hasAnyRole: (roles: readonly Role[]) => roles.some((r) => me.roles.includes(r)) },
        },
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    TestBed.runInInjectionContext(registerIcons);
    fixture = TestBed.createComponent(RecordingsSearchPage);
    await fixture.whenStable();
    http.expectOne('/api/v1/recordings/places').flush(PLACES);
  });

  afterEach(() => http.verify());

  it('searches the last 30 days of the tenant calendar at once and shows the total', async () => {
    const [req] = calls();
    expect(req.request.params.get('limit')).toBe('100');
    const from = req.request.params.get('from') ?? '';
    const to = req.request.params.get('to') ?? '';
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);
    req.flush(page([call('c1'), call('c2')]));
    await fixture.whenStable();
    expect(byTestId('call-total')?.textContent).toContain('recordings.search.total');
    expect(byTestId('call-results')).not.toBeNull();
    expect(byTestId('search-empty')).toBeNull();
  });

  it('says when nothing matched', async () => {
    calls()[0].flush(page([]));
    await fixture.whenStable();
    expect(byTestId('search-empty')).not.toBeNull();
    expect(byTestId('call-results')).toBeNull();
  });

  it('shows what failed and retries the same query', async () => {
    calls()[0].flush({ statusCode: 503, message: 'database unavailable' }, { status: 503, statusText: 'Unavailable' });
    await fixture.whenStable();
    expect(byTestId('search-error')?.textContent).toContain('database unavailable');
    byTestId('search-retry')?.click();
    const [again] = calls();
    again.flush(page([call('c1')]));
    await fixture.whenStable();
    expect(byTestId('search-error')).toBeNull();
    expect(byTestId('call-results')).not.toBeNull();
  });

  it('sends a number typed with full-width digits and hyphens as digits', async () => {
    calls()[0].flush(page([]));
    const input = byTestId('filter-number') as HTMLInputElement;
    input.value = '０３－１２３４－５６７８';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await fixture.whenStable();
    expect(input.value).toBe('03-1234-5678');
    byTestId('search-submit')?.click();
    const [req] = calls();
    expect(req.request.params.get('number')).toBe('0312345678');
    expect(req.request.params.get('numberMatch')).toBe('prefix');
    req.flush(page([call('c1')]));
  });

  it('does not search with a talk-time range that cannot match, and says which field is wrong', async () => {
    calls()[0].flush(page([]));
    byTestId('search-advanced')?.click();
    await fixture.whenStable();
    const set = (id: string, v: string) => {
      const i = byTestId(id) as HTMLInputElement;
      i.value = v;
      i.dispatchEvent(new Event('input'));
    };
    set('filter-minTalkSeconds', '60');
    set('filter-maxTalkSeconds', '30');
    byTestId('search-submit')?.click();
    await fixture.whenStable();
    expect(calls()).toHaveLength(0);
    expect(el().textContent).toContain('recordings.errors.minAboveMax');
  });

  it('offers the tenant sites and lines by name and searches by their ids', async () => {
    calls()[0].flush(page([]));
    byTestId('search-advanced')?.click();
    await fixture.whenStable();
    const choose = async (select: string, label: string) => {
      byTestId(select)?.click();
      await fixture.whenStable();
      const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
      options.find((o) => o.textContent?.trim() === label)?.click();
      await fixture.whenStable();
    };
    await choose('filter-siteId', '東京本社');
    expect(byTestId('filter-siteId')?.textContent).toContain('東京本社');
    await choose('filter-lineId', '東京店');
    byTestId('search-submit')?.click();
    const [req] = calls();
    expect(req.request.params.get('siteId')).toBe('site-1');
    expect(req.request.params.get('lineId')).toBe('東京店');
    req.flush(page([]));
  });
});
