import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { EvidenceKeyService } from '../../products/recordings/evidence/evidence-key';
import { CERTIFICATE_FORMAT, DeletionCertificate, signCertificate } from './deletion-certificate';
import { DeletionCertificateRow, TenantShredding } from './termination.entities';
import { sumOf, TenantInventory } from './tenant-inventory';

/** What contract end keeps, stated on every certificate. */
export const KEPT_RECORDS = [
  'contracts, invoices and payments (the vendor must keep them)',
  'the tenant record itself (id and name), marked terminated',
  'the vendor audit chain recording this deletion',
];

/** The software that did the deletion: set APP_VERSION at build time; npm sets the package version. */
export function softwareVersion(): string {
  return process.env['APP_VERSION'] ?? process.env['npm_package_version'] ?? 'unversioned';
}

/**
 * Issues the deletion certificate of a finished shredding, signed with the evidence key (the one
 * GET /api/v1/evidence/public-key publishes), and keeps it in the vendor's records. One per tenant:
 * issuing again (a resumed run) returns the stored one.
 */
@Injectable()
export class DeletionCertificateIssuer {
  constructor(
    @InjectRepository(DeletionCertificateRow) private readonly rows: Repository<DeletionCertificateRow>,
    private readonly evidenceKey: EvidenceKeyService,
  ) {}

  async issue(record: TenantShredding, inventory: TenantInventory): Promise<DeletionCertificateRow> {
    const existing = await this.rows.findOne({ where: { tenantId: record.tenantId } });
    if (existing) return existing;
    const signer = await this.evidenceKey.signer();
    const objects = sumOf(inventory.objects);
    const id = randomUUID();
    const certificate: DeletionCertificate = {
      format: CERTIFICATE_FORMAT,
      certificateId: id,
      tenant: { id: record.tenantId, name: record.tenantName },
      contractId: record.contractId,
      serviceEndDate: record.serviceEndDate,
      startedAt: record.startedAt.toISOString(),
      // The certificate is the last step: everything it certifies is done when it is signed.
      finishedAt: new Date().toISOString(),
      objects: inventory.objects,
      files: inventory.files,
      rows: inventory.rows,
      totals: {
        objects: objects.count,
        objectBytes: objects.bytes,
        files: inventory.files.count,
        fileBytes: inventory.files.bytes,
        rows: Object.values(inventory.rows).reduce((a, b) => a + b, 0),
      },
      destroyedKeyIds: record.destroyedKeyIds ? (JSON.parse(record.destroyedKeyIds) as string[]) : [],
      kept: KEPT_RECORDS,
      softwareVersion: softwareVersion(),
      signature: { algorithm: 'Ed25519', keyFingerprint: signer.fingerprint },
    };
    const signed = signCertificate(certificate, signer.privateKey);
    const row = this.rows.create({
      id,
      tenantId: record.tenantId,
      document: signed.document,
      signature: signed.signature,
      keyFingerprint: signer.fingerprint,
      issuedAt: new Date(certificate.finishedAt),
    });
    await this.rows.insert(row);
    return row;
  }

  async get(id: string): Promise<DeletionCertificateRow> {
    const row = await this.rows.findOne({ where: { id } });
    if (!row) throw new NotFoundException('deletion certificate not found');
    return row;
  }
}
