import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../core/tenancy/tenant-repository';
import { CallTag } from './call-tag.entity';
import { Call } from './call.entity';
import { Recording } from './recording.entity';
import { RecordingPolicy } from './policy/recording-policy.entity';
import { RecordingPolicyService } from './policy/recording-policy.service';
import { RecordingPolicyController } from './policy/recording-policy.controller';
import { CallSearchService } from './search/call-search.service';
import { CallsController } from './search/calls.controller';
import { CallUpdateService } from './search/call-update';
import { RecordingVault } from './vault/recording-vault';
import { PlaybackController } from './playback/playback.controller';
import { SharedPlaybackController } from './playback/shared-playback.controller';
import { AudioStreamer } from './playback/audio-streamer';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { TRANSCODER } from '../../platform/transcoder/transcoder';
import { createTranscoder } from '../../platform/transcoder/transcoder.factory';

/** The recording store every product writes into and reads from. */
@Module({
  imports: [TypeOrmModule.forFeature([Call, Recording, CallTag, RecordingPolicy])],
  controllers: [
    RecordingPolicyController,
    CallsController,
    PlaybackController,
    SharedPlaybackController,
    IngestController,
  ],
  providers: [
    CallSearchService,
    CallUpdateService,
    RecordingPolicyService,
    RecordingVault,
    IngestService,
    AudioStreamer,
    { provide: TRANSCODER, useFactory: () => createTranscoder({ driver: 'npm' }) },
    tenantRepositoryProvider(Call, 'call'),
    tenantRepositoryProvider(CallTag, 'call tag'),
    tenantRepositoryProvider(Recording, 'recording'),
  ],
  exports: [CallSearchService, RecordingVault, RecordingPolicyService],
})
export class RecordingsModule {}
