import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { registerIcons } from '../../core/icons';
import { JobProgressComponent } from './job-progress.component';
import { Job } from './storage.api';

const job = (over: Partial<Job>): Job => ({
  id: 'job-1',
  kind: 'recordings.deletion',
  status: 'queued',
  progress: 0,
  stage: null,
  result: null,
  error: null,
  createdAt: '2026-11-24T00:00:00Z',
  finishedAt: null,
  ...over,
});

describe('JobProgressComponent', () => {
  let http: HttpTestingController;

  beforeEach(async () => {
    jest.useFakeTimers();
    await TestBed.configureTestingModule({
      imports: [
        JobProgressComponent,
        TranslocoTestingModule.forRoot({ langs: { ja: {} }, translocoConfig: { defaultLang: 'ja' } }),
      ],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    TestBed.runInInjectionContext(registerIcons);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('polls the job until it succeeds, shows its progress and reports the finished job once', () => {
    const fixture = TestBed.createComponent(JobProgressComponent);
    const finished: Job[] = [];
    fixture.componentInstance.finished.subscribe((j) => finished.push(j));
    fixture.componentRef.setInput('start', job({}));
    fixture.detectChanges();

    jest.advanceTimersByTime(0);
    http.expectOne('/api/v1/jobs/job-1').flush(job({ status: 'running', progress: 40, stage: 'deleting' }));
    fixture.detectChanges();
    const bar = fixture.nativeElement.querySelector('mat-progress-bar') as HTMLElement;
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(fixture.nativeElement.textContent).toContain('deleting');

    jest.advanceTimersByTime(1000);
    http.expectOne('/api/v1/jobs/job-1').flush(job({ status: 'succeeded', progress: 100, stage: 'deleting' }));
    fixture.detectChanges();
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    // A finished job's last stage is not shown as if still under way.
    expect(fixture.nativeElement.textContent).not.toContain('deleting');
    expect(finished.map((j) => j.status)).toEqual(['succeeded']);

    jest.advanceTimersByTime(5000);
    http.expectNone('/api/v1/jobs/job-1');
  });

  it('offers a retry when the job cannot be read', () => {
    const fixture = TestBed.createComponent(JobProgressComponent);
    fixture.componentRef.setInput('start', job({}));
    fixture.detectChanges();
    jest.advanceTimersByTime(0);
    http.expectOne('/api/v1/jobs/job-1').flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    fixture.detectChanges();
    const retry = fixture.nativeElement.querySelector('button') as HTMLButtonElement;
    expect(retry).toBeTruthy();
    retry.click();
    jest.advanceTimersByTime(0);
    http.expectOne('/api/v1/jobs/job-1').flush(job({ status: 'running', progress: 10 }));
    fixture.detectChanges();
    expect(fixture.nativeElement.querySelector('button')).toBeNull();
    jest.advanceTimersByTime(1000);
    http.expectOne('/api/v1/jobs/job-1').flush(job({ status: 'failed', progress: 10, error: 'storage down' }));
    fixture.detectChanges();
    expect(fixture.nativeElement.textContent).toContain('storage down');
  });
});
