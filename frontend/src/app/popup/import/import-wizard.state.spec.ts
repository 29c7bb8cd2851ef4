import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Job } from '../../admin/storage/storage.api';
import type { ImportPreview, ImportUpload } from '../popup.api';
import { ImportWizardState } from './import-wizard.state';

const BASE = '/api/v1/popup';

const upload = (over: Partial<ImportUpload> = {}): ImportUpload => ({
  id: 'imp-1',
  fileName: '顧客.csv',
  encoding: 'shift_jis',
  headers: ['氏名', 'フリガナ', '電話番号', '備考欄'],
  rowCount: 3,
  status: 'uploaded',
  jobId: null,
  sample: [['山田 太郎', 'ヤマダ タロウ', '03-1234-5678', '']],
  suggestedMapping: { 氏名: 'name', フリガナ: 'kana', 電話番号: 'phone' },
  largeFile: false,
  ...over,
});

const preview = (over: Partial<ImportPreview> = {}): ImportPreview => ({
  rowCount: 3,
  create: 2,
  update: 1,
  errorCount: 0,
  errors: [],
  duplicateCount: 1,
  duplicates: [{ line: 4, column: '電話番号', value: '03-1234-5678', kind: 'existing', customerId: 'c1' }],
  ...over,
});

describe('ImportWizardState', () => {
  let w: ImportWizardState;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ImportWizardState],
    });
    w = TestBed.inject(ImportWizardState);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  function uploaded(over: Partial<ImportUpload> = {}) {
    w.sendFile(new File(['x'], '顧客.csv', { type: 'text/csv' }));
    const req = http.expectOne((r) => r.url === `${BASE}/customer-imports`);
    expect(req.request.params.get('fileName')).toBe('顧客.csv');
    expect(req.request.headers.get('Content-Type')).toBe('text/csv');
    req.flush(upload(over));
  }

  it('uploads the file as the body and starts from the suggested mapping, every column sent', () => {
    uploaded();
    expect(w.step()).toBe('mapping');
    expect(w.upload()?.encoding).toBe('shift_jis');
    expect(w.key()).toBe('phone');
    expect(w.request()).toEqual({
      columns: { 氏名: 'name', フリガナ: 'kana', 電話番号: 'phone', 備考欄: 'ignore' },
      key: 'phone',
    });
  });

  it('chooses the external id as key when the file has no phone column', () => {
    uploaded({ headers: ['顧客ID', '氏名'], suggestedMapping: { 顧客ID: 'externalId', 氏名: 'name' } });
    expect(w.key()).toBe('externalId');
  });

  it('shows the server’s field errors of a refused upload and stays on the upload step', () => {
    w.sendFile(new File([''], 'empty.csv'));
    http
      .expectOne(`${BASE}/customer-imports?fileName=empty.csv&encoding=auto`)
      .flush(
        { message: 'Validation failed', errors: [{ field: 'file', message: 'the file is empty' }] },
        { status: 400, statusText: 'Bad Request' },
      );
    expect(w.step()).toBe('upload');
    expect(w.problems()).toEqual(['file: the file is empty']);
    expect(w.busy()).toBe(false);
  });

  it('previews the mapping, and allows confirming only a preview without row errors', () => {
    uploaded();
    w.setTarget('備考欄', 'memo');
    w.runPreview();
    const req = http.expectOne(`${BASE}/customer-imports/imp-1/preview`);
    expect(req.request.body.columns['備考欄']).toBe('memo');
    req.flush(preview({ errorCount: 1, errors: [{ line: 3, column: '電話番号', reason: 'not a phone number' }] }));
    expect(w.step()).toBe('preview');
    expect(w.canConfirm()).toBe(false);
    w.confirm();
    http.expectNone(`${BASE}/customer-imports/imp-1/confirm`);
  });

  it('sends the user back to mapping when the mapping changes after a preview', () => {
    uploaded();
    w.runPreview();
    http.expectOne(`${BASE}/customer-imports/imp-1/preview`).flush(preview());
    expect(w.canConfirm()).toBe(true);
    w.setKey('externalId');
    expect(w.step()).toBe('mapping');
    expect(w.preview()).toBeNull();
    expect(w.canConfirm()).toBe(false);
  });

  it('confirms a small file and shows the result', () => {
    uploaded();
    w.runPreview();
    http.expectOne(`${BASE}/customer-imports/imp-1/preview`).flush(preview());
    w.confirm();
    http.expectOne(`${BASE}/customer-imports/imp-1/confirm`).flush({ result: { created: 2, updated: 1 } });
    expect(w.step()).toBe('done');
    expect(w.result()).toEqual({ created: 2, updated: 1 });
  });

  it('follows a large file as a job, and goes back to preview with the reason when the job fails', () => {
    uploaded({ rowCount: 100_000, largeFile: true });
    w.runPreview();
    http.expectOne(`${BASE}/customer-imports/imp-1/preview`).flush(preview({ rowCount: 100_000 }));
    w.confirm();
    const job: Job = {
      id: 'job-9',
      kind: 'popup.customer-import',
      status: 'queued',
      progress: 0,
      stage: null,
      result: null,
      error: null,
      createdAt: '2026-11-24T00:00:00Z',
      finishedAt: null,
    };
    http.expectOne(`${BASE}/customer-imports/imp-1/confirm`).flush({ job }, { status: 202, statusText: 'Accepted' });
    expect(w.step()).toBe('importing');
    expect(w.job()?.id).toBe('job-9');
    w.jobFinished({ ...job, status: 'failed', error: 'database went away' });
    expect(w.step()).toBe('preview');
    expect(w.problems()).toEqual(['database went away']);
    w.jobFinished({ ...job, status: 'succeeded', progress: 100, result: { created: 100_000, updated: 0 } });
    expect(w.step()).toBe('done');
    expect(w.result()).toEqual({ created: 100_000, updated: 0 });
  });

  it('applies a saved mapping to this file’s headers and saves the mapping under a name with the preview', () => {
    w.loadSaved();
    http.expectOne(`${BASE}/customer-import-mappings`).flush([
      {
        name: '基幹システム',
        columns: { 氏名: 'name', 電話番号: 'phone', 部署: 'department' },
        key: 'phone',
        updatedAt: '',
      },
    ]);
    uploaded();
    w.applySaved('基幹システム');
    expect(w.request()).toEqual({
      columns: { 氏名: 'name', フリガナ: 'ignore', 電話番号: 'phone', 備考欄: 'ignore' },
      key: 'phone',
      saveAs: '基幹システム',
    });
    w.runPreview();
    const req = http.expectOne(`${BASE}/customer-imports/imp-1/preview`);
    expect(req.request.body.saveAs).toBe('基幹システム');
    req.flush(preview());
    // The list is read again so the saved mapping is offered next time.
    http.expectOne(`${BASE}/customer-import-mappings`).flush([]);
  });
});
