"""The docs site: `dbt docs generate` against the built sample, served on a free localhost
port and opened in headless Chromium. The landing page is the project's overview
(models/overview.md), not dbt's stock welcome; a model page shows its description and
columns, the lineage graph draws the model with its parents and children, and every node and
column the site lists has a description. Screenshots land in target/ (docs_site_overview.png,
docs_site_model.png, docs_site_lineage.png) for a person to look at."""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "target"
MODEL = "model.echo_roots.categories"
OVERVIEW = "doc.echo_roots.__overview__"
# what the landing page must tell a newcomer: the layers, how to load, build and query, where
# the curated seeds are
OVERVIEW_SAYS = [
    "raw → staging → intermediate → marts",
    "echo-roots load items FILE",
    "echo-roots load extractions FILE",
    "echo-roots-load items FILE",
    "make build",
    "dbt build",
    ".venv/bin/duckdb -readonly warehouse/published/echo_roots.duckdb",
    "seeds/domain_pack/",
    "seeds/reviews/elevation_decisions.csv",
]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=15000",  # let the Angular app fetch its JSON and draw the graph
    "--window-size=1400,900",
]

# Appended to a copy of index.html (`probe.html`): once cytoscape has drawn the lineage
# graph, write the ids of its visible nodes into the page, where --dump-dom can read them.
# The graph lives on <canvas> elements, so the DOM alone does not name its nodes.
GRAPH_PROBE = """
<script>
setInterval(function () {
  var container = document.getElementById('cy');
  var cy = container && container._cyreg && container._cyreg.cy;
  if (!cy) return;
  var out = document.getElementById('graph-probe');
  if (!out) {
    out = document.createElement('pre');
    out.id = 'graph-probe';
    document.body.appendChild(out);
  }
  out.textContent = JSON.stringify(cy.nodes(':visible').map(function (n) { return n.id(); }));
}, 250);
</script>
"""


def install_chromium() -> str:
    """The path of a Chromium binary; Debian's `chromium` package is installed when missing
    (the test machines run as root). Skips with apt-get's own words when that fails."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("headless Chromium is missing: install Debian's `chromium` package (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    result = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:  # perhaps stale package lists
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, check=False)
        result = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
    found = shutil.which("chromium")
    if result.returncode != 0 or not found:
        pytest.skip(
            "headless Chromium is missing and `apt-get install -y chromium` failed:\n"
            + (result.stdout + result.stderr)[-1500:]
        )
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    return install_chromium()


@pytest.fixture(scope="module")
def site(built_warehouse, dbt, tmp_path_factory) -> Path:
    """`dbt docs generate` against the built sample: the folder holding index.html,
    manifest.json and catalog.json."""
    tmp = tmp_path_factory.mktemp("docs")
    result = dbt(["docs", "generate"], built_warehouse, tmp)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    target = tmp / "target"
    for name in ["index.html", "manifest.json", "catalog.json"]:
        assert (target / name).is_file(), f"dbt docs generate wrote no {name}"
    index = (target / "index.html").read_text(encoding="utf-8")
    (target / "probe.html").write_text(
        index.replace("</body>", GRAPH_PROBE + "</body>"), encoding="utf-8"
    )
    return target


@pytest.fixture(scope="module")
def site_url(site):
    """The site served by Python's http.server on a free localhost port, in a thread."""

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def browse(chromium: str, url: str, *, screenshot: Path | None = None) -> str:
    """Open `url` in a fresh headless Chromium profile: the DOM after the page's scripts ran,
    or, with `screenshot`, write a PNG there instead and return ''."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        action = [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        result = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *action, url],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert result.returncode == 0, f"chromium exited {result.returncode}: {result.stderr[-2000:]}"
    if screenshot:
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no PNG at {screenshot}"
        return ""
    return result.stdout


def visible_text(dom: str) -> str:
    """The page's text: scripts, styles and tags dropped, entities decoded, spaces collapsed."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


def load(site: Path, name: str) -> dict:
    return json.loads((site / name).read_text(encoding="utf-8"))


