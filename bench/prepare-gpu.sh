#!/usr/bin/env bash
# Run HERE (not on the device) before bench/gpu-check.sh: packs what a GPU run needs into bench/lib/ (git-ignored),
# because the device machine gets only a copy of the working tree plus at most 64 MiB of carried paths per call and
# has no network (no Maven Central).
#
#   bench/lib/app/      target/classes + target/test-classes + runtime jars except ONNX Runtime   (~10 MiB)
#   bench/lib/jre/      a jlink'ed Java 17 runtime (the device image has no Java)                  (~51 MiB)
#   bench/lib/ort/part-*  onnxruntime_gpu 1.23.2 cut down to linux-x64 (~237 MiB), split in 56 MiB parts
#
# Carry plan (same warm machine, each call <= 64 MiB with the tree; ignored files stay there between calls):
#   call 1: carry bench/lib/app bench/lib/jre  -> bench/gpu-check.sh probe
#   call 2..6: carry bench/lib/ort/part-0N     -> true (5 parts)
#   call 7: bench/gpu-check.sh run
# See docs/performance.md (GPU section) for why this is NOT expected to work on the lent image: ORT 1.23.2's CUDA
# provider links CUDA 12 (libcublasLt.so.12, libcudart.so.12) + cuDNN 9, the image ships CUDA 13 libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
LIB=bench/lib
rm -rf "$LIB" && mkdir -p "$LIB/app" "$LIB/ort"
mvn -q -o -B test-compile
mvn -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt > /dev/null
cp -r target/classes target/test-classes "$LIB/app/"
mkdir -p "$LIB/app/jars"
tr ':' '\n' < target/cp.txt | grep -v -e onnxruntime -e jakarta | while read -r j; do cp "$j" "$LIB/app/jars/"; done
jlink --add-modules java.base,java.desktop,java.sql,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.incubator.vector \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$LIB/jre"
JAR=~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/1.23.2/onnxruntime_gpu-1.23.2.jar
[ -f "$JAR" ] || { echo "prepare-gpu: $JAR missing: run 'mvn -Pgpu -B dependency:resolve' online first" >&2; exit 1; }
cp "$JAR" "$LIB/ort/onnxruntime_gpu.jar"
zip -q -d "$LIB/ort/onnxruntime_gpu.jar" 'ai/onnxruntime/native/win-x64/*' 'ai/onnxruntime/native/osx*' || true
(cd "$LIB/ort" && sha256sum onnxruntime_gpu.jar > onnxruntime_gpu.jar.sha256 && split -b 56M -d onnxruntime_gpu.jar part- && rm onnxruntime_gpu.jar)
du -sh "$LIB"/app "$LIB"/jre "$LIB"/ort/part-*
