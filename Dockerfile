# Portcullis: TLS + htpasswd gate in front of a registry.
#
#   docker build -t portcullis:local .
#   docker run --rm portcullis:local --help                      # the CLI
#   docker run --rm portcullis:local serve --help                 # every serve option
#   docker run -d -p 5043:5043 -v "$PWD/ssl:/etc/portcullis/ssl:ro" \
#       -v "$PWD/auth:/etc/portcullis/auth:ro" -e PORTCULLIS_UPSTREAM=http://registry:5000 portcullis:local
#
# The entrypoint is the portcullis CLI and the default command is `serve`, so `docker run IMAGE gen-cert ...`
# and `docker run IMAGE htpasswd ...` run the other commands. JVM flags come from JAVA_OPTS (override with -e).

# ---- build ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first: this layer is reused until pom.xml changes.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# ---- runtime ----
FROM eclipse-temurin:17-jre
# A fixed uid/gid, so files mounted from the host can be given to it: chown 10001:10001 FILE
RUN groupadd --gid 10001 portcullis \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /etc/portcullis \
        --shell /usr/sbin/nologin portcullis \
 && mkdir -p /etc/portcullis/ssl /etc/portcullis/auth
COPY --from=build /build/target/portcullis.jar /opt/portcullis/portcullis.jar
# The defaults ssl/docker-registry.crt, ssl/docker-registry.key, auth/htpasswd and proxy.conf are relative
# to the working directory: /etc/portcullis/ssl/..., /etc/portcullis/auth/htpasswd, /etc/portcullis/proxy.conf
WORKDIR /etc/portcullis
ENV PORTCULLIS_UPSTREAM=http://registry:5000 \
    JAVA_OPTS="-XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 5043
# No curl in a JRE image: the gate checks itself (GET /readyz on the main listener).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-jar", "/opt/portcullis/portcullis.jar", "health"]
# sh only expands JAVA_OPTS; exec makes java PID 1, so `docker stop` (SIGTERM) reaches the gate directly.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/portcullis/portcullis.jar \"$@\"", "portcullis"]
CMD ["serve"]
