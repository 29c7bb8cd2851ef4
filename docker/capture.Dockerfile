# syntax=docker/dockerfile:1
# The on-site capture service (FlexLog / 応対力 box): sniffs the mirrored SIP/RTP traffic and
# uploads calls to the appliance. Build from the repository root:
#   docker build -f docker/capture.Dockerfile -t appliance-capture .
# Run it with host networking and only NET_RAW + NET_ADMIN (see docker/compose.yml).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- toolchain: compilers and libpcap headers for native capture modules; never shipped ----
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpcap-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- build ----
FROM toolchain AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npx nx build capture && test -f dist/capture/main.js

# ---- deps: production dependencies of dist/capture, compiled against libpcap-dev ----
FROM toolchain AS deps
WORKDIR /deps
COPY --from=build /src/dist/capture/package.json ./
# The optional `pcap` module builds here against libpcap-dev; mkdir keeps the COPY below valid
# should a build ever come without runtime dependencies.
RUN --mount=type=cache,target=/root/.npm npm install --omit=dev && mkdir -p node_modules

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="appliance-capture" \
      org.opencontainers.image.description="Call-recording appliance: on-site SIP/RTP capture service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
# Why file capabilities and a non-root user (and not root with cap_add):
# live capture needs CAP_NET_RAW (raw sockets) and CAP_NET_ADMIN (promiscuous mode). The packet
# parser handles untrusted traffic, so it should not run as uid 0. Docker does not hand added
# capabilities to a non-root process, so a private copy of node carries them as file
# capabilities; the stock `node` binary stays unprivileged. The container must still be granted
# them (cap_add NET_RAW, NET_ADMIN: the bounding set), and `no-new-privileges` must stay off for
# this container, because it stops exec from picking up file capabilities.
# Fallback where file capabilities are not honoured (some rootless runtimes): run with
# user "0:0", cap_drop ALL, cap_add NET_RAW + NET_ADMIN and no-new-privileges.
# Note: under file capabilities Node runs in secure mode and ignores NODE_OPTIONS and
# NODE_EXTRA_CA_CERTS; the service reads CA_FILE itself.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini libpcap0.8 libcap2-bin \
 && cp /usr/local/bin/node /usr/local/bin/node-capture \
 && setcap cap_net_raw,cap_net_admin+ep /usr/local/bin/node-capture \
 && getcap /usr/local/bin/node-capture \
 && apt-get purge -y libcap2-bin \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 capture \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin capture \
 && mkdir -p /spool \
 && chown 10001:10001 /spool \
 && chmod 0700 /spool
WORKDIR /app
COPY --from=deps /deps/node_modules ./dist/capture/node_modules
COPY --from=build /src/dist/capture ./dist/capture
ENV NODE_ENV=production \
    CAPTURE_INTERFACE=any
USER 10001:10001
# The crash-safe spool: calls waiting for upload survive restarts and backend outages here.
VOLUME ["/spool"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/node-capture", "/app/dist/capture/main.js"]
