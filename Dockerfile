# The gateway as a container image. Build: docker build -t edi-gateway .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# glibc's allocator tuned as npm start tunes it (docs/reliability.md#statements-per-order-the-allocator-and-split-beside-validation): fewer arenas, and large
# buffers always mapped, so memory freed after a large file goes back to the system.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY specs ./specs
COPY samples ./samples
COPY partners ./partners
# The embedded PostgreSQL, the drop folders and the archive live under /app/data (mount a volume there).
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# Serve /healthz and /readyz on every interface of the container (edi start's default is loopback).
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "dist/src/cli/edi.js"]
CMD ["start"]
