# syntax=docker/dockerfile:1
# A Porchlight node: docs/operations.md ("Docker"). `docker build -t porchlight .`, then one container per node,
# the node directory a volume: `docker run -v porchlight-resident:/var/lib/porchlight -e PORCHLIGHT_ROLE=resident porchlight`.
#
# The build stage runs `npm pack` and installs the tarball the way a household does (`npm install --global`),
# so the image runs what test/integration/cli/package.test.ts installs and starts: that test runs this file's
# `npm install --global` line and its HEALTHCHECK command.
FROM node:20-bookworm-slim AS build
# secp256k1 ships no linux-arm64 prebuild: on arm64 its install script compiles libsecp256k1 (node-gyp needs these).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The lockfile's tree, development tools included: the tarball's build (prepack) needs tsc and vite, and its
# bundled dependencies are copied from this node_modules.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir /tmp/pack && npm pack --pack-destination /tmp/pack
RUN npm install --global --prefix /opt/porchlight --engine-strict --no-audit --no-fund /tmp/pack/porchlight-*.tgz

FROM node:20-bookworm-slim
# Debian's ffmpeg and ffprobe record and cut residents' cameras (docs/cameras.md, "Which ffmpeg"): patched by
# the distribution, and the only ffprobe the node can use (no working one comes from npm).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
# A system user of its own: the node's keys are readable by it alone (the node refuses key files others can read).
RUN groupadd --system porchlight \
 && useradd --system --gid porchlight --home-dir /var/lib/porchlight --shell /usr/sbin/nologin porchlight \
 && install -d -o porchlight -g porchlight -m 0700 /var/lib/porchlight
COPY --from=build /opt/porchlight /opt/porchlight
COPY packaging/docker-entrypoint.sh /usr/local/bin/porchlight-entrypoint
ENV PATH=/opt/porchlight/bin:$PATH \
    PORCHLIGHT_DIR=/var/lib/porchlight \
    NODE_ENV=production
USER porchlight
WORKDIR /var/lib/porchlight
VOLUME ["/var/lib/porchlight"]
# libp2p over TCP, libp2p over WebSockets (behind a TLS reverse proxy), the HTTP API. The entrypoint's first
# start listens on these; a node made another way listens where its config.json says.
EXPOSE 4001/tcp 4002/tcp 8080/tcp
# /healthz on the port node.json names (a node with `api.port` 0 picks one), always over loopback: a request
# to another name is refused (421) by the API's host check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const i = JSON.parse(require('fs').readFileSync(require('path').join(process.env.PORCHLIGHT_DIR, 'node.json'), 'utf8')); fetch('http://127.0.0.1:' + i.api.port + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["porchlight-entrypoint"]
CMD ["start", "--dir", "/var/lib/porchlight"]
