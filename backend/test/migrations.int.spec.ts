import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/platform/database/database-options';
import { ENTITIES, MIGRATIONS } from '../src/schema';
import { testDatabases } from './support/test-databases';

describe.each(testDatabases())('migrations on $name', (db) => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appliance-migrations-'));
    const created = await db.create(dir);
    drop = created.drop;
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: created.url });
    ds = new DataSource(buildDataSourceOptions(config.database, { entities: ENTITIES, migrations: MIGRATIONS }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  /** Every entity column and index exists in the migrated schema with the same nullability. */
  async function schemaProblems(): Promise<string[]> {
    const problems: string[] = [];
    const runner = ds.createQueryRunner();
    try {
      for (const entity of ds.entityMetadatas) {
        const table = await runner.getTable(entity.tableName);
        if (!table) {
          problems.push(`${entity.tableName}: table missing`);
          continue;
        }
        for (const column of entity.columns) {
          const actual = table.findColumnByName(column.databaseName);
          if (!actual) problems.push(`${entity.tableName}.${column.databaseName}: column missing`);
          else if (actual.isNullable !== column.isNullable) {
            problems.push(
              `${entity.tableName}.${column.databaseName}: nullable ${actual.isNullable}, entity says ${column.isNullable}`,
            );
          }
        }
        for (const index of entity.indices) {
          const actual = table.indices.find((i) => i.name === index.name);
          if (!actual) problems.push(`${entity.tableName}: index ${index.name} missing`);
          else if (!!actual.isUnique !== !!index.isUnique)
            problems.push(`${entity.tableName}: index ${index.name} uniqueness differs`);
        }
      }
    } finally {
      await runner.release();
    }
    return problems;
  }

  it('build the schema the entities describe: every column, nullability and index', async () => {
    await ds.runMigrations();
    expect(await schemaProblems()).toEqual([]);
  });

  it('upgrade from every older release: down to each step and up again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    expect(await ds.showMigrations()).toBe(true);
    await ds.runMigrations();
    expect(await ds.showMigrations()).toBe(false);
    expect(await schemaProblems()).toEqual([]);
  });
});
