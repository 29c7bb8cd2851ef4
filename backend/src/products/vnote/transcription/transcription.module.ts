import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { Recording } from '../../recordings/recording.entity';
import { RecordingsModule } from '../../recordings/recordings.module';
import { VnoteEventsModule } from '../shared/transcript-events';
import { AmivoiceEngine } from './engines/amivoice-engine';
import { AwsTranscribeEngine } from './engines/aws-transcribe-engine';
import { PocketsphinxEngine } from './engines/pocketsphinx-engine';
import { SherpaOnnxEngine } from './engines/sherpa-onnx-engine';
import { SPEECH_ENGINES, SpeechEngine } from './engines/speech-engine';
import { TranscriptionController } from './transcription.controller';
import { VNOTE_TRANSCRIPTION_ENTITIES } from './transcription.entities';
import { TranscriptionQueue } from './transcription-queue';
import { TranscriptionService } from './transcription.service';
import { TranscriptionWorker } from './transcription.worker';
import { VnoteSettingsService } from './vnote-settings.service';
import { WorkerSlots } from './worker-slots';

/** Transcription jobs, speech engines and transcripts. */
@Module({
  imports: [
    VnoteEventsModule,
    RecordingsModule,
    TypeOrmModule.forFeature([...VNOTE_TRANSCRIPTION_ENTITIES, Recording]),
  ],
  controllers: [TranscriptionController],
  providers: [
    {
      provide: SPEECH_ENGINES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SpeechEngine[] => [
        new PocketsphinxEngine(),
        new SherpaOnnxEngine(config.vnote.modelsDir),
        new AwsTranscribeEngine({ transcribe: config.vnote.awsTranscribeEndpoint, s3: config.vnote.awsS3Endpoint }),
        new AmivoiceEngine({ baseUrl: config.vnote.amivoiceEndpoint }),
      ],
    },
    VnoteSettingsService,
    WorkerSlots,
    TranscriptionQueue,
    TranscriptionService,
    TranscriptionWorker,
  ],
  exports: [VnoteSettingsService],
})
export class TranscriptionModule {}
