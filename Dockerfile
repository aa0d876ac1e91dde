# Builds `ntm` and runs `ntm serve`. Settings come from the environment (see README.md).
# The builder's Rust is the one rust-toolchain.toml pins; change both together.
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
# Compiled into the binary: migrations by sqlx::migrate!, the criteria sets and the demo's
# localities and lineage by include_str!, GraphiQL's vendored files by include_bytes!.
# benches/ only because Cargo.toml declares them.
COPY migrations migrations
COPY catalog catalog
COPY assets assets
COPY benches benches
RUN cargo build --release --locked --bin ntm

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/ntm ntm && mkdir -p /var/lib/ntm && chown ntm /var/lib/ntm
COPY --from=build /src/target/release/ntm /usr/local/bin/ntm
USER ntm
WORKDIR /var/lib/ntm
ENV NTM_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["ntm"]
CMD ["serve"]
