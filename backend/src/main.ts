import { NestFactory } from '@nestjs/core';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { createApp } from './bootstrap/create-app';
import { loadTls } from './bootstrap/tls';
import { AuditService } from './core/audit/audit.service';
import { TenantsService } from './core/tenancy/tenants.service';
import { runEvidenceVerifyCli } from './products/recordings/evidence/evidence-verify-cli';
import { MasterKeyRotation } from './core/setup/master-key-rotation';
import { runBillingSimulateCli } from './vendor/billing/billing-simulate-cli';
import { runCertificateVerifyCli } from './vendor/termination/certificate-verify-cli';

/**
 * `main.js` serves the API and the app; `main.js worker` runs jobs only; `main.js audit-verify` checks
 * every chain; `main.js rotate-master-key` adds a master-key version and re-wraps everything under it;
 * `main.js evidence-verify <zip> --public-key <file|url>` checks an evidence export (needs no configuration);
 * `main.js billing-simulate <scenario.json>` prints a scenario's bills (needs no configuration either);
 * `main.js certificate-verify <certificate.json> --public-key <pem>` checks a deletion certificate.
 */
async function main(command = 'serve'): Promise<void> {
  if (command === 'evidence-verify') {
    process.exitCode = await runEvidenceVerifyCli(process.argv.slice(3));
    return;
  }
  if (command === 'billing-simulate') {
    process.exitCode = await runBillingSimulateCli(process.argv.slice(3));
    return;
  }
  if (command === 'certificate-verify') {
    process.exitCode = await runCertificateVerifyCli(process.argv.slice(3));
    return;
  }
  const config = loadConfig();
  // Recordings, the database and keys live here: nobody else on the host may read it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (command === 'serve') return serve(config);
  if (command === 'worker') {
    // Same modules, no HTTP listener: product modules register their queue processors on init.
    const context = await NestFactory.createApplicationContext(
      AppModule.forRoot({ ...config, processRole: 'worker' }),
      {
        bufferLogs: true,
        abortOnError: false,
      },
    );
    context.enableShutdownHooks();
    console.log('worker ready');
    return;
  }
  if (command === 'audit-verify') return auditVerify(config);
  if (command === 'rotate-master-key') return rotateMasterKey(config);
  throw new ConfigError(
    `unknown command "${command}": use serve, worker, audit-verify, rotate-master-key, evidence-verify, billing-simulate or certificate-verify`,
  );
}

async function serve(config: AppConfig): Promise<void> {
  // The built app ships next to the backend bundle (dist/backend/main.js -> dist/frontend/browser).
  config.frontendDist ??= join(__dirname, '..', 'frontend', 'browser');
  const tls = await loadTls(config);
  const app = await createApp(config, tls);
  await app.listen(config.http.port, config.http.host);
  const scheme = tls ? 'https' : 'http';
  const shownHost = config.http.host === '127.0.0.1' ? 'localhost' : config.http.host;
  console.log(`appliance ready on ${scheme}://${shownHost}:${config.http.port}`);
  if (tls && config.http.redirectPort) {
    createServer((req, res) => {
      const host = (req.headers.host ?? shownHost).replace(/:\d+$/, '');
      res.writeHead(308, { Location: `https://${host}:${config.http.port}${req.url ?? '/'}` }).end();
    }).listen(config.http.redirectPort, config.http.host);
  }
}

async function auditVerify(config: AppConfig): Promise<void> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, logLevel: 'silent' }), {
    logger: false,
  });
  const audit = context.get(AuditService);
  const chains = ['system', ...(await context.get(TenantsService).list()).map((t) => t.id)];
  const results = [];
  for (const chain of chains) results.push({ chain, ...(await audit.verify(chain)) });
  await context.close();
  console.log(JSON.stringify(results, null, 2));
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

async function rotateMasterKey(config: AppConfig): Promise<void> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, logLevel: 'silent' }), {
    logger: false,
  });
  try {
    const report = await context.get(MasterKeyRotation).rotate();
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `master key v${report.version} is current. Restart every server and worker so they load it.` +
        (report.retirable.length
          ? ` No stored key needs ${report.retirable.map((r) => r.file).join(', ')} any more: remove it once no backup of the database made before now is kept.`
          : ''),
    );
  } finally {
    await context.close();
  }
}

main(process.argv[2]).catch((error: Error) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `start-up failed: ${error.message}${/ECONNREFUSED|ENOTFOUND|Access denied/.test(error.message) ? ' (check DATABASE_URL / REDIS_URL)' : ''}`;
  console.error(message);
  process.exit(1);
});
