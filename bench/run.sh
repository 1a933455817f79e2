#!/usr/bin/env bash
# The performance benchmark of issue 6, one command:
#
#   bench/run.sh            full run (~15-25 min on 2 cores): 400 images, seed baseline, scans up to 1M x 2048
#   bench/run.sh --smoke    CI smoke (~4-6 min): 24 small images, no Python, scans at 3,670 and 20k only, short
#                           server phases
#   bench/run.sh --steps opensearch [--smoke]   OpenSearch k-NN (issue 11): 100,000 x 2048 vectors into a two-node
#                           OpenSearch 2.19 + k-NN cluster through the product's writer, similar-by-id through the
#                           API on Payara Micro, recall@10 vs exact (--smoke: 10,000 vectors; ~45 min at 100k on a
#                           busy 2-core box). Not in the default steps. --os-rows N, --os-args "..." (OpenSearchBench
#                           options, e.g. "--force-merge --ef-search 200 --replicas 0 --node-heap 2g --index-threads 2").
#
# Options: --images N (default 400), --passes N (timed passes, default 5), --no-seed (skip the Python baseline),
#          --no-1m (scans at 3,670 and 100k only), --sizes LIST (scan sizes, comma-separated),
#          --steps LIST (any of pipeline,seed,scale,process,server; default all), --log FILE (default
#          target/bench/results.log), --process-images N (images of the whole-process step, default 1000),
#          --process-passes N (default 3), --servers LIST (payara,wildfly), --jvm "OPTIONS" (JVM options of the timed
#          build-index process), --cds (also time build-index with an AppCDS archive).
# The table can combine logs of several runs (later runs win per measurement), e.g. to redo the throughput steps in a
# quieter moment: bench/run.sh --steps pipeline,seed --log target/bench/r2.log, then
# java -cp target/test-classes:target/classes com.imageretrieval.bench.BenchReport target/bench/results.log target/bench/r2.log
#
# What it does, all on the same generated data so that the ratios are fair:
#   1. mvn -q -o test-compile, classpath from maven-dependency-plugin (no exec plugin);
#   2. N JPEG images (500x375, varied Java2D content) and a ResNet-50-shaped ONNX model with random weights
#      (TestModels.resnet50Random: cost identical to the real network);
#   3. PipelineBench: the product's index build throughput (a fresh engine builds its H2 index: decode, preprocess,
#      batched inference, H2 writes), in-process query p50/p95 (engine.search(image): preprocess + inference + scan),
#      peak RSS; interleaved with 4. ONNX Runtime alone on the same model and the product's preprocessed tensors,
#      batch 1 and 8, in the same JVM so both see the same (shared, drifting) machine load;
#   5. seed_baseline.py: the seed's stack (Debian python3-torch + torchvision, installed with apt if missing);
#   6. ScaleBench: memory bandwidth, exact float32 scans at 3,670 / 100k / 1M x 2048 (-Xmx12g);
#   7. ProcessBench (issue 13, target 2): build-index as a whole process (JVM start, model load, H2 open included)
#      against ONNX Runtime alone as a whole process and the seed's stack as a whole process, interleaved, over
#      --process-images images (with --cds also build-index with an AppCDS archive, for reference);
#   8. ServerBench (issue 13, targets 1, 3, 4), once per server on the index step 7 built: start-up to indexReady,
#      sequential POST /api/search p50/p95 interleaved with ORT-alone batch-1 inferences in the bench JVM, eight
#      concurrent clients against ORT alone's batch-1 throughput, the server's stage histograms (/api/metrics);
#   9. BenchReport: ONE table with the ratios against the targets.
# Everything is written under target/bench/ (log: target/bench/results.log). Needs Maven dependencies already in
# ~/.m2 (run `mvn -B test` once online), Java 17, 12+ GiB free RAM for the 1M step.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0; IMAGES=400; PASSES=5; SEED=1; SIZES="3670,100000,1000000"; STEPS="pipeline,seed,scale,process,server"; LOG=""
PIMAGES=1000; PPASSES=3; SERVERS="payara,wildfly"; ROUNDS=8; BLOCK=25; CSECONDS=30; JVMOPTS=""; CDSFLAG=""
OS_ROWS=""; OS_ARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; IMAGES=24; PASSES=1; SEED=0; SIZES="3670,20000"; PIMAGES=24; PPASSES=1; ROUNDS=2; BLOCK=10
             CSECONDS=8 ;;
    --process-images) PIMAGES="$2"; shift ;;
    --servers) SERVERS="$2"; shift ;;
    --jvm) JVMOPTS="$2"; shift ;;
    --process-passes) PPASSES="$2"; shift ;;
    --cds) CDSFLAG="--cds" ;;
    --images) IMAGES="$2"; shift ;;
    --passes) PASSES="$2"; shift ;;
    --no-seed) SEED=0 ;;
    --no-1m) SIZES="3670,100000" ;;
    --sizes) SIZES="$2"; shift ;;
    --steps) STEPS="$2"; shift ;;
    --log) LOG="$2"; shift ;;
    --os-rows) OS_ROWS="$2"; shift ;;
    --os-args) OS_ARGS="$2"; shift ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT=target/bench
