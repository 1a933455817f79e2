# syntax=docker/dockerfile:1
#
# Image retrieval web app.
#   docker build -t image-retrieval .                                  -> Payara Micro 6 (default, last stage)
#   docker build -t image-retrieval:wildfly --target wildfly .         -> WildFly 39
#   docker run -p 3000:3000 -v ir-data:/data image-retrieval
# First run: fetch the dataset and the model into the volume with the CLI inside the image, e.g.
#   docker run --rm -v ir-data:/data image-retrieval java -jar /opt/app/image-retrieval-cli.jar download-data
#   docker run --rm -v ir-data:/data image-retrieval java -jar /opt/app/image-retrieval-cli.jar download-model
# Offline: put flower_photos.tgz into <volume>/artifacts and resnet50.onnx into <volume>/models first.
# Keep the server versions in step with pom.xml (payara.version, wildfly.version).

ARG PAYARA_VERSION=6.2025.10
ARG WILDFLY_VERSION=39.0.1.Final

# ---- build: the WAR and the CLI jar ------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# The cache mount keeps ~/.m2 between builds without putting it into a layer.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -DskipITs package \
 && mkdir -p /out/app \
 && cp target/image-retrieval.war target/image-retrieval-cli.jar /out/app/

# ---- servers, fetched from Maven Central with the plugin version pinned in pom.xml --------------------------------
FROM build AS payara-fetch
ARG PAYARA_VERSION
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q dependency:copy \
        -Dartifact=fish.payara.extras:payara-micro:${PAYARA_VERSION}:jar \
        -DoutputDirectory=/out/payara -Dmdep.stripVersion=true \
 && test -f /out/payara/payara-micro.jar

FROM build AS wildfly-fetch
ARG WILDFLY_VERSION
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q dependency:unpack \
        -Dartifact=org.wildfly:wildfly-dist:${WILDFLY_VERSION}:zip \
        -DoutputDirectory=/out \
 && mv /out/wildfly-${WILDFLY_VERSION} /out/wildfly \
 && chmod +x /out/wildfly/bin/*.sh

# ---- what both servers share: JDK, non-root user, data volume, health check ---------------------------------------
FROM eclipse-temurin:17-jdk AS runtime-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /opt/app --shell /usr/sbin/nologin app \
 && mkdir -p /opt/app /opt/payara /data/artifacts /data/dataset /data/models \
 && chown -R app:app /opt/app /opt/payara /data
ENV ARTIFACTS_DIR=/data/artifacts \
    DATASET_DIR=/data/dataset \
    MODEL_PATH=/data/models/resnet50.onnx \
    PORT=3000
# Ownership is set above: changes under a VOLUME path after this line would be discarded.
VOLUME /data
EXPOSE 3000
# /api/health answers 200 whenever the server is up (its JSON says ok, building or degraded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/api/health" || exit 1
COPY --from=build --chown=app:app /out/app/image-retrieval-cli.jar /opt/app/image-retrieval-cli.jar
WORKDIR /opt/app

# ---- WildFly 39 (docker build --target wildfly) -------------------------------------------------------------------
FROM runtime-base AS wildfly
COPY --from=wildfly-fetch --chown=app:app /out/wildfly /opt/wildfly
# The server configuration the WAR needs, as code (docs/api.md): Undertow's max-post-size above MAX_UPLOAD_MB, so
# the application's own 413 JSON answers oversized uploads. Applied offline, at image build time.
COPY --chown=app:app src/main/wildfly/configure.cli /opt/wildfly/configure.cli
RUN su app -s /bin/sh -c "/opt/wildfly/bin/jboss-cli.sh --file=/opt/wildfly/configure.cli" \
 && rm -rf /opt/wildfly/standalone/configuration/standalone_xml_history
# ROOT.war: served at "/" (the WAR's jboss-web.xml says so as well).
COPY --from=build --chown=app:app /out/app/image-retrieval.war /opt/wildfly/standalone/deployments/ROOT.war
# JAVA_OPTS replaces standalone.conf's defaults (512 MB heap): room for the in-memory index and decoded uploads.
# ONNX Runtime allocates natively, outside the heap: give the container about 1.5 GB more than -Xmx.
# --add-modules: the Vector API for the SIMD scan (WEB-INF/jboss-deployment-structure.xml lets the WAR see it).
ENV JAVA_OPTS="-Xms512m -Xmx2g -XX:MaxMetaspaceSize=512m -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true --add-modules=jdk.incubator.vector" \
    LAUNCH_JBOSS_IN_BACKGROUND=true
USER app
# PORT (default 3000, set in runtime-base) is the one listening port of the container; the server owns the socket,
# the application never reads it. All interfaces: a container is reached through its published port.
CMD ["sh", "-c", "exec /opt/wildfly/bin/standalone.sh -b 0.0.0.0 -Djboss.http.port=${PORT}"]

# ---- Payara Micro 6 (the default target) --------------------------------------------------------------------------
FROM runtime-base AS payara
COPY --from=payara-fetch --chown=app:app /out/payara/payara-micro.jar /opt/payara/payara-micro.jar
COPY --from=build --chown=app:app /out/app/image-retrieval.war /opt/app/image-retrieval.war
ENV JAVA_OPTS="-Xms512m -Xmx2g -Djava.awt.headless=true --add-modules jdk.incubator.vector"
USER app
# exec: java becomes PID 1's replacement and receives docker stop's SIGTERM. PORT: see the WildFly stage.
CMD ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/payara/payara-micro.jar --deploy /opt/app/image-retrieval.war --port ${PORT} --contextroot / --nocluster --rootdir /opt/payara/root"]
