"""The HTML report in a real headless Chromium: it renders, and hostile names stay text.

Skipped when no Chromium is installed (.ci/run installs Debian's package when it can).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip


@pytest.fixture
def hostile_team_page(cli, tmp_path: Path) -> Path:
    team = tmp_path / "team.yaml"
    text = (EXAMPLES / "spring-launch.yaml").read_text(encoding="utf-8")
    text = text.replace("candidates/", f"{EXAMPLES}/candidates/")
    text = text.replace("name: Ma Jun", "name: \"<script>document.title='pwned'</script>[bold]Ma\"")
    team.write_text(text, encoding="utf-8")
    page = tmp_path / "report.html"
    assert cli("team", team, "--format", "html", "--output", page).code == 0
    return page


def test_page_renders_with_sections_and_hostile_name_as_text(
    tmp_path: Path, hostile_team_page: Path
) -> None:
    dom = _chromium(tmp_path, "--dump-dom", hostile_team_page.as_uri()).stdout
    assert "<title>Team fit: Spring launch</title>" in dom  # the injected script never ran
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;[bold]Ma" in dom
    assert "<script" not in dom
    for section in ("summary", "heatmap", "gaps", "findings", "recommendations"):
        assert f'id="{section}"' in dom


def test_screenshot_is_not_blank(tmp_path: Path, hostile_team_page: Path) -> None:
    shot = tmp_path / "report.png"
    _chromium(tmp_path, "--window-size=1100,1600", f"--screenshot={shot}",
              hostile_team_page.as_uri())  # fmt: skip
    # A blank white page compresses to a few KB; the report's text and heatmap do not.
    assert shot.stat().st_size > 30_000


# Chromium's own service traffic (updates, accounts) shows in the net log whatever the page does.
CHROMIUM_SERVICES = re.compile(
    r"^(https?://)?([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com)(:\d+)?(/|$)"
)


def _requested_urls(tmp_path: Path, page: Path) -> set[str]:
    log = tmp_path / f"{page.stem}-netlog.json"
    _chromium(tmp_path, f"--log-net-log={log}", "--virtual-time-budget=3000", "--dump-dom",
              page.as_uri())  # fmt: skip
    events = json.loads(log.read_text(encoding="utf-8")).get("events", [])
    urls = {str(e["params"]["url"]) for e in events if "url" in e.get("params", {})}
    return {
        u for u in urls if not CHROMIUM_SERVICES.match(u) and not u.startswith(("file:", "data:"))
    }


def test_the_page_makes_no_network_request(tmp_path: Path, hostile_team_page: Path) -> None:
    # A control page that does fetch something proves the check can see a request.
    control = tmp_path / "control.html"
    control.write_text('<img src="http://staffcheck-control.invalid/x.png">', encoding="utf-8")
    assert any("staffcheck-control.invalid" in u for u in _requested_urls(tmp_path, control))
    assert _requested_urls(tmp_path, hostile_team_page) == set()
