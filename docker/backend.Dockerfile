# syntax=docker/dockerfile:1
# The appliance server: NestJS API + built Angular app in one image; `worker` runs the job worker.
# Build from the repository root:
#   docker build -f docker/backend.Dockerfile -t appliance-backend .
# No secret is baked in: DATABASE_URL, SESSION_SECRET etc. come from the environment at run time,
# and the master key is generated into the /data volume on first start.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- toolchain: compilers for native modules (better-sqlite3); never shipped ----
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- build: the whole workspace with dev dependencies; builds backend and frontend ----
FROM toolchain AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npx nx build backend \
 && npx nx build frontend \
 && test -f dist/backend/main.js \
 && test -f dist/frontend/browser/index.html

# ---- deps: production dependencies of dist/backend only, compiled for this base image ----
FROM toolchain AS deps
WORKDIR /deps
COPY --from=build /src/dist/backend/package.json /src/dist/backend/package-lock.json ./
COPY --from=build /src/package-lock.json /tmp/root-package-lock.json
COPY docker/runtime-package.cjs /tmp/runtime-package.cjs
# Nx's generated lock file is a hint, not npm-ci-exact, so this is `npm install --omit=dev`.
# The last line fails the build if the native SQLite driver did not compile.
RUN --mount=type=cache,target=/root/.npm \
    node /tmp/runtime-package.cjs package.json /tmp/root-package-lock.json \
 && npm install --omit=dev \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# ---- runtime: node, tini, the bundle, its production node_modules; runs as uid 10001 ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="appliance-backend" \
      org.opencontainers.image.description="Call-recording appliance: API, web UI and job worker" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
# ffmpeg decodes carriers' MP3/AMR/M4A recordings (FlexDPlayer) and resamples channels for FlexVNote;
# fonts-noto-cjk sets invoice PDFs in Japanese; pocketsphinx(-en-us) is FlexVNote's bundled offline engine.
# sherpa-onnx models are not in the image: mount them at VNOTE_MODELS_DIR (docs/vnote-models.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ffmpeg fonts-noto-cjk pocketsphinx pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 appliance \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin appliance \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0700 /data
WORKDIR /app
# Code and dependencies stay root-owned and read-only to the service user.
COPY --from=deps /deps/node_modules ./dist/backend/node_modules
COPY --from=deps /deps/package.json ./dist/backend/package.json
COPY --from=build /src/dist/backend/main.js ./dist/backend/main.js
COPY --from=build /src/dist/frontend/browser ./dist/frontend/browser
COPY docker/healthcheck.cjs ./healthcheck.cjs
# HOST=0.0.0.0 needs TLS: the image defaults to a self-signed certificate made in /data/tls on
# first start. Mount a certificate (TLS_CERT_FILE/TLS_KEY_FILE) or, behind a TLS-terminating
# proxy, set TLS_SELF_SIGNED=false, ALLOW_INSECURE_HTTP=true and TRUST_PROXY=true.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    TLS_SELF_SIGNED=true
USER 10001:10001
VOLUME ["/data"]
# 3000: the web app and API; 2222: FlexDPlayer's SFTP server for carrier deliveries.
EXPOSE 3000 2222
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs"]
# tini reaps zombies and forwards SIGTERM so the server shuts down cleanly.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/backend/main.js"]
# Empty: the API server. `worker` (docker run ... worker) starts the job worker instead.
CMD []
