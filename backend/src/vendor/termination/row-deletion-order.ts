import { DataSource } from 'typeorm';

/**
 * The tables in an order that deletes every referencing row before the row it references: a
 * foreign key without ON DELETE CASCADE (MariaDB enforces them; SQLite here does too) would refuse
 * the parent first. Read from the live schema, so it follows the migrations, not the entities.
 */
export async function deletionOrder(dataSource: DataSource, tables: string[]): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  const referenced = new Map<string, Set<string>>();
  try {
    for (const table of await runner.getTables(tables)) {
      const parents = table.foreignKeys
        .map((fk) => stripSchema(fk.referencedTableName))
        .filter((parent) => parent !== stripSchema(table.name) && tables.includes(parent));
      referenced.set(stripSchema(table.name), new Set(parents));
    }
  } finally {
    await runner.release();
  }
  const order: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    // A table no remaining table points at can go now.
    const free = [...remaining].filter((t) => ![...remaining].some((other) => referenced.get(other)?.has(t)));
    if (free.length === 0) throw new Error(`foreign keys form a cycle among ${[...remaining].join(', ')}`);
    for (const t of free.sort()) {
      order.push(t);
      remaining.delete(t);
    }
  }
  return order;
}

/** MariaDB reports `database.table`; the entity metadata says `table`. */
function stripSchema(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? name : name.slice(dot + 1);
}
