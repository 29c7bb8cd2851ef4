import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AuditModule } from './core/audit/audit.module';
import { AuthModule } from './core/auth/auth.module';
import { JobsModule } from './core/jobs/jobs.module';
import { SupportModule } from './core/support/support.module';
import { HealthModule } from './core/health/health.module';
import { SettingsController } from './core/settings/settings.controller';
import { SetupModule } from './core/setup/setup.module';
import { TenancyModule } from './core/tenancy/tenancy.module';
import { UsersModule } from './core/users/users.module';
import { KeysModule } from './platform/crypto/keys.module';
import { buildDataSourceOptions } from './platform/database/database-options';
import { MailModule } from './platform/mail/mail.module';
import { QueueModule } from './platform/queue/queue.module';
import { ENTITIES, MIGRATIONS } from './schema';
import { VendorModule } from './vendor/vendor.module';
import { RecordingsModule } from './products/recordings/recordings.module';
import { EvidenceModule } from './products/recordings/evidence/evidence.module';
import { FlexlogModule } from './products/flexlog/flexlog.module';
import { FlexdplayerModule } from './products/flexdplayer/flexdplayer.module';
import { PopupModule } from './products/popup/popup.module';
import { VnoteModule } from './products/vnote/vnote.module';
import { WebhooksModule } from './core/webhooks/webhooks.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const staticSite =
      config.frontendDist && existsSync(config.frontendDist)
        ? [
            ServeStaticModule.forRoot({
              rootPath: config.frontendDist,
              exclude: ['/api/{*path}'],
              serveStaticOptions: { index: 'index.html', maxAge: '1h' },
            }),
          ]
        : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Honour a caller's request id so one id follows a call from capture to API.
            genReqId: (req: IncomingMessage) => {
              const given = req.headers['x-request-id'];
              return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
            },
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
          },
        }),
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            setup: (cls, req: { ip?: string }) => cls.set('ip', req.ip),
          },
        }),
        ThrottlerModule.forRoot([{ name: 'auth', ttl: 60_000, limit: config.auth.rateLimitPerMinute }]),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(config.database, { entities: ENTITIES, migrations: MIGRATIONS }),
          migrationsRun: config.runMigrations,
          retryAttempts: 0,
        }),
        ...staticSite,
        KeysModule,
        MailModule,
        QueueModule,
        TenancyModule,
        AuditModule,
        JobsModule,
        SupportModule,
        AuthModule,
        UsersModule,
        SetupModule,
        HealthModule,
        WebhooksModule,
        RecordingsModule,
        EvidenceModule,
        FlexlogModule,
        FlexdplayerModule,
        PopupModule,
        VnoteModule,
        VendorModule,
      ],
      controllers: [SettingsController],
    };
  }
}
