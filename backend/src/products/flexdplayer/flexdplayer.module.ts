import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../core/tenancy/tenant-repository';
import { RecordingsModule } from '../recordings/recordings.module';
import { ConnectorSecrets } from './connectors/connector-secrets';
import { FlexdConnector } from './connectors/connector.entity';
import { ConnectorsController } from './connectors/connectors.controller';
import { ConnectorsService } from './connectors/connectors.service';
import { SftpRuntime } from './connectors/sftp-runtime';
import { SftpServerController } from './connectors/sftp-server.controller';
import { FlexdPaths } from './flexdplayer-paths';
import { AudioPreparation, FFMPEG_BINARY } from './import/audio-preparation';
import { ConnectorScans } from './import/connector-scans';
import { DeliveredFile } from './import/delivered-file.entity';
import { DeliveredFilesController } from './import/delivered-files.controller';
import { FileImporter } from './import/file-importer';
import { QuarantineRelease } from './import/quarantine-release';
import { CarrierLine } from './lines/carrier-line.entity';
import { CarrierLinesController } from './lines/carrier-lines.controller';
import { CarrierLinesService } from './lines/carrier-lines.service';
import { CarrierLinePlaces } from './lines/carrier-line-places';
import { MappingProfileRow } from './mapping/mapping-profile.entity';
import { MappingProfilesController } from './mapping/mapping-profiles.controller';
import { MappingProfilesService } from './mapping/mapping-profiles.service';
import { OpeningTest } from './opening-test/opening-test.entity';
import { OpeningTestController } from './opening-test/opening-test.controller';
import { OpeningTestService } from './opening-test/opening-test.service';
import { PushController } from './push/push.controller';

/**
 * FlexDPlayer's server side: carrier connectors, mapping profiles, carrier lines, the import
 * pipeline from inbox to recording store, HTTPS push and the opening test. ConnectorsService is
 * exported for the built-in SFTP server (findSftpAccount) and the SFTP pull client (sftpPullTargets).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([FlexdConnector, MappingProfileRow, CarrierLine, DeliveredFile, OpeningTest]),
    RecordingsModule,
  ],
  controllers: [
    ConnectorsController,
    SftpServerController,
    MappingProfilesController,
    CarrierLinesController,
    DeliveredFilesController,
    OpeningTestController,
    PushController,
  ],
  providers: [
    FlexdPaths,
    ConnectorSecrets,
    ConnectorsService,
    SftpRuntime,
    MappingProfilesService,
    CarrierLinesService,
    CarrierLinePlaces,
    OpeningTestService,
    AudioPreparation,
    FileImporter,
    ConnectorScans,
    QuarantineRelease,
    // ffmpeg from PATH; FLEXDPLAYER_FFMPEG names another binary (or a missing one, to test its absence).
    { provide: FFMPEG_BINARY, useFactory: () => process.env['FLEXDPLAYER_FFMPEG'] || 'ffmpeg' },
    tenantRepositoryProvider(FlexdConnector, 'connector'),
    tenantRepositoryProvider(MappingProfileRow, 'mapping profile'),
    tenantRepositoryProvider(CarrierLine, 'carrier line'),
    tenantRepositoryProvider(DeliveredFile, 'file'),
  ],
  exports: [ConnectorsService, FlexdPaths, ConnectorScans],
})
export class FlexdplayerModule {}
