import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../core/tenancy/tenant-repository';
import { RecordingsModule } from '../recordings/recordings.module';
import { AlertDelivery } from './alerts/alert-delivery';
import { SiteAlerts } from './alerts/site-alerts.service';
import { SiteHealthScheduler } from './alerts/site-health.scheduler';
import { CallEventIntake } from './events/call-event-intake';
import { CallEventsGateway } from './events/call-events.gateway';
import { CallEventsService } from './events/call-events.service';
import { LiveCallsController } from './events/live-calls.controller';
import { CaptureController } from './health/capture.controller';
import { HeartbeatMinute } from './health/heartbeat-minute.entity';
import { HeartbeatService } from './health/heartbeat.service';
import { SiteHealth } from './health/site-health.entity';
import { SiteStatusService } from './health/site-status.service';
import { FlexlogSite } from './sites/site.entity';
import { SitesController } from './sites/sites.controller';
import { SitesService } from './sites/sites.service';
import { SitePlaces } from './sites/site-places';
import { WebhookSecrets } from './sites/webhook-secrets';

/**
 * FlexLog's server side: sites and their API keys, the capture boxes' heartbeats and health alerts,
 * and their call-event stream, which other products (応対力) follow through CallEventsService.
 */
@Module({
  // The recording store's public services: the recording policy decides who sees live calls.
  imports: [TypeOrmModule.forFeature([FlexlogSite, SiteHealth, HeartbeatMinute]), RecordingsModule],
  controllers: [SitesController, CaptureController, LiveCallsController],
  providers: [
    SitesService,
    SitePlaces,
    WebhookSecrets,
    SiteStatusService,
    HeartbeatService,
    SiteAlerts,
    AlertDelivery,
    SiteHealthScheduler,
    CallEventsService,
    CallEventIntake,
    CallEventsGateway,
    tenantRepositoryProvider(FlexlogSite, 'site'),
  ],
  exports: [CallEventsService],
})
export class FlexlogModule {}
