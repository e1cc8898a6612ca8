# Sourced by the benchmark scripts, from the repository root, with THREADS set: compiles
# trainer-image's test classes, sets $classpath to them plus every test-scope dependency, and gives
# libtorch (OMP/MKL) and DJL the same thread count and the module's unpacked native library.
echo "building trainer-image test classes..." >&2
mvn -B -ntp -q -pl trainer-image test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
classpath="trainer-image/target/test-classes:trainer-image/target/classes:$(cat trainer-image/target/bench-classpath.txt)"
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
export DJL_CACHE_DIR=$PWD/trainer-image/target/djl-cache
