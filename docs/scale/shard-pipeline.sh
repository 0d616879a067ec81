#!/usr/bin/env bash
# One shard of Clickscape's per-scan stages, for a Slurm job array (slurm-array.sbatch) or a Kubernetes indexed Job
# (k8s-indexed-job.yaml): the shard index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (--shard auto/N).
# Every shard writes its own scenes' files into the shared OUT folder; there is nothing to merge. A re-run (a
# requeued task, a retried pod) skips the scenes whose outputs are complete.
#
#   shard-pipeline.sh DATA OUT SHARDS [RUN]
#     DATA    dataset folder (any layout `clickscape info` reads), on storage every node sees
#     OUT     output folder (segments/, clicks/, pred/), shared as well
#     SHARDS  the array's size: the number of tasks / completions
#     RUN     optional: a trained run folder; adds `predict` over every scene
#
# CLICKSCAPE overrides the command (default `clickscape`), e.g. CLICKSCAPE="dotnet /opt/clickscape/clickscape.dll".
set -euo pipefail
if [ $# -lt 3 ]; then echo "usage: $0 DATA OUT SHARDS [RUN]" >&2; exit 2; fi
data=$1 out=$2 shards=$3 run=${4:-}
read -r -a cs <<< "${CLICKSCAPE:-clickscape}"

"${cs[@]}" oversegment "$data" --out "$out/segments" --shard "auto/$shards"
"${cs[@]}" clicks simulate "$data" --policy maxseg --segments "$out/segments" --out "$out/clicks" --shard "auto/$shards"
if [ -n "$run" ]; then
  "${cs[@]}" predict "$run" --data "$data" --split all --out "$out/pred" --shard "auto/$shards"
fi
