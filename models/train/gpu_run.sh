#!/usr/bin/env bash
# The five-stage recipe of README.md on a lent GPU machine, whole plans (--max-minutes 0), two
# chains at once on the one GPU (each process is bound by Python and kernel launches, not by the GPU):
#   A: the README's commands as they are (stage 1: 2 epochs)
#   B: the same, but stage 1 runs 3 epochs
# Run from the repository root of the device's copy of the tree, with .gpu/ carried:
#   .gpu/code/       this branch's models/train/*.py and this script (copied over models/train/ there)
#   .gpu/base/       the derived base encoder (gpu_pack.py encoder; sha256 pinned below)
#   .gpu/data.tar.xz the corpus files data.py reads (gpu_pack.py data)
# What comes back ($OUT, at most 8 files of 16 MiB): A_1.pt A_2.pt B_1.pt B_2.pt (each chain's
# last finished stage, fp16, no word embeddings: gpu_pack.py join rebuilds model.pt), A.log B.log,
# info.tar (every stage's train_info.json and this script's log). Each stage's files replace the
# previous stage's as soon as it ends, so a run cut off by the time limit still returns something.
# SMOKE=1: --smoke stages on the CPU, to dry-run this script where there is no GPU.
# Chain B is stopped (its last finished stage still comes back) if chain A runs slower than
# R_MIN examples/s in stage 1 with B beside it, or is still running at B_DEADLINE seconds.
set -u
export T0=${T0:-$(date +%s)}
export OUT=${OUT:?set OUT}
export S=${SCRATCH:-/tmp/rhetor-gpu}
export PY=${PY:-python3}
export DEV=cuda EXTRA=""
if [ "${SMOKE:-0}" = 1 ]; then DEV=cpu; EXTRA="--smoke"; fi
B_DEADLINE=${B_DEADLINE:-330}     # s: chain B is stopped then if chain A is still running,
R_MIN=${R_MIN:-1500}              # or as soon as chain A's stage 1 runs slower than this (examples/s)
export LOG="$S/driver.log"
say() { echo "[gpu_run +$(( $(date +%s) - T0 ))s] $*" | tee -a "$LOG"; }

pack_info() {   # every finished stage's train_info.json and this log, replaced atomically
    (cd "$S" && tar cf "$OUT/tmp_info.tar" driver.log $(ls -d */s*/train_info.json 2>/dev/null)) \
        && mv "$OUT/tmp_info.tar" "$OUT/info.tar"
}

stage() {       # chain n args...: one train.py run into $S/chain/sN, then its weights to $OUT
    local c=$1 n=$2; shift 2
    local t=$(date +%s)
    say "$c stage $n start: $*"
    $PY models/train/train.py --device $DEV --max-minutes 0 $EXTRA --out "$S/$c/s$n" "$@" >> "$OUT/$c.log" 2>&1
    local rc=$?
    say "$c stage $n end rc=$rc in $(( $(date +%s) - t ))s"
    [ $rc = 0 ] || return $rc
    $PY models/train/gpu_pack.py split "$S/$c/s$n" "$OUT/tmp_$c" && mv "$OUT/tmp_${c}_1.pt" "$OUT/${c}_1.pt" \
        && mv "$OUT/tmp_${c}_2.pt" "$OUT/${c}_2.pt" && say "$c stage $n weights in \$OUT"
    pack_info
}

chain() {       # chain epochs-of-stage-1
    local c=$1 e1=$2 d="$S/$1"
    stage $c 1 --epochs $e1 || return
    stage $c 2 --stage polish --init $d/s1/model.pt --epochs 1 --lr 3e-5 --head-lr 3e-4 || return
    stage $c 3 --stage targets --init $d/s2/model.pt --epochs 1.5 --lr 4e-5 --head-lr 5e-4 || return
    stage $c 4 --stage sentiment --init $d/s3/model.pt --epochs 1.0 --lr 3e-5 --head-lr 3e-4 || return
    stage $c 5 --stage columns --init $d/s3/model.pt $d/s4/model.pt --seed 15 --epochs 1.0 \
        --lr 2e-5 --head-lr 2e-4 --average-from 0.3 || return
    say "$c done"
}

if [ "${1:-}" = chain ]; then chain "$2" "$3"; exit; fi

mkdir -p "$S/data" "$OUT"
cp .gpu/code/*.py models/train/
tar xJf .gpu/data.tar.xz -C "$S/data"
export RHETOR_DATA="$S/data" RHETOR_BASE_ENCODER="$PWD/.gpu/base"
export RHETOR_BASE_ENCODER_SHA256=653697d17d1d74f28a55356dde5a5ee8a770988bad232712b1e13edb27591218
export PYTHONUNBUFFERED=1
say "data unpacked; $(nproc) cpus"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee -a "$LOG"
$PY -c "import torch, transformers; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'transformers', transformers.__version__)" 2>&1 | tee -a "$LOG"

bash "$0" chain A 2 & PA=$!
sleep 2
setsid bash "$0" chain B 3 & PB=$!          # own process group: stopped as a whole if need be
b_alive=1; checked=0
while kill -0 $PA 2>/dev/null; do
    if [ $b_alive = 1 ] && ! kill -0 $PB 2>/dev/null; then b_alive=0; fi
    if [ $b_alive = 1 ] && [ $checked = 0 ]; then
        line=$(grep -E '^step [0-9]+/' "$OUT/A.log" 2>/dev/null | tail -1)
        n=$(echo "$line" | awk '{split($2, a, "/"); print a[1]}')
        if [ -n "$n" ] && [ "$n" -ge 1500 ]; then
            checked=1; rate=$(echo "$line" | awk '{print $4}')
            say "A stage 1 at step $n: $rate examples/s with B running (minimum $R_MIN)"
            if awk "BEGIN { exit !($rate < $R_MIN) }"; then
                say "stopping chain B so that chain A finishes"; kill -- -$PB 2>/dev/null; b_alive=0
            fi
        fi
    fi
    if [ $b_alive = 1 ] && [ $(( $(date +%s) - T0 )) -ge $B_DEADLINE ]; then
        say "chain A still running at ${B_DEADLINE}s: stopping chain B"; kill -- -$PB 2>/dev/null; b_alive=0
    fi
    sleep 2
done
wait $PB 2>/dev/null
say "all done"; rm -f "$OUT"/tmp_*
pack_info
ls -la "$OUT" | tee -a "$LOG"
for c in A B; do
    echo "== $c"; grep -hE '^(device|data ready|training done|weights averaged|sentiment/sst_binary|uncertainty/wiki|bias/babe|stance/probe|TIME|Traceback)' "$OUT/$c.log" 2>/dev/null \
        | sed -E 's/"confusion".*//' | cut -c1-220
done
