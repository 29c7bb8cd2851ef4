import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './bootstrap/create-app';
import { loadTls } from './bootstrap/tls';

async function main(): Promise<void> {
  const config = loadConfig();
  // Recordings, the database and keys live here: nobody else on the host may read it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
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

main().catch((error: Error) => {
  const message = error instanceof ConfigError ? error.message : `start-up failed: ${error.message}`;
  console.error(message);
  process.exit(1);
});
