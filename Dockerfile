# One image for every PostForge process; the command picks the role (worker, api).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY extension/package.json extension/package.json
COPY web/package.json web/package.json
RUN npm install --omit=dev --no-audit --no-fund --workspaces=false

# The web dashboard's static files (served by the API at /app): only the web workspace's packages.
FROM node:20-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
COPY extension/package.json extension/package.json
COPY web ./web
COPY scripts/build-web.mjs scripts/build-web.mjs
RUN npm ci --no-audit --no-fund -w web --include-workspace-root=false && node scripts/build-web.mjs --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# jemalloc for the worker (docker-compose.yml preloads it there, worker/launchEnv.ts): it returns what a
# burst freed, where glibc's malloc kept it. Linked to one path whatever the architecture.
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 && rm -rf /var/lib/apt/lists/* \
  && ln -s "$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2)" /usr/local/lib/libjemalloc.so.2
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY core ./core
COPY services ./services
COPY workflows ./workflows
COPY worker ./worker
COPY apps ./apps
COPY api ./api
COPY bots ./bots
COPY --from=web /app/web/dist ./web/dist
COPY scripts/bundle-workflows.ts ./scripts/bundle-workflows.ts
# The worker runs the workflow bundle built here, not one webpacked at every start.
RUN node_modules/.bin/tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
# Overridden per service in docker-compose.yml.
CMD ["node_modules/.bin/tsx", "api/main.ts"]
