#!/usr/bin/env bash
# JMH benchmarks of the warm paths. Not part of the test command.
#
#   bench/jmh.sh                      # all benchmarks, C2 (the JVM default), then C1 (Lambda's default)
#   bench/jmh.sh LogLineBench         # a subset (JMH regex); extra JMH options may follow
#
# Prints JMH's tables; results also land in target/bench/jmh-c2.txt and jmh-c1.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -B -Pbench -DskipTests package dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/jmh.cp
CP="target/test-classes:target/classes:$(cat target/bench/jmh.cp)"
ARGS=("${@:-.*Bench.*}")
# 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement: about 15 s per benchmark and compiler.
COMMON=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
echo "== C2 (default JIT) ==" | tee target/bench/jmh-c2.txt
java -cp "$CP" org.openjdk.jmh.Main "${COMMON[@]}" "${ARGS[@]}" | tee -a target/bench/jmh-c2.txt
echo "== C1 only (-XX:TieredStopAtLevel=1, Lambda's default) ==" | tee target/bench/jmh-c1.txt
java -cp "$CP" org.openjdk.jmh.Main "${COMMON[@]}" -jvmArgsAppend -XX:TieredStopAtLevel=1 "${ARGS[@]}" | tee -a target/bench/jmh-c1.txt
