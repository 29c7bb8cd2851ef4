import { ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Product } from './tenant.entity';
import { TenantsService } from './tenants.service';

export const REQUIRED_PRODUCTS = 'tenancy:products';

/**
 * The endpoints belong to a product: a tenant whose contract does not include any of these gets 403,
 * whatever the user's roles (the app hides the product, this keeps a crafted request out as well).
 */
export const RequiresProduct = (...products: Product[]) => SetMetadata(REQUIRED_PRODUCTS, products);

/**
 * Read on every request, not cached: one primary-key row, next to the user lookup the guard does
 * anyway, and a contract change (or an operator's fix in the database) takes effect at once on
 * every instance.
 */
@Injectable()
export class ProductAccess {
  constructor(private readonly tenants: TenantsService) {}

  async assert(tenantId: string, required: Product[]): Promise<void> {
    const { products } = await this.tenants.get(tenantId);
    if (!required.some((p) => products.includes(p))) {
      throw new ForbiddenException(`this tenant's contract does not include ${required.join(' or ')}`);
    }
  }
}
