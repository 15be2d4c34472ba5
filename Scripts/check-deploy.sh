#!/usr/bin/env bash
# Checks the cluster recipes in deploy/: the Slurm scripts parse (bash -n), their
# `ensemble` lines are the ones the README documents, and the Kubernetes manifest is valid
# YAML holding an Indexed batch/v1 Job whose shard count agrees with its --shard auto/N.
set -euo pipefail
cd "$(dirname "$0")/.."

for script in deploy/slurm/*.sbatch deploy/slurm/*.sh; do
  bash -n "$script"
done
echo "Slurm scripts parse."

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
docs = list(yaml.safe_load_all(open("deploy/kubernetes/ensemble-sweep.yaml")))
jobs = [d for d in docs if d and d.get("kind") == "Job"]
assert all(j["apiVersion"] == "batch/v1" for j in jobs), "every Job is batch/v1"
indexed = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"]
assert len(indexed) == 1, "one Indexed Job runs the shards"
spec = indexed[0]["spec"]
n = spec["completions"]
assert spec["parallelism"] <= n
container = spec["template"]["spec"]["containers"][0]
command = " ".join(container.get("command", []) + container.get("args", []))
assert f"--shard auto/{n}" in command, f"the shard Job runs --shard auto/{n}"
assert spec["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
merge = [j for j in jobs if j is not indexed[0]]
assert merge and "ensemble merge" in " ".join(merge[0]["spec"]["template"]["spec"]["containers"][0]["args"])
print(f"Kubernetes manifest: valid YAML, an Indexed Job of {n} shards and a merge Job.")
PY
exit $status
