import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../core/tenancy/tenant-repository';
import { UsersModule } from '../../core/users/users.module';
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
import { ResumableUploadController } from './ingest/resumable-upload.controller';
import { ResumableUploadService } from './ingest/resumable-upload.service';
import { SealedUploadParts } from './ingest/sealed-upload-parts';
import { TusResumableMiddleware } from './ingest/tus-resumable.middleware';
import { UploadSession } from './ingest/upload-session.entity';
import { UploadSegment } from './ingest/upload-segment.entity';
import { CallDeleter } from './deletion/call-deleter';
import { DeletionController } from './deletion/deletion.controller';
import { DeletionService } from './deletion/deletion.service';
import { CapacityAlerts } from './retention/capacity-alerts';
import { CapacityService } from './retention/capacity.service';
import { RetentionJob } from './retention/retention.job';
import { RetentionScheduler } from './retention/retention.scheduler';
import { UsageController } from './retention/usage.controller';
import { UsageService } from './retention/usage.service';
import { UsageCounter } from './retention/usage-counter';
import { TRANSCODER } from '../../platform/transcoder/transcoder';
import { createTranscoder } from '../../platform/transcoder/transcoder.factory';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { MissedCalls } from './dashboard/missed-calls';
import { CallPlaces } from './places/call-places';
import { PlacesController } from './places/places.controller';
import { RecordingEvents } from './recording-events';

/** The recording store every product writes into and reads from. */
@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([Call, Recording, CallTag, RecordingPolicy, UploadSession, UploadSegment]),
  ],
  controllers: [
    RecordingPolicyController,
    CallsController,
    PlaybackController,
    SharedPlaybackController,
    IngestController,
    ResumableUploadController,
    UsageController,
    DeletionController,
    DashboardController,
    PlacesController,
  ],
  providers: [
    CallSearchService,
    CallUpdateService,
    RecordingPolicyService,
    RecordingVault,
    IngestService,
    ResumableUploadService,
    SealedUploadParts,
    AudioStreamer,
    CallDeleter,
    CapacityAlerts,
    CapacityService,
    RetentionJob,
    RetentionScheduler,
    UsageService,
    UsageCounter,
    DeletionService,
    DashboardService,
    MissedCalls,
    CallPlaces,
    RecordingEvents,
    {
      provide: TRANSCODER,
      useFactory: (config: AppConfig) => createTranscoder({ driver: 'npm', workers: config.transcoderWorkers }),
      inject: [APP_CONFIG],
    },
    tenantRepositoryProvider(Call, 'call'),
    tenantRepositoryProvider(CallTag, 'call tag'),
    tenantRepositoryProvider(Recording, 'recording'),
    tenantRepositoryProvider(UploadSession, 'upload'),
  ],
  // IngestService: other products (FlexDPlayer's importer) store calls through the same path as uploads.
  // CallPlaces: products register the names of their sites and lines, which calls carry only as ids.
  // CallUpdateService: 応対力 appends a popup's memo to the call's notes as its author.
  // RecordingEvents: FlexVNote queues a transcription for each stored call.
  exports: [
    CallSearchService,
    CallUpdateService,
    RecordingVault,
    RecordingPolicyService,
    IngestService,
    CallPlaces,
    RecordingEvents,
  ],
})
export class RecordingsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TusResumableMiddleware).forRoutes(ResumableUploadController);
  }
}
