#!/usr/bin/env bash
# Run ONCE on a lent GPU machine (one H100/H200, 16 cores, no network), after bench/prepare-gpu.sh here and the
# carry plan printed there. `probe` only reports what the machine has; `run` reassembles the ONNX Runtime GPU jar
# and times ORT alone on CUDA (batch 1, 8, 32) and, if that works, the product pipeline with ORT_DEVICE=cuda.
# Results go to stdout and $OUT (when set). Expected outcome on the current image: see docs/performance.md.
set -uo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-probe}"
LIB=bench/lib
echo "== nvidia-smi";             nvidia-smi 2>&1 | head -15
echo "== java -version";          (java -version 2>&1 || echo "no java on PATH"); ls "$LIB/jre/bin/java" 2>/dev/null
echo "== mvn -v";                 mvn -v 2>&1 | head -3 || echo "no maven"
echo "== /usr/local/cuda*/lib64"; ls -d /usr/local/cuda* 2>&1; ls /usr/local/cuda*/lib64 2>/dev/null | head
echo "== ldconfig (cudnn cublas cudart)"; ldconfig -p | grep -E "cudnn|cublas|cudart" | head -20
# ORT 1.23.2's CUDA provider needs these exact sonames (CUDA 12 + cuDNN 9); pip wheels keep them under site-packages.
NEED="libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcufft.so.11 libcurand.so.10 libcudnn.so.9"
DIRS=$( (ldconfig -p | awk '{print $NF}'; find / -xdev \( -name 'libcu*.so*' -o -name 'libcudnn*.so*' \) 2>/dev/null) \
        | xargs -r -n1 dirname 2>/dev/null | sort -u | tr '\n' ':')
MISSING=""
for so in $NEED; do
  found=$(IFS=:; for d in $DIRS; do [ -e "$d/$so" ] && { echo "$d/$so"; break; }; done)
  echo "  $so -> ${found:-MISSING}"; [ -n "$found" ] || MISSING="$MISSING $so"
done
JAVA=$(command -v java || true); [ -x "$LIB/jre/bin/java" ] && JAVA="$LIB/jre/bin/java"
if [ "$MODE" != run ]; then echo "probe done"; exit 0; fi
[ -n "$JAVA" ] || { echo "CONCLUSION: no Java here and bench/lib/jre was not carried: cannot run"; exit 0; }
[ -z "$MISSING" ] || echo "WARNING: CUDA 12 / cuDNN 9 libraries missing:$MISSING (the CUDA provider will fail to load)"
if ls "$LIB"/ort/part-* > /dev/null 2>&1; then
  cat "$LIB"/ort/part-* > "$LIB/ort/onnxruntime_gpu.jar"
  (cd "$LIB/ort" && sha256sum -c onnxruntime_gpu.jar.sha256) || { echo "CONCLUSION: jar parts incomplete"; exit 0; }
else
  echo "CONCLUSION: bench/lib/ort parts were not carried: cannot run the GPU benchmark"; exit 0
fi
export LD_LIBRARY_PATH="${DIRS}${LD_LIBRARY_PATH:-}"
CP="$LIB/app/classes:$LIB/app/test-classes:$LIB/ort/onnxruntime_gpu.jar:$(ls "$LIB"/app/jars/*.jar | tr '\n' ':')"
J=("$JAVA" --add-modules jdk.incubator.vector -Xmx16g -cp "$CP")
W=/tmp/gpubench; mkdir -p "$W"
"${J[@]}" com.imageretrieval.bench.GenerateImages "$W/images" 400 500 375
"${J[@]}" com.imageretrieval.bench.MakeModel "$W/resnet50-random.onnx"
echo "== ORT alone, CPU (16 cores) for reference"
"${J[@]}" com.imageretrieval.bench.OrtAloneBench "$W/resnet50-random.onnx" "$W/images" --batches 1,8 --passes 2
echo "== ORT alone, CUDA"
if "${J[@]}" com.imageretrieval.bench.OrtAloneBench "$W/resnet50-random.onnx" "$W/images" --batches 1,8,32 --passes 3 --cuda; then
  echo "== product pipeline, ORT_DEVICE=cuda"
  ORT_DEVICE=cuda "${J[@]}" com.imageretrieval.bench.PipelineBench "$W/resnet50-random.onnx" "$W/images" --passes 2 --work "$W/pipe"
else
  echo "CONCLUSION: the CUDA execution provider did not load (see the error above)"
fi
