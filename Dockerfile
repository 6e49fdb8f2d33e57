# syntax=docker/dockerfile:1
# iadvize-erasure as a batch container. See docs/operating.md#container-and-schedule.
# Node 22 is the current LTS family; the code supports Node >= 20.19.

# ---- build: all dependencies, compile src/ → dist/ ----------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# src/generated is committed, so no codegen here
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the built code only -----------------------------
FROM node:22-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to node (the CLI then finishes in-flight calls within 10 s,
# flushes the ledger and exits 143) and reaps zombies. Chosen over `docker run --init` so the
# image behaves the same under Kubernetes, which has no --init.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# the simulator and the demo read these at run time
COPY graphql ./graphql
COPY fixtures ./fixtures
# /data holds request files, ledgers (+ .lock) and reports; owned by the non-root user.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# Read-only root filesystem: nothing writes outside /data and /tmp (only the demo uses /tmp).
# Run with `--read-only --tmpfs /tmp` (Kubernetes: readOnlyRootFilesystem + an emptyDir at /tmp).
# The working directory is /data so the default relative --ledger/--report paths land in the volume.
WORKDIR /data
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli.js"]
CMD ["--help"]
