"""The GitHub workflows: they load, have the jobs and steps they need, and call only real make targets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("jobs"), dict), name
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    assert job.get("runs-on") and isinstance(job.get("steps"), list) and job["steps"], job
    return job["steps"]


def uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(s["run"] for s in steps(job) if "run" in s)


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {name for line in text.splitlines() if (m := re.match(r"^([A-Za-z0-9_.\-/ ]+):(?!=)", line)) for name in m.group(1).split()}


def test_the_test_workflow_runs_make_test_with_python_311_and_node():
    data = load("test.yml")
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    job = data["jobs"]["test"]
    assert {"actions/checkout", "actions/setup-python", "actions/setup-node"} <= set(uses(job))
    python = next(s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert re.search(r"^make test$", runs(job), re.M)


def test_the_pages_workflow_builds_the_site_and_pdfs_and_deploys_them():
    data = load("pages.yml")
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages" and data["concurrency"]["cancel-in-progress"] is False
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert re.search(r"^make site$", runs(build), re.M) and re.search(r"^make pdf$", runs(build), re.M)
    assert runs(build).index("make site") < runs(build).index("make pdf")
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages" in uses(deploy)


def test_makefile_targets_are_read():
    assert {"site", "test", "docs"} <= makefile_targets()


@pytest.mark.parametrize("workflow", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_make_target_a_workflow_calls_exists(workflow):
    commands = re.findall(r"\bmake\s+([A-Za-z0-9_.\-]+)", runs_of_all_jobs(load(workflow)))
    assert commands
    missing = sorted(set(commands) - makefile_targets())
    assert missing == [], f"{workflow} calls make targets the Makefile does not have: {missing}"


def runs_of_all_jobs(data: dict[str, Any]) -> str:
    return "\n".join(runs(job) for job in data["jobs"].values())
