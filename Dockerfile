# The jao-scraper worker (and CLI) image. TypeScript runs through tsx, as locally: no build step to drift.
FROM node:20.19-bookworm-slim

ENV NODE_ENV=production
# V8 collects lazily without a limit; 256 MB of heap keeps the worker near 340 MB resident (workers/runtime.ts)
ENV NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY activities ./activities
COPY cli ./cli
COPY common ./common
COPY db ./db
COPY domain ./domain
COPY scripts ./scripts
COPY simulator ./simulator
COPY source ./source
COPY workers ./workers
COPY workflows ./workflows
COPY tsconfig.json ./

USER node
ENTRYPOINT ["node", "bin/jao.js"]
CMD ["worker"]