mkdir -p "$OUT"
LOG="${LOG:-$OUT/results.log}"
: > "$LOG"
step() { case ",$STEPS," in *,"$1",*) return 0 ;; *) return 1 ;; esac; }
# Load average around each step: the machine may be shared, and that explains outliers.
load() { echo "LOAD {\"step\":\"$1\",\"when\":\"$2\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$LOG"; }
say() { echo "== $*" | tee -a "$LOG"; }
# Drops the JVM's one-line incubator notice; never fails the pipeline when nothing else was printed.
quiet() { grep --line-buffered -v '^WARNING: Using incubator' || true; }

say "compiling (mvn -q -o test-compile)"
mvn -q -o -B test-compile
mvn -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt" > /dev/null
CP="target/test-classes:target/classes:$(cat "$OUT/cp.txt")"
JAVA=(java --add-modules jdk.incubator.vector -cp "$CP")
if [ "$SMOKE" = 1 ]; then W=320; H=240; else W=500; H=375; fi

if step opensearch; then
  # Issue 11: runs first and alone (the image steps need none of it). The WAR, Payara Micro and the OpenSearch
  # artifacts come from the pom's own executions (what `mvn verify` fetches before the ITs).
  say "OpenSearch k-NN: packaging the WAR and fetching Payara Micro + OpenSearch 2.19.1 + k-NN from ~/.m2"
  # A package move (web.files -> web.errors) leaves stale classes in target/classes that the WAR would carry and
  # Payara would refuse (two servlets on /error): build both class folders afresh.
  rm -rf target/classes target/test-classes
  mvn -q -o -B package -DskipTests
  mvn -q -o -B dependency:copy@it-payara-micro dependency:copy@it-opensearch-dist > /dev/null
  V=$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' pom.xml)
  KV=$(sed -n 's:.*<opensearch-knn.version>\(.*\)</opensearch-knn.version>.*:\1:p' pom.xml)
  S=target/servers/opensearch
  load opensearch before
  echo "LOADNOW $(uptime)" | tee -a "$LOG"
  RC=0
  "${JAVA[@]}" -Xmx3g -Dit.work="$OUT/it" -Dit.opensearch.version="$V" -Dit.opensearch.zip="$S/opensearch-$V.zip" \
      -Dit.opensearch.knn.zip="$S/opensearch-knn-$KV.zip" -Dit.opensearch.painless.dir="$S/lang-painless" \
      -Dit.payara.jar=target/servers/payara-micro.jar -Dit.war="$(ls target/*.war | head -1)" \
      com.imageretrieval.bench.OpenSearchBench --rows "${OS_ROWS:-$([ "$SMOKE" = 1 ] && echo 10000 || echo 100000)}" \
      --queries "$([ "$SMOKE" = 1 ] && echo 100 || echo 300)" $OS_ARGS 2>&1 | quiet | tee -a "$LOG" \
      | tee "$OUT/opensearch.txt" || RC=$?
  echo "LOADNOW $(uptime)" | tee -a "$LOG"
  load opensearch after
  sed -n '/^| OpenSearch k-NN/,$p' "$OUT/opensearch.txt" > "$OUT/opensearch.md"
  rm -rf "$OUT/it/opensearch/bench"   # gigabytes of index data (the cluster deletes it on a clean stop too)
  [ "$RC" = 0 ] || { echo "run.sh: OpenSearchBench failed ($RC), see $OUT/opensearch.txt" >&2; exit "$RC"; }
  if [ "$STEPS" = opensearch ]; then
    echo "LOADEND {\"load_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$LOG"
    exit 0
  fi
