# pgclone-agent as its own service. Untested here (our machines run no Docker
# engine); kept in step with the CMake build.
FROM debian:12 AS build
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN /tmp/install-deps.sh
COPY . /src/pgclone
RUN cmake -S /src/pgclone -B /build -DCMAKE_BUILD_TYPE=Release -DPGCLONE_BUILD_TESTS=OFF \
 && cmake --build /build -j2 --target pgclone-agent

FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libzmq5 libre2-9 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/agent/pgclone-agent /usr/local/bin/pgclone-agent
RUN useradd --system --home /var/lib/pgclone pgclone && mkdir -p /var/lib/pgclone \
 && chown pgclone /var/lib/pgclone
USER pgclone
# Listening on the compose network is not loopback, hence --allow-remote:
# requests are not authenticated yet, so never publish this port.
ENTRYPOINT ["pgclone-agent", "--listen", "tcp://0.0.0.0:5599", "--allow-remote", "--state-dir", "/var/lib/pgclone"]
