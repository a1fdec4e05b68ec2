# The jao-scraper worker (and CLI) image. TypeScript runs through tsx, as locally; the workflow code runs from
# a bundle built here (`npm run build`), so the image's build id is fixed and replay-tested code is what runs.
FROM node:20.19-bookworm-slim

ENV NODE_ENV=production
# V8 collects lazily without a limit; 256 MB of heap keeps the worker near 340 MB resident (workers/runtime.ts)
ENV NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY activities ./activities
COPY api ./api
COPY cli ./cli
COPY common ./common
COPY control ./control
COPY devstack ./devstack
COPY db ./db
COPY domain ./domain
COPY scripts ./scripts
COPY simulator ./simulator
COPY source ./source
COPY workers ./workers
COPY workflows ./workflows
COPY tsconfig.json ./

# The commit the image is built from (docker compose build --build-arg JAO_GIT_COMMIT=$(git rev-parse --short=10 HEAD)).
ARG JAO_GIT_COMMIT=nogit
ENV JAO_GIT_COMMIT=${JAO_GIT_COMMIT}
RUN node bin/run-ts.js scripts/build.ts /app/dist
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflows.js

USER node
ENTRYPOINT ["node", "bin/jao.js"]
CMD ["worker"]