fi

say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "MACHINE {\"cores\":$(nproc),\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"date\":\"$(date -u +%Y-%m-%dT%H:%MZ)\",\"smoke\":$SMOKE,\"load_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$LOG"

say "generating $IMAGES JPEG images (${W}x${H}) and the ResNet-50-shaped model"
rm -rf "$OUT/images"
"${JAVA[@]}" com.imageretrieval.bench.GenerateImages "$OUT/images" "$IMAGES" "$W" "$H" 2>&1 | quiet | tee -a "$LOG"
MODEL="$OUT/resnet50-random.onnx"
HAVE_MODEL=0
if [ -f target/test-classes/com/imageretrieval/bench/MakeModel.class ]; then
  [ -f "$MODEL" ] || "${JAVA[@]}" com.imageretrieval.bench.MakeModel "$MODEL" 2>&1 | quiet | tee -a "$LOG"
  HAVE_MODEL=1
else
  say "SKIPPED model-dependent steps: MakeModel (TestModels.resnet50Random) is not on this branch yet"
fi

if [ "$HAVE_MODEL" = 1 ] && step pipeline; then
  load pipeline before
  say "product pipeline (index build, query latency, RSS) interleaved with ORT alone (same model/tensors, batch 1, 8)"
  "${JAVA[@]}" -Xmx4g com.imageretrieval.bench.PipelineBench "$MODEL" "$OUT/images" --passes "$PASSES" \
      --work "$OUT/pipeline" 2>&1 | quiet | tee -a "$LOG"
  "${JAVA[@]}" com.imageretrieval.bench.PreprocessCost "$OUT/images" 2>&1 | quiet | tee -a "$LOG"
  load pipeline after
fi

if [ "$SEED" = 1 ] && step seed; then
  load seed before
  if ! /usr/bin/python3 -c 'import torch, torchvision, PIL' 2>/dev/null; then
    say "installing the seed's stack with apt (python3-torch python3-torchvision python3-pil)"
    if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
    "${APT[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq \
        python3-torch python3-torchvision python3-pil > "$OUT/apt.log" 2>&1
  fi
  say "seed baseline (Debian python3-torch/torchvision, per image like the seed's build_index.py)"
  /usr/bin/python3 bench/seed_baseline.py "$OUT/images" --passes "$PASSES" | sed 's/^/SEED /' | tee -a "$LOG"
  /usr/bin/python3 bench/seed_baseline.py "$OUT/images" --passes 1 --batch 8 | sed 's/^/SEEDBATCH /' | tee -a "$LOG"
  load seed after
fi

if step scale; then
  load scale before
  say "scans: bandwidth, exact float32 at $SIZES"
  XMX=-Xmx3g
  case ",$SIZES," in *,1000000,*) XMX=-Xmx12g ;; esac
  "${JAVA[@]}" "$XMX" com.imageretrieval.bench.ScaleBench --sizes "$SIZES" --queries $([ "$SMOKE" = 1 ] && echo 10 || echo 30) \
      2>&1 | quiet | tee -a "$LOG"
  load scale after
