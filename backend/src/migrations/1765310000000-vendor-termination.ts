import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, ref, str, text, time } from './column-shapes';

/**
 * Contract end (Art. 12.4): the progress of each tenant's shredding, the signed deletion
 * certificates and the rental equipment to be returned. No foreign key to tenants: these are the
 * vendor's records and outlive everything of the tenant but its row.
 */
export class VendorTermination1765310000000 implements MigrationInterface {
  name = 'VendorTermination1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'vendor_tenant_shreddings',
        columns: [
          { ...ref('tenantId'), isPrimary: true },
          str('tenantName', 200),
          str('contractId', 64),
          str('serviceEndDate', 10),
          text('stepsDone'),
          text('inventory', true),
          text('destroyedKeyIds', true),
          ref('certificateId', true),
          ref('requestedBy', true),
          text('lastError', true),
          time('startedAt'),
          time('finishedAt', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_deletion_certificates',
        columns: [
          id(),
          ref('tenantId'),
          text('document'),
          str('signature', 128),
          str('keyFingerprint', 80),
          time('issuedAt'),
        ],
        indices: [{ name: 'ux_vendor_deletion_certificates_tenant', columnNames: ['tenantId'], isUnique: true }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vendor_equipment_returns',
        columns: [
          id(),
          ref('tenantId'),
          str('contractId', 64),
          str('serialNumber', 100),
          str('serviceEndDate', 10),
          str('deadline', 10),
          str('returnedOn', 10, true),
          time('createdAt'),
        ],
        indices: [
          { name: 'ux_vendor_equipment_returns_item', columnNames: ['contractId', 'serialNumber'], isUnique: true },
          { name: 'ix_vendor_equipment_returns_deadline', columnNames: ['returnedOn', 'deadline'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('vendor_equipment_returns');
    await q.dropTable('vendor_deletion_certificates');
    await q.dropTable('vendor_tenant_shreddings');
  }
}
