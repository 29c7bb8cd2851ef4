import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../../core/tenancy/tenant-repository';
import { CallTag } from '../call-tag.entity';
import { Recording } from '../recording.entity';
import { RecordingsModule } from '../recordings.module';
import { EvidenceController } from './evidence.controller';
import { EvidenceExportService } from './evidence-export.service';
import { EvidenceKeyService } from './evidence-key';
import { EvidenceVerifyUpload } from './evidence-verify-upload';

/** Signed evidence exports of the recording store, their download and their verification. */
@Module({
  imports: [RecordingsModule, TypeOrmModule.forFeature([Recording, CallTag])],
  controllers: [EvidenceController],
  providers: [
    EvidenceExportService,
    EvidenceKeyService,
    EvidenceVerifyUpload,
    tenantRepositoryProvider(Recording, 'recording'),
    tenantRepositoryProvider(CallTag, 'call tag'),
  ],
})
export class EvidenceModule {}
