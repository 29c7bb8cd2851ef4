#!/usr/bin/env node
// Container HEALTHCHECK for the backend image (the slim base has no curl or wget).
// Asks the liveness endpoint on the local port, speaking HTTPS when the backend serves TLS itself
// (TLS_CERT_FILE or TLS_SELF_SIGNED), exactly as the backend decides it in config/app-config.ts.
// The certificate is not verified: it names the public host, and this probe only talks to itself.
'use strict';
const http = require('node:http');
const https = require('node:https');

const yes = (v) => ['true', '1', 'yes'].includes(String(v || '').toLowerCase());
const tls = !!process.env.TLS_CERT_FILE || yes(process.env.TLS_SELF_SIGNED);
const port = Number(process.env.PORT || 3000);
const listen = process.env.HOST || '127.0.0.1';
const host = ['0.0.0.0', '::', ''].includes(listen) ? '127.0.0.1' : listen;

const req = (tls ? https : http).get(
  { host, port, path: '/api/health', timeout: 4000, rejectUnauthorized: false },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (error) => {
  console.error(`health check failed: ${error.message}`);
  process.exit(1);
});
