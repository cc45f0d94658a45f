# tlsgauntlet in a container: Debian 12 and its packages only.
#
#   docker build --build-arg TG_COMMIT=$(git rev-parse --short HEAD) -t tlsgauntlet .
#   docker run --rm tlsgauntlet run --peer all --filter 'client-hello/*'
#   docker run --rm -v "$PWD/out:/data/out" tlsgauntlet run --peer all \
#     --json out/conformance.json --junit out/conformance.junit.xml --html out/conformance.html
#   docker run --rm --entrypoint fuzz_record tlsgauntlet -max_total_time=60 \
#     /opt/tlsgauntlet/fuzz/corpus/fuzz_record
#
# The first stage builds and installs tlsgauntlet (into /usr/local) and builds the fuzz targets
# with libFuzzer, ASan and UBSan (fuzz/build.sh); the second has only what they need to run, and
# gnutls-bin, openssl and libnss3-tools as targets for --target-cmd and the baselines' replays.

FROM debian:bookworm-slim AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q && apt-get install -y -q --no-install-recommends \
      cmake make pkg-config clang-14 libclang-rt-14-dev libfuzzer-14-dev \
      nettle-dev libgnutls28-dev android-libboringssl-dev libssl-dev \
      libwolfssl-dev libnss3-dev libmbedtls-dev \
      libyaml-dev libjansson-dev zlib1g-dev zip \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src
# The unit tests need Criterion and are not shipped: TG_TESTS=OFF. The build context has no .git
# (.dockerignore), so the commit the JSON reports name comes as a build argument:
#   docker build --build-arg TG_COMMIT=$(git rev-parse --short HEAD) -t tlsgauntlet .
ARG TG_COMMIT=unknown
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTG_TESTS=OFF \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_INSTALL_PREFIX=/usr/local -DTG_COMMIT="$TG_COMMIT" \
    && cmake --build /build -j "$(nproc)" \
    && DESTDIR=/stage cmake --install /build
# One directory per fuzzer's needs: each target, its .options and dictionary, and (in lib/) the
# shared libraries it links. The seed corpora are copied as directories, ready to pass.
RUN CC=clang-14 CXX=clang++-14 CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -g" \
      OUT=/stage/opt/tlsgauntlet/fuzz WORK=/tmp fuzz/build.sh \
    && rm -f /stage/opt/tlsgauntlet/fuzz/*_seed_corpus.zip \
    && cp -r fuzz/corpus /stage/opt/tlsgauntlet/fuzz/corpus

FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q && apt-get install -y -q --no-install-recommends \
      libnettle8 libhogweed6 libgmp10 libgnutls30 libssl3 android-libboringssl \
      libwolfssl35 libnss3 libmbedtls14 libmbedx509-1 libmbedcrypto7 \
      libjansson4 libyaml-0-2 zlib1g gnutls-bin openssl libnss3-tools \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 tg \
    && mkdir -p /data && chown tg /data
COPY --from=build /stage/ /
ENV PATH=/opt/tlsgauntlet/fuzz:$PATH
USER tg
WORKDIR /data
ENTRYPOINT ["tlsgauntlet"]
CMD ["--help"]
