import { ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Product } from './tenant.entity';
import { TenantsService } from './tenants.service';

export const REQUIRED_PRODUCTS = 'tenancy:products';

/**
 * The endpoints belong to a product: a tenant whose contract does not include any of these gets 403,
 * whatever the user's roles (the app hides the product, this keeps a crafted request out as well).
 */
export const RequiresProduct = (...products: Product[]) => SetMetadata(REQUIRED_PRODUCTS, products);

/** Products change with contracts, a few times a year: a short cache spares a query per request. */
const CACHE_MS = 10_000;

@Injectable()
export class ProductAccess {
  private readonly cache = new Map<string, { products: Product[]; at: number }>();

  constructor(private readonly tenants: TenantsService) {}

  async assert(tenantId: string, required: Product[]): Promise<void> {
    const products = await this.productsOf(tenantId);
    if (!required.some((p) => products.includes(p))) {
      throw new ForbiddenException(`this tenant's contract does not include ${required.join(' or ')}`);
    }
  }

  private async productsOf(tenantId: string): Promise<Product[]> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.products;
    const { products } = await this.tenants.get(tenantId);
    this.cache.set(tenantId, { products, at: Date.now() });
    return products;
  }
}
