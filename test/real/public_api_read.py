"""Reads everything a W&B project holds through the real Public API (wandb.Api(), WANDB_BASE_URL set), as a
user's script would, and prints it as JSON in the shape of tracked-flows' log model (DESIGN §3.6), so the test
can compare it field by field with the server's /_harness/log.

  python3 public_api_read.py ENTITY/PROJECT DOWNLOAD_DIR

Run files: every run's file list is read, and wandb-summary.json is downloaded and parsed (its keys without a
leading underscore must equal the run's summary). Artifact files are downloaded and their md5 checked against
the listing; a mismatch goes to "problems".
"""
import base64
import hashlib
import json
import os
import sys

import wandb


def public(d):
    return {k: v for k, v in d.items() if not k.startswith("_")}


def md5_b64(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return base64.b64encode(h.digest()).decode()


def main(path, download_dir):
    api = wandb.Api(timeout=60)
    runs, artifacts, problems = [], {}, []
    for run in api.runs(path):
        logged = list(run.logged_artifacts())
        used = list(run.used_artifacts())
        files = sorted(f.name for f in run.files())
        summary_file = None
        if "wandb-summary.json" in files:
            target = os.path.join(download_dir, run.id)
            run.file("wandb-summary.json").download(root=target, replace=True)
            with open(os.path.join(target, "wandb-summary.json")) as f:
                summary_file = public(json.load(f))
        runs.append({
            "id": run.id,
            "entity": run.entity,
            "project": run.project,
            "group": run.group,
            "job_type": run.job_type,
            "state": run.state,
            "config": public(run.config),
            "summary": public(run.summary._json_dict),
            "summary_file": summary_file,
            "history": [public(row) for row in run.scan_history()],
            "logged_artifacts": [a.name for a in logged],
            "used_artifacts": [a.name for a in used],
            "files": files,
        })
        for a in logged + used:
            if a.name in artifacts:
                continue
            root = os.path.join(download_dir, "artifacts", a.name.replace(":", "-"))
            listed = [{"path": f.name, "size": f.size, "md5": f.md5} for f in a.files()]
            if listed:
                a.download(root=root)
                for f in listed:
                    got = md5_b64(os.path.join(root, f["path"]))
                    if got != f["md5"]:
                        problems.append(f"{a.name}/{f['path']}: downloaded md5 {got}, listed {f['md5']}")
            creator = a.logged_by()
            artifacts[a.name] = {
                "name": a.name.rsplit(":", 1)[0],
                "type": a.type,
                "version": a.version,
                "digest": a.digest,
                "aliases": sorted(set(a.aliases) | {a.version}),
                "files": sorted(listed, key=lambda f: f["path"]),
                "created_by": creator.id if creator is not None else None,
                "used_by": sorted(r.id for r in a.used_by()),
            }
    print(json.dumps({"runs": runs, "artifacts": list(artifacts.values()), "problems": problems}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
