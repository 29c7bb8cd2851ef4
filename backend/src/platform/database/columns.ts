import { Column, ColumnOptions } from 'typeorm';

// Portable column shapes: the same entity maps onto MySQL 8 / MariaDB and SQLite.
// Times are UTC with millisecond precision on both (mysql2 runs with timezone 'Z').
export const TimestampColumn = (options: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, ...options });

export const IdColumnLength = 36;
