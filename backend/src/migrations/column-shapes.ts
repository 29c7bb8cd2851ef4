import { TableColumnOptions } from 'typeorm';

// Column shapes shared by the migrations, written with TypeORM's Table API so one migration
// produces the right DDL on MySQL/MariaDB and SQLite. Migrations must stay frozen once
// released: change a shape here only by adding a new helper.
export const id = (name = 'id'): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isPrimary: name === 'id',
});
export const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
export const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
export const integer = (name: string, defaultValue?: number): TableColumnOptions => ({
  name,
  type: 'int',
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});
export const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
