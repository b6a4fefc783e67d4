# syntax=docker/dockerfile:1
# cloudscan-exporter: a Prometheus exporter for Tencent Cloud CWP and Alibaba Cloud Security Center scans.
#
#   docker build --build-arg REVISION=$(git rev-parse --short HEAD) -t cloudscan-exporter .
#   docker run -p 9787:9787 \
#     -v "$PWD/config.yaml:/etc/cloudscan-exporter/config.yaml:ro" \
#     -e TENCENTCLOUD_SECRET_ID -e TENCENTCLOUD_SECRET_KEY \
#     cloudscan-exporter
#
# Configuration: /etc/cloudscan-exporter/config.yaml (mount it; the image holds none). Secrets come
# only from the environment (${ENV} in the config) or from mounted files (*_file keys), never from
# the image: no ARG or ENV here carries one. Extra flags go after the image name, e.g.
#   docker run ... cloudscan-exporter --config.file=/etc/cloudscan-exporter/config.yaml \
#     --web.config.file=/etc/cloudscan-exporter/web-config.yml
# (giving any flag replaces CMD, so repeat --config.file).
#
# Every stage starts from the same base, pinned by the digest of its multi-platform index; the line
# above each FROM names the tag that digest was taken from (the version in .node-lts), and
# .node-lts.integrity records the pair: change the three together.

# --- build: all dependencies, compile TypeScript to dist/src --------------------------------------
# node:24.21.0-bookworm-slim
FROM node@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- deps: production dependencies only, as a user's `npm ci --omit=dev` installs them -----------
# node:24.21.0-bookworm-slim
FROM node@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime: node, production node_modules and the compiled exporter; nothing else --------------
# node:24.21.0-bookworm-slim
FROM node@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6
ARG REVISION=unknown
LABEL org.opencontainers.image.title="cloudscan-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Tencent Cloud CWP and Alibaba Cloud Security Center scan status" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production \
    CLOUDSCAN_REVISION=${REVISION}
WORKDIR /app
# The exporter runs with node alone: no package manager in the image (npm, npx, corepack, yarn).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v*
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
# Files stay owned by root and read-only to the process; it runs as the image's unprivileged user.
USER node
EXPOSE 9787
# /-/healthy needs no basic auth; the check falls back to HTTPS when the web config turns TLS on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "dist/src/http/web/web-healthcheck.js", "http://127.0.0.1:9787/-/healthy"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/src/cmd/main.js"]
CMD ["--config.file=/etc/cloudscan-exporter/config.yaml"]
