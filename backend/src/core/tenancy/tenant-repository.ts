import { Inject, NotFoundException, Provider } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DeepPartial, FindManyOptions, FindOptionsWhere, Repository, SelectQueryBuilder } from 'typeorm';
import { RequestContext } from './request-context';
import { TenantOwned } from './tenant.entity';

type Where<T> = FindOptionsWhere<T> | FindOptionsWhere<T>[];

/**
 * A repository that can only see and write the current tenant's rows. Services get this instead of
 * a raw TypeORM repository, so no query needs a hand-written tenant filter, and none can forget it.
 */
export class TenantRepository<T extends TenantOwned> {
  constructor(
    private readonly repo: Repository<T>,
    private readonly context: RequestContext,
    private readonly label: string,
  ) {}

  private scoped(where?: Where<T>): Where<T> {
    const tenantId = this.context.tenantId();
    if (Array.isArray(where)) return where.map((w) => ({ ...w, tenantId }) as FindOptionsWhere<T>);
    return { ...(where ?? {}), tenantId } as FindOptionsWhere<T>;
  }

  find(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repo.find({ ...options, where: this.scoped(options.where) });
  }

  findOne(where: Where<T>): Promise<T | null> {
    return this.repo.findOne({ where: this.scoped(where) });
  }

  /** Another tenant's row answers exactly like a missing one: 404, never 403, so ids leak nothing. */
  async get(where: Where<T>): Promise<T> {
    const row = await this.findOne(where);
    if (!row) throw new NotFoundException(`${this.label} not found`);
    return row;
  }

  /** A query builder already restricted to the current tenant; callers add only their own filters. */
  query(alias: string): SelectQueryBuilder<T> {
    return this.repo
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.context.tenantId() });
  }

  count(where?: Where<T>): Promise<number> {
    return this.repo.count({ where: this.scoped(where) });
  }

  create(data: DeepPartial<T>): T {
    return this.repo.create({ ...data, tenantId: this.context.tenantId() } as DeepPartial<T>);
  }

  async save(entity: T): Promise<T> {
    const tenantId = this.context.tenantId();
    if (entity.tenantId && entity.tenantId !== tenantId) {
      throw new Error(`refusing to save a ${this.label} of another tenant`);
    }
    entity.tenantId = tenantId;
    return this.repo.save(entity);
  }

  async remove(entity: T): Promise<void> {
    if (entity.tenantId !== this.context.tenantId()) throw new NotFoundException(`${this.label} not found`);
    await this.repo.remove(entity);
  }

  async deleteWhere(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repo.delete(this.scoped(where) as FindOptionsWhere<T>);
    return result.affected ?? 0;
  }
}

const token = (entity: { name: string }) => `TenantRepository:${entity.name}`;

export const InjectTenantRepository = (entity: { name: string }) => Inject(token(entity));

export function tenantRepositoryProvider<T extends TenantOwned>(entity: new () => T, label = entity.name): Provider {
  return {
    provide: token(entity),
    useFactory: (repo: Repository<T>, context: RequestContext) => new TenantRepository(repo, context, label),
    inject: [getRepositoryToken(entity), RequestContext],
  };
}
