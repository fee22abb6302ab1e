# dingscan as a container: one-shot scans from cron, a Kubernetes CronJob or a CI pipeline.
# Build: docker build -t dingscan .        Smoke test: docker run --rm dingscan   (the demo; exits 0)
# Scan (see the README's "In a container"): the output folder must be writable by the container's
# user, so map it to yours, and mount the policy and attestation files read-only:
#   mkdir -p out && docker run --rm --read-only --user "$(id -u):$(id -g)" \
#     -e DINGSCAN_APP_KEY -e DINGSCAN_APP_SECRET -e DINGSCAN_CORP_ID \
#     -v "$PWD/dingscan-policy.yaml:/config/policy.yaml:ro" \
#     -v "$PWD/dingscan-attestations.yaml:/config/attestations.yaml:ro" \
#     -v "$PWD/out:/out" dingscan scan --policy /config/policy.yaml \
#     --attestations /config/attestations.yaml --output /out/findings.json --record /out/bundle
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY checks ./checks
COPY frameworks ./frameworks
COPY fixtures ./fixtures
RUN python -m pip install --no-cache-dir --upgrade pip build \
 && python -m build --wheel --outdir /wheels

# The image runs as a non-root user and works with a read-only root filesystem (docker run --read-only,
# Kubernetes readOnlyRootFilesystem): it writes only to the mounted /out (reports, metrics) and
# /state (scan history). No HEALTHCHECK: a one-shot job that exits is not a service to probe; its
# exit code (see `dingscan --help`) and --metrics are its health. tests/deploy/test_image_non_root.py
# runs these steps without a Docker engine.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/tmp
COPY --from=build /wheels /wheels
# The signing extra (cryptography): scheduled scans sign their bundles with --sign-key; the
# postgres extra (psycopg): the pods of an Indexed Job share one history (--state postgresql://...).
RUN python -m pip install --no-cache-dir "$(ls /wheels/*.whl)[signing,postgres]" && rm -rf /wheels \
 && useradd --no-create-home --uid 10001 dingscan \
 && mkdir -p /out /state && chown 10001:10001 /out /state && chmod 0700 /out /state
USER 10001
WORKDIR /out
VOLUME ["/out", "/state"]
ENTRYPOINT ["dingscan"]
CMD ["demo"]
