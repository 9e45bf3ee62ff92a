"""In CI nothing skips silently: with YDP_CI=1 (exported by .ci/run) tests/conftest.py turns every skip into a
failure, unless the test is marked `ci_may_skip` with its reason. Checked on a small generated test file, run by
pytest in a subprocess with the root conftest loaded as a plugin; and .ci/run is checked to export YDP_CI and run
the README's commands as written there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = '''
import pytest

def test_skips_inside():
    pytest.skip("no pdftotext")

@pytest.mark.skipif(True, reason="no chromium")
def test_skipif_marked():
    pass

@pytest.fixture()
def needs_root():
    pytest.skip("needs root")

def test_skips_in_a_fixture(needs_root):
    pass

@pytest.mark.ci_may_skip(reason="allowed: shown here as an example")
def test_allowed_to_skip():
    pytest.skip("allowed")

@pytest.mark.ci_may_skip
def test_allowed_without_a_reason():
    pytest.skip("no reason given")

@pytest.mark.xfail(reason="known", strict=False)
def test_expected_failure():
    assert False

def test_passes():
    pass
'''
MODULE_SKIP = '''
import pytest
pytest.skip("the whole module", allow_module_level=True)

def test_never_runs():
    pass
'''


def run_sample(tmp_path: Path, ci: str | None, source: str = SAMPLE) -> tuple[int, dict[str, str], str]:
    """pytest on a generated test file: (exit code, outcome per test name, output)."""
    (tmp_path / "test_sample.py").write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "YDP_CI"}
    if ci is not None:
        env["YDP_CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    junit = tmp_path / "junit.xml"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
                           "--rootdir", str(tmp_path), f"--junitxml={junit}", str(tmp_path / "test_sample.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    outcomes: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[case.get("name", "")] = kinds[0] if kinds else "passed"
    return proc.returncode, outcomes, proc.stdout + proc.stderr


def test_in_ci_every_skip_is_a_failure_unless_allowed_with_a_reason(tmp_path: Path) -> None:
    code, outcomes, output = run_sample(tmp_path, "1")
    assert code == 1, output
    assert outcomes == {
        "test_skips_inside": "failure",
        "test_skipif_marked": "error",  # skipped in setup: reported as an error there
        "test_skips_in_a_fixture": "error",
        "test_allowed_to_skip": "skipped",
        "test_allowed_without_a_reason": "failure",  # an allowance must say why
        "test_expected_failure": "skipped",  # an expected failure is not a skip
        "test_passes": "passed",
    }, output
    assert "skipped in CI (YDP_CI=1), which must not skip" in output and "no pdftotext" in output


@pytest.mark.parametrize("ci", [None, "", "0"])
def test_outside_ci_a_skip_stays_a_skip(tmp_path: Path, ci: str | None) -> None:
    code, outcomes, output = run_sample(tmp_path, ci)
    assert code == 0, output
    assert outcomes["test_skips_inside"] == outcomes["test_skipif_marked"] == "skipped"
    assert outcomes["test_allowed_without_a_reason"] == "skipped" and outcomes["test_passes"] == "passed"


def test_in_ci_a_skipped_module_is_a_failure(tmp_path: Path) -> None:
    code, _, output = run_sample(tmp_path, "1", MODULE_SKIP)
    assert code != 0 and "the whole module" in output, output
    code, _, output = run_sample(tmp_path, None, MODULE_SKIP)
    assert code == 5 and "1 skipped" in output, output  # no tests ran: pytest's own "nothing collected" code


def test_ci_exports_ydp_ci_and_runs_the_readme_commands() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = [c for c in re.findall(r"^(python -m pip install .*)$", readme, re.M) if "pytest" in c]
    install, test = (part.strip() for part in command.split("&&"))
    assert install == "python -m pip install -r requirements.txt" and test == "python -m pytest -q"
    lines = [line.split("#")[0].strip() for line in script.splitlines()]
    assert install in lines
    runs = [i for i, line in enumerate(lines) if line.startswith(test)]
    assert len(runs) == 1 and lines[runs[0]] in (test, f"{test} || status=$?"), "the README's test command, as written"
    exports = [i for i, line in enumerate(lines) if line == "export YDP_CI=1"]
    assert exports and exports[0] < runs[0]
    assert "export YDP_E2E_URL=" in script and "export YDP_E2E_PID" in script  # the load test samples the server


def test_no_test_is_allowed_to_skip_in_ci_today() -> None:
    """No skip is legitimate in CI today (it installs Chromium and poppler-utils and runs as root): an allowance
    added later is a decision to be seen in review, listed here with its reason."""
    allowed = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "tests").rglob("test_*.py"))
               if path.name != Path(__file__).name and "ci_may_skip" in path.read_text(encoding="utf-8")]
    assert allowed == []


def test_ci_has_what_the_pdf_and_browser_tests_need() -> None:
    """Some checks run only when a tool is there (test_briefing reads the page size with pdfinfo when it can): in CI
    every one of them must be there, so that none is passed over. Outside CI this test itself skips."""
    if os.environ.get("YDP_CI", "") in ("", "0"):
        pytest.skip("only in CI (YDP_CI=1)")
    from ydp_data import briefing

    assert briefing.chromium_available(), f"no Chromium at {briefing.CHROMIUM}"
    missing = [tool for tool in ("pdfinfo", "pdftotext", "node", "npm") if shutil.which(tool) is None]
    assert missing == []
    assert os.geteuid() == 0, "CI runs as root (the disk-full tests mount a tmpfs)"
