# dingscan as a container: one-shot scans from cron, a Kubernetes CronJob or a CI pipeline.
# Build: docker build -t dingscan .     Run: docker run --rm -e DINGSCAN_APP_KEY -e DINGSCAN_APP_SECRET \
#   -e DINGSCAN_CORP_ID -v "$PWD/out:/out" dingscan scan --output /out/findings.json
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY checks ./checks
COPY frameworks ./frameworks
COPY fixtures ./fixtures
RUN python -m pip install --no-cache-dir --upgrade pip build \
 && python -m build --wheel --outdir /wheels

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
 && useradd --create-home --uid 10001 dingscan
USER 10001
WORKDIR /home/dingscan
ENTRYPOINT ["dingscan"]
CMD ["demo"]
