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
# the style check belongs to the test run (scripts/test), not to building the image: its config is not copied
RUN mvn -B -q package -DskipTests -Dcheckstyle.skip

# ---- runtime ----
FROM eclipse-temurin:17-jre
# A fixed uid/gid, so files mounted from the host can be given to it: chown 10001:10001 FILE
RUN groupadd --gid 10001 portcullis \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /etc/portcullis \
        --shell /usr/sbin/nologin portcullis \
 && mkdir -p /etc/portcullis/ssl /etc/portcullis/auth \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/portcullis
COPY --from=build /build/target/portcullis.jar /opt/portcullis/portcullis.jar
# JVM flags for TLS served by BoringSSL (docs/tls-and-jvm.md "Recommended JVM flags"). The crypto is
# native, so C1 alone (-XX:TieredStopAtLevel=1, one compiler thread, 16 MiB code cache) is enough: lower CPU per
# GiB, per handshake and per request than with C2 in interleaved probes, no C2 compiler-arena peaks (peak RSS 85 MiB
# against 104-106 with the C2 set, bench/rss-probe --cds) and the start-up CPU of C2 gone. -Xmx32m (live heap after a
# full GC is 7-9 MiB under load, bench/soak) with a 5 MiB young generation (peak RSS -4-6 MiB), the native heap
# trimmed every second and at most 2 malloc arenas. PORTCULLIS_TLS_ENGINE=boringssl below is part of this set:
# without C2 the JDK's JSSE has no AES-GCM intrinsics (~30 CPU-s per GiB), so a missing native library must stop the
# gate at start instead of falling back silently. For JSSE use the C2 set of docs/tls-and-jvm.md (build-arg JVM_FLAGS and
# PORTCULLIS_TLS_ENGINE=jsse together). The training run below uses the same flags, so the image build fails if the
# JVM lacks one.
ARG JVM_FLAGS="-XX:+UseSerialGC -Xmx32m -Xmn5m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=1000 -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:+ExitOnOutOfMemoryError"
ARG TLS_ENGINE=boringssl
# AppCDS: a short training run (throw-away certificate and htpasswd, no upstream) records the classes loaded
# at start-up; -XX:SharedArchiveFile then maps them instead of parsing ~4000 classes from the 19 MB jar
# (start to first 200: 1.3-1.5 -> 0.9-1.0 CPU-s on 2 vCPU, bench/README.md). It listens on a port the kernel
# picks (the build may share the host's network, where 5043 can be taken) and a run that ends early fails the build
# with its log, since that means the flags or the engine do not work on this JVM.
RUN set -e; t=$(mktemp -d); cd "$t"; \
    java -jar /opt/portcullis/portcullis.jar gen-cert --out-dir ssl --host localhost >/dev/null 2>&1; \
    printf 'cds\n' | java -jar /opt/portcullis/portcullis.jar htpasswd cds --password-stdin --cost 4 --file htpasswd >/dev/null; \
    PORTCULLIS_TLS_ENGINE=$TLS_ENGINE java $JVM_FLAGS -XX:ArchiveClassesAtExit=/opt/portcullis/portcullis.jsa -jar /opt/portcullis/portcullis.jar \
        serve --listen 127.0.0.1:0 --upstream http://127.0.0.1:9 --cert ssl/docker-registry.crt \
        --key ssl/docker-registry.key --htpasswd htpasswd >serve.log 2>&1 & p=$!; \
    for i in $(seq 300); do grep -q 'Listening on' serve.log && break; sleep 0.1; done; \
    kill "$p" || { echo "CDS training run ended early:"; cat serve.log; exit 1; }; wait "$p" || true; cd /; rm -rf "$t"; \
    chmod 644 /opt/portcullis/portcullis.jsa 2>/dev/null || true
# The defaults ssl/docker-registry.crt, ssl/docker-registry.key, auth/htpasswd and proxy.conf are relative
# to the working directory: /etc/portcullis/ssl/..., /etc/portcullis/auth/htpasswd, /etc/portcullis/proxy.conf
WORKDIR /etc/portcullis
# The state the gate writes (tokens: hashes only, never a secret; the maintenance switch and gate reports) lives on
# a volume, 0700 for the gate's user; a new named volume takes that owner and mode from here. `portcullis token ...`
# or `portcullis maintenance ...` in the same container, or a `docker compose run` of the same service, reads the
# same PORTCULLIS_STATE_DIR.
ENV PORTCULLIS_STATE_DIR=/var/lib/portcullis
VOLUME /var/lib/portcullis
ENV PORTCULLIS_UPSTREAM=http://registry:5000 \
    PORTCULLIS_STATE_DIR=/var/lib/portcullis \
    PORTCULLIS_TLS_ENGINE=$TLS_ENGINE \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="$JVM_FLAGS -XX:SharedArchiveFile=/opt/portcullis/portcullis.jsa"
USER 10001:10001
EXPOSE 5043
# No curl in a JRE image: the gate checks itself (GET /readyz on the main listener).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-jar", "/opt/portcullis/portcullis.jar", "health"]
# sh only expands JAVA_OPTS; exec makes java PID 1, so `docker stop` (SIGTERM) reaches the gate directly.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/portcullis/portcullis.jar \"$@\"", "portcullis"]
CMD ["serve"]
