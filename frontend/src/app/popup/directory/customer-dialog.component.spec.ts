import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { CustomerDialogComponent, CustomerDialogData } from './customer-dialog.component';

async function open(data: CustomerDialogData) {
  const close = jest.fn();
  await TestBed.configureTestingModule({
    imports: [
      CustomerDialogComponent,
      TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
    ],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ],
  }).compileComponents();
  TestBed.runInInjectionContext(registerIcons);
  const fixture = TestBed.createComponent(CustomerDialogComponent);
  fixture.detectChanges();
  const el = fixture.nativeElement as HTMLElement;
  const input = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
  const type = (id: string, value: string) => {
    input(id).value = value;
    input(id).dispatchEvent(new Event('input'));
  };
  return { fixture, el, input, type, close, http: TestBed.inject(HttpTestingController) };
}

const RANKS = [{ code: 'VIP', label: 'VIP', colour: '#C62828' }];
const FIELDS = [{ key: 'memberNo', label: '会員番号', type: 'text' }];

describe('CustomerDialogComponent', () => {
  it('starts a 該当者なし registration with the caller’s number and creates the customer', async () => {
    const d = await open({ customer: null, ranks: RANKS, fields: FIELDS, number: '03-1234-5678' });
    expect(d.input('customer-form-phone-0').value).toBe('03-1234-5678');
    d.type('customer-form-name', '山田 太郎');
    d.type('customer-form-kana', 'やまだ たろう');
    d.type('customer-form-company', '山田商事');
    d.type('customer-form-tags', '得意先、要注意');
    d.type('customer-form-custom-memberNo', '1234');
    (d.el.querySelector('[data-testid="customer-form-phone-add"]') as HTMLButtonElement).click();
    d.fixture.detectChanges();
    d.type('customer-form-phone-1', '090-1111-2222');
    (d.el.querySelector('[data-testid="customer-form-save"]') as HTMLButtonElement).click();
    const req = d.http.expectOne({ method: 'POST', url: '/api/v1/popup/customers' });
    expect(req.request.body).toEqual({
      name: '山田 太郎',
      kana: 'やまだ たろう',
      company: '山田商事',
      department: null,
      rank: null,
      tags: ['得意先', '要注意'],
      memo: null,
      numbers: ['03-1234-5678', '090-1111-2222'],
      customFields: { memberNo: '1234' },
    });
    req.flush({ id: 'c1', name: '山田 太郎' });
    expect(d.close).toHaveBeenCalledWith({ id: 'c1', name: '山田 太郎' });
    d.http.verify();
  });

  it('sends nothing without a name and shows the server’s field errors when it refuses', async () => {
    const d = await open({ customer: null, ranks: RANKS, fields: [] });
    (d.el.querySelector('[data-testid="customer-form-save"]') as HTMLButtonElement).click();
    d.http.expectNone('/api/v1/popup/customers');
    d.type('customer-form-name', '山田');
    d.type('customer-form-phone-0', '12');
    (d.el.querySelector('[data-testid="customer-form-save"]') as HTMLButtonElement).click();
    d.http
      .expectOne('/api/v1/popup/customers')
      .flush(
        { message: 'Validation failed', errors: [{ field: 'numbers[0]', message: '"12" is not a phone number' }] },
        { status: 400, statusText: 'Bad Request' },
      );
    d.fixture.detectChanges();
    expect(d.el.textContent).toContain('numbers[0]: "12" is not a phone number');
    expect(d.close).not.toHaveBeenCalled();
    d.http.verify();
  });
});
