import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Product, Role } from './api.types';
import { AuthService } from './auth.service';

/** Allows the route when the user holds any of `roles`; runs after authGuard. */
export function roleGuard(roles: readonly Role[]): CanActivateFn {
  return () => {
    const auth = inject(AuthService);
    return auth.hasAnyRole(roles) ? true : inject(Router).createUrlTree(['/']);
  };
}

/** Allows a product's pages only when the tenant has the product enabled. */
export function productGuard(product: Product): CanActivateFn {
  return () => {
    const products = inject(AuthService).me()?.tenant.products ?? [];
    return products.includes(product) ? true : inject(Router).createUrlTree(['/']);
  };
}

/** Allows the route when the tenant has any of `products` (screens shared by products, e.g. capture sites). */
export function anyProductGuard(products: readonly Product[]): CanActivateFn {
  return () => {
    const enabled = inject(AuthService).me()?.tenant.products ?? [];
    return products.some((p) => enabled.includes(p)) ? true : inject(Router).createUrlTree(['/']);
  };
}

/** Vendor screens exist only in hosted multi-tenant mode. */
export const multiTenantGuard: CanActivateFn = () => {
  const mode = inject(AuthService).me()?.tenant.deploymentMode;
  return mode === 'multi' ? true : inject(Router).createUrlTree(['/']);
};
