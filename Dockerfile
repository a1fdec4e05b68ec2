# The jao-scraper image (docs/deployment.md, "The image"). The build stage compiles the runtime code to JavaScript
# and builds the workflow bundle (`npm run build`); the runtime stage, the default target, holds only dist/,
# bin/jao.js with its Node.js check and the production dependencies, and runs on plain Node: no TypeScript, tsx,
# simulator or scripts.

# The Node base image of both stages: `--build-arg NODE_IMAGE=…` picks another (a mirror, a local build).
ARG NODE_IMAGE=node:24.21-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Everything .dockerignore lets through: the build decides what goes into dist/ (scripts/compileRuntime.ts)
COPY . .
# The commit the image is built from (docker compose build --build-arg JAO_GIT_COMMIT=$(git rev-parse --short=10 HEAD)).
ARG JAO_GIT_COMMIT=nogit
ENV JAO_GIT_COMMIT=${JAO_GIT_COMMIT}
RUN npm run build

# The JAO simulator of `docker compose --profile simulator`: a development tool, run from the sources with tsx.
FROM build AS simulator
USER node
ENTRYPOINT ["node", "bin/jao.js"]
CMD ["simulate", "--host", "0.0.0.0", "--port", "8090"]

# The worker and the CLI (worker, migrate, status, backfill, …): compiled JavaScript only.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# V8 collects lazily without a limit; 256 MB of heap keeps the worker near 340 MB resident (workers/runtime.ts)
ENV NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin/jao.js bin/check-node.js ./bin/
COPY --from=build /app/dist ./dist

ARG JAO_GIT_COMMIT=nogit
ENV JAO_GIT_COMMIT=${JAO_GIT_COMMIT}
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflows.js

# The worker's data directory (JAO_DATA_DIR in docker-compose.yml: the archive of raw answers), on a volume
RUN mkdir -p /var/lib/jao && chown node:node /var/lib/jao

USER node
ENTRYPOINT ["node", "bin/jao.js"]
CMD ["worker"]
