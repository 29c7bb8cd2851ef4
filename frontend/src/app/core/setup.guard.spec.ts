import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { Observable } from 'rxjs';
import { setupGuard, setupPendingGuard } from './setup.guard';

describe('setup guards', () => {
  let ctrl: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    ctrl = TestBed.inject(HttpTestingController);
  });

  function run(guard: typeof setupGuard, setupComplete: boolean): unknown {
    let result: unknown;
    const out = TestBed.runInInjectionContext(() =>
      guard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    ) as Observable<unknown>;
    out.subscribe((r) => (result = r));
    ctrl.expectOne('/api/setup/status').flush({ setupComplete });
    return result;
  }

  it('sends every route to /setup while setup is pending', () => {
    const result = run(setupGuard, false);
    expect(result).toBeInstanceOf(UrlTree);
    expect(String(result)).toBe('/setup');
  });

  it('lets routes through once setup is complete', () => {
    expect(run(setupGuard, true)).toBe(true);
  });

  it('closes the wizard once setup is complete', () => {
    expect(String(run(setupPendingGuard, true))).toBe('/');
  });
});
