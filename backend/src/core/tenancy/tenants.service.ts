import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { Product, Tenant } from './tenant.entity';
import { definedOnly } from '../../platform/objects';

export interface NewTenant {
  name: string;
  products: Product[];
  timeZone?: string;
  defaultLocale?: string;
  isOperator?: boolean;
}

/** Tenants themselves are not tenant-owned: only setup and the vendor console create them. */
@Injectable()
export class TenantsService {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  async create(input: NewTenant, manager?: EntityManager): Promise<Tenant> {
    const repo = manager ? manager.getRepository(Tenant) : this.tenants;
    return repo.save(
      repo.create({
        id: randomUUID(),
        name: input.name,
        products: input.products,
        timeZone: input.timeZone ?? 'Asia/Tokyo',
        defaultLocale: input.defaultLocale ?? 'ja',
        isOperator: input.isOperator ?? false,
        createdAt: new Date(),
      }),
    );
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.tenants.findOne({ where: { id } });
    if (!tenant) throw new NotFoundException('tenant not found');
    return tenant;
  }

  operatorTenant(): Promise<Tenant | null> {
    return this.tenants.findOne({ where: { isOperator: true } });
  }

  list(): Promise<Tenant[]> {
    return this.tenants.find({ order: { createdAt: 'ASC' } });
  }

  async update(id: string, patch: Partial<Pick<Tenant, 'name' | 'products' | 'timeZone' | 'defaultLocale'>>) {
    const tenant = await this.get(id);
    Object.assign(tenant, definedOnly(patch));
    return this.tenants.save(tenant);
  }
}
