import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceKeyService } from '../../products/recordings/evidence/evidence-key';
import { RecordingsModule } from '../../products/recordings/recordings.module';
import { ContractsModule } from '../contracts/contracts.module';
import { ContractsService } from '../contracts/contracts.service';
import { ContractEndJobs } from './contract-end.job';
import { DeletionCertificateIssuer } from './deletion-certificate-issuer';
import { ENDED_CONTRACTS_SOURCE } from './ended-contracts-source';
import { EquipmentReturnsService } from './equipment-returns.service';
import { TenantInventoryService } from './tenant-inventory';
import { TenantShredder } from './tenant-shredder';
import { TerminationController } from './termination.controller';
import { DeletionCertificateRow, EquipmentReturn, TenantShredding } from './termination.entities';

/**
 * Contract end (Art. 12.4, 12.8-9). Which contracts have ended comes from ENDED_CONTRACTS_SOURCE,
 * the contracts' own service: a contract ends on the service end date its cancellation fixed.
 */
@Module({
  imports: [
    RecordingsModule,
    ContractsModule,
    TypeOrmModule.forFeature([TenantShredding, DeletionCertificateRow, EquipmentReturn]),
  ],
  controllers: [TerminationController],
  providers: [
    { provide: ENDED_CONTRACTS_SOURCE, useExisting: ContractsService },
    // The same key evidence exports are signed with: stored in the settings, so one key per installation.
    EvidenceKeyService,
    TenantInventoryService,
    DeletionCertificateIssuer,
    TenantShredder,
    EquipmentReturnsService,
    ContractEndJobs,
  ],
  exports: [EquipmentReturnsService, TenantShredder],
})
export class TerminationModule {}
