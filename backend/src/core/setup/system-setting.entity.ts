import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../platform/database/columns';

/** Installation-wide settings (setup flag, storage, key mode, SMTP); secrets inside are encrypted. */
@Entity('system_settings')
export class SystemSetting {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @Column({ type: 'text' }) value!: string;
  @TimestampColumn() updatedAt!: Date;
}
