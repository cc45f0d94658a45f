#!/bin/bash -eu
# ClusterFuzzLite (and OSS-Fuzz) entry point: the project's own fuzz/build.sh does the work,
# with the CC, CFLAGS, LIB_FUZZING_ENGINE, SRC, WORK and OUT the builder image sets.
exec "$SRC/tlsgauntlet/fuzz/build.sh"
