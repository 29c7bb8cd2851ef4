import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { ImportWizardPage } from './import-wizard.page';

const BASE = '/api/v1/popup';

describe('ImportWizardPage', () => {
  it('shows the detected encoding, preselects the suggested targets and lists row errors with line and column', async () => {
    await TestBed.configureTestingModule({
      imports: [
        ImportWizardPage,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    TestBed.runInInjectionContext(registerIcons);
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ImportWizardPage);
    fixture.detectChanges();
    http.expectOne(`${BASE}/customer-import-mappings`).flush([]);
    http.expectOne(`${BASE}/customer-ranks`).flush([]);
    http.expectOne(`${BASE}/customer-fields`).flush([{ key: 'memberNo', label: '会員番号', type: 'text' }]);
    const el = fixture.nativeElement as HTMLElement;
    const byId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;

    const input = byId('import-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'a.csv')] });
    input.dispatchEvent(new Event('change'));
    http
      .expectOne((r) => r.url === `${BASE}/customer-imports`)
      .flush({
        id: 'imp-1',
        fileName: 'a.csv',
        encoding: 'shift_jis',
        headers: ['氏名', '電話', '会員番号', '備考欄'],
        rowCount: 2,
        status: 'uploaded',
        jobId: null,
        sample: [['山田', '03-1234-5678', '77', '']],
        suggestedMapping: { 氏名: 'name', 電話: 'phone', 会員番号: 'custom:memberNo' },
        largeFile: false,
      });
    fixture.detectChanges();
    expect(byId('import-encoding').getAttribute('data-encoding')).toBe('shift_jis');
    const values = [0, 1, 2, 3].map((i) => (byId(`import-map-${i}`) as HTMLSelectElement).value);
    expect(values).toEqual(['name', 'phone', 'custom:memberNo', 'ignore']);
    expect((byId('import-key') as HTMLSelectElement).value).toBe('phone');

    (byId('import-preview') as HTMLButtonElement).click();
    http.expectOne(`${BASE}/customer-imports/imp-1/preview`).flush({
      rowCount: 2,
      create: 2,
      update: 0,
      errorCount: 1,
      errors: [{ line: 3, column: '電話', reason: 'not a phone number' }],
      duplicateCount: 0,
      duplicates: [],
    });
    fixture.detectChanges();
    const rows = Array.from(el.querySelectorAll('[data-testid="import-error-row"] td')).map((td) =>
      td.textContent?.trim(),
    );
    expect(rows).toEqual(['3', '電話', 'not a phone number']);
    expect((byId('import-confirm') as HTMLButtonElement).disabled).toBe(true);
    http.verify();
  });
});
