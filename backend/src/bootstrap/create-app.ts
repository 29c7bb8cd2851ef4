import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { AppModule } from '../app.module';
import { SetupService } from '../core/setup/setup.service';
import { setupGate } from '../core/setup/setup-gate';
import { TlsMaterial } from './tls';
import { createValidationPipe } from './validation';
import { jsonBody } from './json-body';
import { unsupportedBrowserPage } from './unsupported-browser';

const baseCsp = {
  defaultSrc: ["'self'"],
  // Angular Material sets inline styles on elements; no inline scripts are allowed.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Scripts may come only from our origin, plus the inline scripts of the built index.html
 * (the Internet Explorer notice), allowed by their exact SHA-256 so no other inline script runs.
 */
function scriptSources(frontendDist?: string): string[] {
  const index = frontendDist ? join(frontendDist, 'index.html') : '';
  if (!index || !existsSync(index)) return ["'self'"];
  const inline = [...readFileSync(index, 'utf8').matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
  return ["'self'", ...inline.map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`)];
}

/** Builds the whole HTTP application; main.ts listens, tests use it as is. */
export async function createApp(config: AppConfig, tls: TlsMaterial | null = null): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // Throw instead of process.exit so main.ts can print one clear line and tests can assert it.
    abortOnError: false,
    httpsOptions: tls ? { cert: tls.cert, key: tls.key } : undefined,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  app.use(jsonBody(config.http.bodyLimit));
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        ...baseCsp,
        scriptSrc: scriptSources(config.frontendDist),
        // Upgrading to https makes sense only when we serve it; on plain-HTTP localhost it would break every request.
        upgradeInsecureRequests: config.tls.enabled ? [] : null,
      },
    },
    hsts: config.tls.enabled ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // Swagger UI needs its own inline bootstrap script; everything else gets the strict policy.
  const docs = helmet({ contentSecurityPolicy: false, hsts: config.tls.enabled });
  app.use((req: { path: string }, res: unknown, next: () => void) =>
    (req.path.startsWith('/api/docs') ? docs : strict)(req as never, res as never, next),
  );
  app.use(unsupportedBrowserPage());
  app.use(cookieParser());
  app.enableCors(
    config.http.corsOrigins.length ? { origin: config.http.corsOrigins, credentials: true } : { origin: false },
  );
  app.use(setupGate(app.get(SetupService)));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Call-recording appliance API')
      .setVersion('1')
      .addCookieAuth('access_token')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key of a site or connector' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
  // Node closes idle keep-alive sockets after 5 s; capture boxes, proxies and load balancers keep
  // theirs for up to a minute and then race the close (ECONNRESET on a reused socket). Outlive them.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}
