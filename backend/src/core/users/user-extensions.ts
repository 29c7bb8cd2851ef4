import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { UserExtension } from './user-extension.entity';

/**
 * The extension -> user map of a tenant. Assigning an extension also gives its user the calls
 * already recorded there without an owner, so a mapping made after go-live covers the past too.
 */
@Injectable()
export class UserExtensions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The extensions of each of the given users of a tenant. */
  async of(tenantId: string, userIds: string[]): Promise<Map<string, string[]>> {
    const rows = userIds.length
      ? await this.dataSource.getRepository(UserExtension).find({ where: { tenantId, userId: In(userIds) } })
      : [];
    const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.userId)?.push(r.extension);
    for (const list of out.values()) list.sort();
    return out;
  }

  /** The user who answers at an extension, if mapped. */
  async userAt(tenantId: string, extension: string | null | undefined): Promise<string | null> {
    if (!extension) return null;
    const row = await this.dataSource.getRepository(UserExtension).findOne({ where: { tenantId, extension } });
    return row?.userId ?? null;
  }

  /** 409 when one of the extensions belongs to someone other than `userId` (null: to anyone). */
  async assertFree(tenantId: string, extensions: string[], userId: string | null = null, manager?: EntityManager) {
    if (!extensions.length) return;
    const repo = (manager ?? this.dataSource.manager).getRepository(UserExtension);
    const clash = (await repo.find({ where: { tenantId, extension: In(extensions) } })).find(
      (t) => t.userId !== userId,
    );
    if (clash) throw new ConflictException(`extensions: ${clash.extension} already belongs to another user`);
  }

  /** Replaces a user's extensions; 409 naming the extension another user of the tenant already has. */
  async assign(tenantId: string, userId: string, extensions: string[], manager?: EntityManager): Promise<void> {
    const run = async (m: EntityManager) => {
      const repo = m.getRepository(UserExtension);
      const taken = extensions.length ? await repo.find({ where: { tenantId, extension: In(extensions) } }) : [];
      const clash = taken.find((t) => t.userId !== userId);
      if (clash) throw new ConflictException(`extensions: ${clash.extension} already belongs to another user`);
      // Touch only the rows that change, by primary key. A range DELETE over (tenantId, userId) takes
      // next-key locks on InnoDB, and two users created at once then deadlock on the same gap.
      const had = (await repo.find({ where: { tenantId, userId } })).map((r) => r.extension);
      const dropped = had.filter((e) => !extensions.includes(e));
      const added = extensions.filter((e) => !had.includes(e));
      if (dropped.length) await repo.delete({ tenantId, userId, extension: In(dropped) });
      if (added.length) await repo.insert(added.map((extension) => ({ tenantId, extension, userId })));
      if (added.length) {
        // Calls have no entity here (core must not import products): a plain portable UPDATE.
        await m
          .createQueryBuilder()
          .update('calls')
          .set({ userId })
          .where({ tenantId, extension: In(added), userId: IsNull() })
          .execute();
      }
    };
    await (manager ? run(manager) : this.dataSource.transaction(run));
  }
}