fi

if [ "$HAVE_MODEL" = 1 ] && { step process || step server; }; then
  say "packaging the WAR and the CLI jar (mvn -q -o package -DskipTests), fetching the servers"
  mvn -q -o -B package -DskipTests > "$OUT/package.log" 2>&1 || { tail -30 "$OUT/package.log"; exit 1; }
  PIMG="$OUT/images-process"
  if [ "$SMOKE" = 1 ]; then PIMG="$OUT/images"; else
    [ "$(find "$PIMG" -name '*.jpg' 2>/dev/null | wc -l)" = "$PIMAGES" ] || {
      rm -rf "$PIMG"; "${JAVA[@]}" com.imageretrieval.bench.GenerateImages "$PIMG" "$PIMAGES" "$W" "$H" 2>&1 | quiet | tee -a "$LOG"; }
  fi
  rm -rf "$OUT/process"; mkdir -p "$OUT/process"
fi

if [ "$HAVE_MODEL" = 1 ] && step process; then
  load process before
  say "whole processes over $(find "$PIMG" -name '*.jpg' | wc -l) images: build-index vs ORT alone vs seed (interleaved)"
  SEEDFLAG=""
  if [ "$SEED" = 1 ] && /usr/bin/python3 -c 'import torch, torchvision, PIL' 2>/dev/null; then SEEDFLAG="--seed"; fi
  "${JAVA[@]}" com.imageretrieval.bench.ProcessBench --model "$MODEL" --images "$PIMG" --work "$OUT/process" \
      --cp "$CP" --passes "$PPASSES" --jvm "$JVMOPTS" $CDSFLAG $SEEDFLAG 2>&1 | quiet | tee -a "$LOG"
  load process after
fi

if [ "$HAVE_MODEL" = 1 ] && step server; then
  mvn -q -o -B dependency:copy@it-payara-micro dependency:unpack@it-wildfly > "$OUT/servers.log" 2>&1 \
      || { tail -30 "$OUT/servers.log"; exit 1; }
  # The servers start on an existing index: the last one the process step built, else one built now by the CLI.
  SART="$(ls -d "$OUT"/process/artifacts-* 2>/dev/null | tail -1 || true)"
  if [ -z "$SART" ]; then
    SART="$OUT/process/artifacts-0"
    DATASET_DIR="$PIMG" MODEL_PATH="$MODEL" ARTIFACTS_DIR="$SART" java -jar target/image-retrieval-cli.jar build-index \
        > "$OUT/process/index.log" 2>&1
  fi
  SPROPS=(-Dit.war="$PWD/target/image-retrieval.war" -Dit.payara.jar="$PWD/target/servers/payara-micro.jar"
          -Dit.wildfly.home="$(ls -d "$PWD"/target/servers/wildfly-* | head -1)")
  for S in ${SERVERS//,/ }; do
    load "server-$S" before
    say "$S: start-up to indexReady, POST /api/search vs ORT alone batch 1, 8 concurrent clients"
    "${JAVA[@]}" -Xmx1g "${SPROPS[@]}" com.imageretrieval.it.ServerBench --server "$S" --model "$MODEL" \
        --images "$PIMG" --artifacts "$SART" --work "$OUT/server" --rounds "$ROUNDS" --block "$BLOCK" \
        --seconds "$CSECONDS" 2>&1 | quiet | tee -a "$LOG"
    load "server-$S" after
  done
fi

echo "LOADEND {\"load_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$LOG"
echo
"${JAVA[@]}" com.imageretrieval.bench.BenchReport "$LOG" 2>&1 | quiet | tee "$OUT/table.md"
if step opensearch; then
  echo; tee -a "$OUT/table.md" < "$OUT/opensearch.md"
fi
