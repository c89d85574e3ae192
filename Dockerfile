# The gateway as a container image (docs/deploy.md). Build: docker build -t edi-gateway .
# test/deploy/image.test.ts builds and starts it where a Docker engine answers, and runs the same
# steps as plain commands where none does: keep the runtime stage's COPY lines in the form it reads.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore keeps test/, bench/ and proof/ out, so dist/ holds only dist/src.
COPY . .
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
# tini is PID 1: it reaps the embedded PostgreSQL's exited children and hands SIGTERM to node,
# which stops PostgreSQL itself (node as PID 1 would leave zombies behind).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# glibc's allocator tuned as npm start tunes it (docs/reliability.md#statements-per-order-the-allocator-and-split-beside-validation): fewer arenas, and large
# buffers always mapped, so memory freed after a large file goes back to the system.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/package.json ./package.json
COPY bin ./bin
COPY specs ./specs
COPY samples ./samples
COPY partners ./partners
# The embedded PostgreSQL (when DATABASE_URL is unset), the drop folders and the archive live under
# /app/data: mount a volume there. PostgreSQL refuses to run as root, so the image runs as node.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# Serve HTTP on every interface of the container (edi start's default is loopback); stdout is
# JSON lines only (node runs directly, no npm banner).
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/cli/edi.js"]
CMD ["start"]
