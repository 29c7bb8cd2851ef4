import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { Me, Role } from './api.types';
import { AuthService } from './auth.service';
import { anyProductGuard, multiTenantGuard, productGuard, roleGuard } from './role.guard';

function meWith(roles: Role[], mode: 'single' | 'multi' = 'single'): Me {
  return {
    id: 'u1',
    email: 'a@example.jp',
    displayName: 'A',
    roles,
    locale: 'ja',
    tenant: { id: 't1', name: 'T', products: ['flexlog'], deploymentMode: mode, timeZone: 'Asia/Tokyo' },
  };
}

describe('role guards', () => {
  const me = signal<Me | null>(null);
  const run = (guard: ReturnType<typeof roleGuard>) =>
    TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot));

  beforeEach(() => {
    const auth: Partial<AuthService> = {
      me,
      hasAnyRole: (roles: readonly Role[]) => roles.some((r) => me()?.roles.includes(r) ?? false),
    };
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AuthService, useValue: auth }],
    });
  });

  it('allows a user holding one of the roles', () => {
    me.set(meWith(['operator', 'auditor']));
    expect(run(roleGuard(['tenantAdmin', 'auditor']))).toBe(true);
  });

  it('redirects a user without the roles to the home page', () => {
    me.set(meWith(['operator']));
    const result = run(roleGuard(['tenantAdmin']));
    expect(result).toBeInstanceOf(UrlTree);
    expect(String(result)).toBe('/');
  });

  it('allows product pages only for enabled products', () => {
    me.set(meWith(['operator']));
    expect(run(productGuard('flexlog'))).toBe(true);
    expect(run(productGuard('flexvnote'))).toBeInstanceOf(UrlTree);
  });

  it('allows a page shared by products when any one of them is enabled', () => {
    me.set(meWith(['tenantAdmin']));
    expect(run(anyProductGuard(['ootairyoku', 'flexlog']))).toBe(true);
    expect(run(anyProductGuard(['ootairyoku', 'flexvnote']))).toBeInstanceOf(UrlTree);
  });

  it('shows vendor screens only in multi-tenant mode', () => {
    me.set(meWith(['vendorAdmin'], 'single'));
    expect(run(multiTenantGuard)).toBeInstanceOf(UrlTree);
    me.set(meWith(['vendorAdmin'], 'multi'));
    expect(run(multiTenantGuard)).toBe(true);
  });
});