def test_landing_page_is_the_project_overview(chromium, site, site_url):
    manifest = load(site, "manifest.json")
    overview = manifest["docs"][OVERVIEW]["block_contents"]
    assert all(phrase in overview for phrase in OVERVIEW_SAYS)
    dom = browse(chromium, f"{site_url}/index.html")  # the site opens on #!/overview
    text = visible_text(dom)

    assert "Welcome to the auto-generated documentation" not in text  # dbt's stock page
    headings = re.findall(r"(?m)^#+ (.+)$", overview)
    assert headings and all(heading in text for heading in headings), headings
    missing = [phrase for phrase in OVERVIEW_SAYS if phrase not in text]
    assert not missing, f"not on the landing page: {missing}"

    SCREENSHOTS.mkdir(exist_ok=True)
    browse(chromium, f"{site_url}/index.html", screenshot=SCREENSHOTS / "docs_site_overview.png")


def test_model_page_shows_description_and_columns(chromium, site, site_url):
    manifest, catalog = load(site, "manifest.json"), load(site, "catalog.json")
    url = f"{site_url}/index.html#!/model/{MODEL}"
    dom = browse(chromium, url)

    description = " ".join(manifest["nodes"][MODEL]["description"].split())
    assert description and description in visible_text(dom)
    shown = set(re.findall(r'<span class="text-dark ng-binding">\s*(\w+)\s*</span>', dom))
    columns = set(catalog["nodes"][MODEL]["columns"])
    assert columns == set(manifest["nodes"][MODEL]["columns"])  # documented = built
    assert columns <= shown, f"columns not on the page: {sorted(columns - shown)}"

    SCREENSHOTS.mkdir(exist_ok=True)
    browse(chromium, url, screenshot=SCREENSHOTS / "docs_site_model.png")


def test_lineage_graph_draws_the_model_its_parents_and_children(chromium, site, site_url):
    manifest = load(site, "manifest.json")
    fragment = f"#!/model/{MODEL}?g_v=1&g_i=%2Bcategories%2B"  # what the graph button opens
    dom = browse(chromium, f"{site_url}/probe.html{fragment}")

    assert "__________cytoscape_container" in dom  # cytoscape took the container
    assert 'data-id="layer2-node"' in dom  # and drew its node layer
    probe = re.search(r'<pre id="graph-probe">(.*?)</pre>', dom, flags=re.S)
    assert probe, "the lineage graph never rendered (no cytoscape instance with nodes)"
    drawn = set(json.loads(html.unescape(probe[1])))
    neighbours = manifest["parent_map"][MODEL] + manifest["child_map"][MODEL]
    expected = {MODEL} | {uid for uid in neighbours if not uid.startswith(("test.", "unit_test."))}
    assert expected <= drawn, f"not drawn: {sorted(expected - drawn)}"
    assert "exposure.echo_roots.integrator_export" in drawn

    SCREENSHOTS.mkdir(exist_ok=True)
    browse(
        chromium,
        f"{site_url}/index.html{fragment}",
        screenshot=SCREENSHOTS / "docs_site_lineage.png",
    )


def test_every_node_and_column_on_the_site_has_a_description(site):
    """What the site lists: every model, seed, snapshot and source table, every column the
    warehouse has (catalog) or the YAML declares (manifest), and the exposures."""
    manifest, catalog = load(site, "manifest.json"), load(site, "catalog.json")
    built = {**catalog["nodes"], **catalog["sources"]}
    nodes = {
        uid: node
        for uid, node in {**manifest["nodes"], **manifest["sources"]}.items()
        if node["resource_type"] in {"model", "seed", "snapshot", "source"}
    }
    missing = []
    for uid, node in sorted(nodes.items()):
        if not node["description"].strip():
            missing.append(uid)
        columns = set(node["columns"]) | set(built.get(uid, {}).get("columns", {}))
        for column in sorted(columns):
            if not node["columns"].get(column, {}).get("description", "").strip():
                missing.append(f"{uid}.{column}")
    assert not missing, "no description: " + ", ".join(missing)
    assert not set(built) - set(nodes), "built but unknown to the project"
    exposures = manifest["exposures"]
    assert {e["name"] for e in exposures.values()} >= {"analyst_warehouse", "integrator_export"}
    assert all(e["description"].strip() and e["owner"]["email"] for e in exposures.values())
