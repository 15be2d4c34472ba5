#!/usr/bin/env bash
# Checks the cluster recipes in deploy/: the Slurm scripts parse (bash -n), pass every path
# and option through whole (run against stand-ins for sbatch, squeue, scancel and
# ensemble), and their `ensemble` lines are the ones the README documents; each Kubernetes
# manifest is valid YAML holding an Indexed batch/v1 Job whose shard count agrees with its
# --shard auto/N, and a merge Job, both of which `exec` ensemble.
set -euo pipefail
cd "$(dirname "$0")/.."

for script in deploy/slurm/*.sbatch deploy/slurm/*.sh; do
  bash -n "$script"
done
echo "Slurm scripts parse."

# submit.sh and rerun.sh against stand-ins for sbatch, squeue and scancel that record what
# they are given; the recorded shard and merge scripts then run with a stand-in ensemble
# that records its arguments. Paths with spaces, commas, quotes and a % must arrive whole.
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
mkdir -p "$fake/bin" "$fake/my exps"
cat >"$fake/bin/sbatch" <<'SH'
#!/usr/bin/env bash
n=$(($(cat "$FAKE/count" 2>/dev/null || echo 100) + 1)); echo $n >"$FAKE/count"
printf '%s\0' "$@" >"$FAKE/sbatch-$n"
echo "$n;cluster"
SH
printf '#!/usr/bin/env bash\n[ -f "$FAKE/queue" ] && cat "$FAKE/queue"; true\n' >"$fake/bin/squeue"
printf '#!/usr/bin/env bash\necho "$@" >>"$FAKE/cancelled"\n' >"$fake/bin/scancel"
printf '#!/usr/bin/env bash\nprintf "%%s\\0" "$@" >"$FAKE/ensemble-args"\n' >"$fake/bin/ensemble"
chmod +x "$fake/bin/"*
experiment="$fake/my exps/a, b 'c'.json"
results="$fake/res, ults/x y 100%"
echo '{}' >"$experiment"
set_value='workload.work={lognormal: {mean: 1, sd: 2}}'
# args FILE: the NUL-separated arguments recorded in FILE, one per line.
args() { tr '\0' '\n' <"$1"; }
expect() {  # WHAT EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then echo "check-deploy: $1 differs:" >&2; diff <(echo "$2") <(echo "$3") >&2; exit 1; fi
}
(
  export FAKE=$fake PATH="$fake/bin:$PATH"
  deploy/slurm/submit.sh --sensitivity --seed 7 --replications 3 --set "$set_value" \
    "$experiment" "$results" 4 --partition=short >/dev/null
  here=$(pwd)/deploy/slurm
  expect "the shards' sbatch" "$(printf '%s\n' --parsable --array=1-4 \
    "--output=$results%/logs/shard-%a.log" --partition=short "$here/ensemble-shards.sbatch" \
    sensitivity "$experiment" "$results" 4 --seed 7 --replications 3 --set "$set_value")" \
    "$(args "$fake/sbatch-101")"
  expect "the merge's sbatch" "$(printf '%s\n' --parsable --dependency=afterok:101 \
    "--output=$results%/logs/merge.log" --partition=short "$here/ensemble-merge.sbatch" \
    "$results")" "$(args "$fake/sbatch-102")"
  # The scripts as Slurm runs them, with the arguments sbatch was given.
  mapfile -d '' shard <"$fake/sbatch-101"
  SLURM_ARRAY_TASK_ID=2 SLURM_CPUS_PER_TASK=3 bash "${shard[@]:4}"
  expect "the shard's ensemble" "$(printf '%s\n' sensitivity "$experiment" --seed 7 \
    --replications 3 --set "$set_value" --shard 2/4 --out "$results/shard-2" --threads 3 \
    --resume)" "$(args "$fake/ensemble-args")"
  mapfile -d '' merge <"$fake/sbatch-102"
  mkdir -p "$results/shard-1"
  bash "${merge[@]:4}"
  expect "the merge's ensemble" "$(printf '%s\n' merge "$results/shard-1" --out \
    "$results/merged" --force)" "$(args "$fake/ensemble-args")"
  # Shard 3 rerun while shard 4 is still queued: the stranded merge is cancelled, and the
  # new one waits for both.
  echo "101_4" >"$fake/queue"
  deploy/slurm/rerun.sh "$results" 3 >/dev/null 2>&1
  expect "the cancelled merge" "102" "$(cat "$fake/cancelled")"
  expect "the rerun's sbatch" "$(printf '%s\n' --parsable --array=3 \
    "--output=$results%/logs/shard-%a.log" --partition=short "$here/ensemble-shards.sbatch" \
    sensitivity "$experiment" "$results" 4 --seed 7 --replications 3 --set "$set_value")" \
    "$(args "$fake/sbatch-103")"
  expect "the new merge's sbatch" "$(printf '%s\n' --parsable --dependency=afterok:103:101_4 \
    "--output=$results%/logs/merge.log" --partition=short "$here/ensemble-merge.sbatch" \
    "$results")" "$(args "$fake/sbatch-104")"
)
echo "submit.sh and rerun.sh pass every path and option whole (spaces, commas, quotes, %)."

status=0
while IFS= read -r line; do
  trimmed=$(echo "$line" | sed -e 's/^[[:space:]]*//')
  if ! grep -qF -- "$trimmed" README.md; then
    echo "README.md does not show this line of deploy/slurm: $trimmed" >&2
    status=1
  fi
done < <(grep -h '"\$ENSEMBLE"' deploy/slurm/*.sbatch)
[ $status -eq 0 ] && echo "README.md documents the Slurm scripts' ensemble lines."

python3 - <<'PY' || status=1
import sys
try:
    import yaml
except ImportError:
    import subprocess
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"])
    import yaml
import glob
for path in sorted(glob.glob("deploy/kubernetes/*.yaml")):
    docs = list(yaml.safe_load_all(open(path)))
    jobs = [d for d in docs if d and d.get("kind") == "Job"]
    assert all(j["apiVersion"] == "batch/v1" for j in jobs), f"{path}: every Job is batch/v1"
    indexed = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"]
    assert len(indexed) == 1, f"{path}: one Indexed Job runs the shards"
    spec = indexed[0]["spec"]
    n = spec["completions"]
    assert spec["parallelism"] <= n
    container = spec["template"]["spec"]["containers"][0]
    command = " ".join(container.get("command", []) + container.get("args", []))
    assert f"--shard auto/{n}" in command, f"{path}: the shard Job runs --shard auto/{n}"
    assert "--resume" in command, f"{path}: a retried index continues (--resume)"
    assert spec["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    merge = [j for j in jobs if j is not indexed[0]]
    merge_args = " ".join(merge[0]["spec"]["template"]["spec"]["containers"][0]["args"]) if merge else ""
    assert "ensemble merge" in merge_args, f"{path}: a Job merges the shards"
    # SIGTERM must reach ensemble, not a shell that would not pass it on.
    for args in (" ".join(container["args"]), merge_args):
        last = args.split(";")[-1].strip()
        assert last.startswith("exec ensemble "), f"{path}: `exec ensemble ...`, got {last!r}"
    print(f"{path}: valid YAML, an Indexed Job of {n} shards and a merge Job, both exec ensemble.")
PY
exit $status
