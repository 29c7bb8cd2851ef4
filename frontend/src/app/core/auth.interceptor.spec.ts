import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { REFRESH_URL, authInterceptor } from './auth.interceptor';

describe('authInterceptor', () => {
  let http: HttpClient;
  let ctrl: HttpTestingController;
  let navigate: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    ctrl = TestBed.inject(HttpTestingController);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  afterEach(() => ctrl.verify());

  const unauthorized = { status: 401, statusText: 'Unauthorized' };

  it('sends cookies with API calls', () => {
    http.get('/api/v1/users').subscribe();
    const req = ctrl.expectOne('/api/v1/users');
    expect(req.request.withCredentials).toBe(true);
    req.flush([]);
  });

  it('refreshes once on 401 and retries the original request', () => {
    let result: unknown;
    http.get('/api/v1/users').subscribe((r) => (result = r));

    ctrl.expectOne('/api/v1/users').flush(null, unauthorized);
    const refresh = ctrl.expectOne(REFRESH_URL);
    expect(refresh.request.method).toBe('POST');
    refresh.flush({ user: {} });
    ctrl.expectOne('/api/v1/users').flush([{ id: '1' }]);

    expect(result).toEqual([{ id: '1' }]);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('does not refresh a second time when the retry is also 401', () => {
    let status = 0;
    http.get('/api/v1/users').subscribe({ error: (e) => (status = e.status) });

    ctrl.expectOne('/api/v1/users').flush(null, unauthorized);
    ctrl.expectOne(REFRESH_URL).flush({ user: {} });
    ctrl.expectOne('/api/v1/users').flush(null, unauthorized);

    ctrl.expectNone(REFRESH_URL);
    expect(status).toBe(401);
  });

  it('goes to /login when the refresh fails', () => {
    let status = 0;
    http.get('/api/v1/users').subscribe({ error: (e) => (status = e.status) });

    ctrl.expectOne('/api/v1/users').flush(null, unauthorized);
    ctrl.expectOne(REFRESH_URL).flush(null, unauthorized);

    expect(status).toBe(401);
    expect(navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('shares one refresh between concurrent 401s', () => {
    const results: unknown[] = [];
    http.get('/api/v1/a').subscribe((r) => results.push(r));
    http.get('/api/v1/b').subscribe((r) => results.push(r));

    ctrl.expectOne('/api/v1/a').flush(null, unauthorized);
    ctrl.expectOne('/api/v1/b').flush(null, unauthorized);
    ctrl.expectOne(REFRESH_URL).flush({ user: {} });
    ctrl.expectOne('/api/v1/a').flush('a');
    ctrl.expectOne('/api/v1/b').flush('b');

    expect(results.sort()).toEqual(['a', 'b']);
  });

  it('treats a 401 from login as wrong credentials, not an expired session', () => {
    let status = 0;
    http.post('/api/v1/auth/login', {}).subscribe({ error: (e) => (status = e.status) });
    ctrl.expectOne('/api/v1/auth/login').flush(null, unauthorized);

    ctrl.expectNone(REFRESH_URL);
    expect(status).toBe(401);
    expect(navigate).not.toHaveBeenCalled();
  });
});
