# The target server: PostgreSQL 15 with the pgclone extension installed.
# Untested here (our machines run no Docker engine); kept in step with the Makefile.
FROM postgres:15-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential postgresql-server-dev-15 libzmq3-dev cppzmq-dev libmsgpack-cxx-dev \
      nlohmann-json3-dev libre2-dev && rm -rf /var/lib/apt/lists/*
COPY . /src/pgclone
RUN make -C /src/pgclone extension install-extension
