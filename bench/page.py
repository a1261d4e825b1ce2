"""Benchmark: the map page in headless Chromium on localhost (a script, not a test).

    .venv/bin/python bench/page.py

One run, one database, three ways to show the same layers:
  app        this Reflex app (production build, samen030_map.app_server.serve_app)
  folium     the standalone HTML export (samen030_map.export) served by http.server on 127.0.0.1
  streamlit  bench/baselines/streamlit_app.py (Streamlit + streamlit-folium), run from its own virtualenv
             bench/.venv-baselines, created here on first use (Streamlit is a bench-only dependency)

Figures
  P1  navigation start -> all 111 buurt shapes drawn; median of REPEATS_P1 loads, each in a fresh browser
      context (empty cache), after one discarded warm-up load per target (server-side warm-up).
      A script injected before the page's own polls on requestAnimationFrame and notes the time at which
      >= 111 buurt paths exist, in the page or (Streamlit) in the streamlit-folium iframe. For the app:
      the pre-rendered static map (its first paint) and, as a second line, Leaflet's own map. Also the
      bytes received before the first paint could happen (the page and its render-blocking resources).
      The same P1 again, app and folium only, "on a slow phone": Chromium's own CPU (4x) and network
      (1.6 Mbit/s, 150 ms) throttling, a phone-sized window, median of REPEATS_SLOW.
  P3  app only: navigation start -> the first click on a buurt answered (the side panel names it);
      the probe clicks as soon as Leaflet has the buurt, again every 400 ms until an answer.
  P2  app only, REPEATS_P2 clicks each, p95: (a) legend entry 'open' -> fill-opacity of an open buurt's
      path changes; (b) click on a buurt -> #panel-buurt-name shows its name. Timed inside the page with
      performance.now(); the end is seen by a MutationObserver.
  P4  geometry bytes sent to the browser: the app's responses (and websocket frames) that hold a buurtcode
      together with coordinates, gzipped with Python's gzip at level 6; next to it the raw and gzipped
      JSON of picture.buurten_geojson + wijken_geojson.

Host names other than 127.0.0.1 do not resolve in the browser (the app's background tiles fail at once),
so that the offline machine does not wait on DNS; the number of such failed requests is reported. Results: a table on stdout and bench/out/page.json.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402

from samen030_map.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, serve_app, stop_process_group  # noqa: E402
from samen030_map.db import store  # noqa: E402
from samen030_map.components.theme import MEETING_PLACE_COLOUR, ORGANISATION_COLOUR, STATUS_COLOURS, STATUS_ORDER  # noqa: E402
from samen030_map.export.html_map import buurten_features, leaflet_dist, marker_features, write_html_map  # noqa: E402
from samen030_map.labels import STATUS_LABELS  # noqa: E402
from samen030_map.picture import Picture, build_picture  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
BASELINE_VENV = ROOT / "bench" / ".venv-baselines"
BASELINE_PACKAGES = ["streamlit", "streamlit-folium", "folium", "geopandas"]
STREAMLIT_APP = ROOT / "bench" / "baselines" / "streamlit_app.py"

BUURTEN = 111
REPEATS_P1 = 5
REPEATS_P2 = 40
VIEWPORT = {"width": 1280, "height": 860}
# "A slow phone": 4x slower CPU, and a mobile network like DevTools' "Fast 3G" (1.6 Mbit/s down,
# 0.75 up, 150 ms round trip). Only for P1's second table; every other figure is on localhost.
PHONE_VIEWPORT = {"width": 390, "height": 844}
SLOW_PHONE_CPU = 4
SLOW_PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
REPEATS_SLOW = 3
LOAD_TIMEOUT_S = 90
STEP_TIMEOUT_MS = 10_000
MAX_ERRORS = 5  # a P2 series stops after this many failed steps (e.g. a selector the app no longer has)
SERVER_START_TIMEOUT_S = 120

APP_BUURT_PATHS = ".leaflet-buurten-pane path"  # the interactive (Leaflet) map
STATIC_BUURT_PATHS = "#static-map path.b"  # the pre-rendered first paint (components/static_map.py)
FOLIUM_BUURT_PATHS = "path.buurt"  # class_name given to the buurten layer in the export and the baseline
LEGEND_OPEN = '#legend .legend-row[data-status="open"]'
PANEL_NAME = "#panel-buurt-name"
# Names other than localhost do not resolve, so the offline machine never waits on DNS (the app's
# background tiles fail at once). Done in the browser: a Playwright route handler would stall requests
# whenever the Python side is not calling into Playwright.
LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")

TARGETS = {"P1_ratio_app_folium": 0.5, "P1_ratio_app_streamlit": 0.15, "P2a_p95_ms": 100.0, "P2b_p95_ms": 150.0, "P4_gzip_kb": 150.0}


# --- small helpers ---------------------------------------------------------------------------



def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def wait_for_url(url: str, process: subprocess.Popen | None, log_path: Path | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped while starting:\n{log_path.read_text()[-3000:] if log_path else ''}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout_s}s")


# --- inputs: one picture, written out for the folium page and the Streamlit baseline ---------


def write_inputs(picture: Picture, workdir: Path) -> tuple[Path, Path]:
    """(site folder served over http: folium export + Leaflet, data folder for the Streamlit baseline)."""
    site = workdir / "site"
    (site / "leaflet").mkdir(parents=True, exist_ok=True)
    dist = leaflet_dist()
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(dist / name, site / "leaflet" / name)
    write_html_map(picture, site / "index.html", leaflet_dir=dist)

    data = workdir / "streamlit-data"
    data.mkdir(parents=True, exist_ok=True)
    buurten = buurten_features(picture)
    for feature in buurten["features"]:
        props = feature["properties"]
        props["status_label"] = STATUS_LABELS.get(props["status"], "")
        props["fill_colour"] = STATUS_COLOURS.get(props["status"], "#ffffff")
        del props["tooltip"]  # a list; geopandas would read it back as text
    markers = marker_features(picture)
    for feature in markers["features"]:
        props = feature["properties"]
        props["label"] = " — ".join(props.pop("tooltip"))
        props["colour"] = ORGANISATION_COLOUR if props["entity"] == "organisation" else MEETING_PLACE_COLOUR
    counts = picture.coverage.buurten["status"].value_counts()
    legend = {
        "rows": [{"status": s, "label": STATUS_LABELS[s], "colour": STATUS_COLOURS[s], "count": int(counts.get(s, 0))} for s in STATUS_ORDER],
        "attribution": picture.attribution,
    }
    for name, content in (("buurten.geojson", buurten), ("wijken.geojson", picture.wijken_geojson), ("markers.geojson", markers), ("legend.json", legend)):
        (data / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return site, data


# --- servers ---------------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A static file server on 127.0.0.1 (a free port), in a thread of this process."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def ensure_baseline_venv() -> Path:
    """bench/.venv-baselines with Streamlit and streamlit-folium (from PyPI); its python."""
    python = BASELINE_VENV / "bin" / "python"
    ready = BASELINE_VENV / ".installed"
    if ready.exists():
        return python
    print(f"creating {BASELINE_VENV.relative_to(ROOT)} (pip install {' '.join(BASELINE_PACKAGES)}) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(BASELINE_VENV)], check=True, timeout=300)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *BASELINE_PACKAGES], check=True, timeout=1800)
    ready.write_text("\n".join(BASELINE_PACKAGES) + "\n")
    return python


@contextlib.contextmanager
def serve_streamlit(data: Path, leaflet_url: str, log_path: Path) -> Iterator[str]:
    python = ensure_baseline_venv()
    port = free_port()
    env = dict(os.environ, SAMEN030_BENCH_DATA=str(data), SAMEN030_LEAFLET_URL=leaflet_url)
    command = [
        str(python), "-m", "streamlit", "run", str(STREAMLIT_APP),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", "--global.developmentMode", "false",
    ]  # fmt: skip
    with log_path.open("w") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_url(url + "/_stcore/health", process, log_path, SERVER_START_TIMEOUT_S)
        yield url
    finally:
        stop_process_group(process)


# --- browser ---------------------------------------------------------------------------------

# Injected before the page's scripts run. The top window polls on requestAnimationFrame, in its own document
# and in the documents of its (same-origin) iframes, and notes when all buurt paths exist, in ms since its
# navigation start. Polling from the top, not inside the iframe: Chromium reuses an iframe's initial
# about:blank window for its first document, so a probe injected into the iframe would stop with it.
DRAWN_PROBE = """(() => {
  if (window.top !== window) return;
  const selector = %s, wanted = %d, giveUpMs = %d;
  const documents = () => [document, ...[...document.querySelectorAll('iframe')].map((frame) => {
    try { return frame.contentDocument; } catch (error) { return null; }
  })].filter(Boolean);
  const tick = () => {
    if (documents().some((doc) => doc.querySelectorAll(selector).length >= wanted)) {
      window.__buurtenDrawnMs = performance.now();
    } else if (performance.now() < giveUpMs) {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
})();"""


class Browser:
    """One Chromium for the whole run; every load gets a fresh context (own cache, own cookies)."""

    def __init__(self, playwright):
        self.chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, LOCAL_ONLY])

    @contextlib.contextmanager
    def page(self, drawn_selector: str | None = None, slow_phone: bool = False) -> Iterator[tuple]:
        context = self.chromium.new_context(viewport=PHONE_VIEWPORT if slow_phone else VIEWPORT, locale="nl-NL")
        if drawn_selector:
            context.add_init_script(DRAWN_PROBE % (json.dumps(drawn_selector), BUURTEN, LOAD_TIMEOUT_S * 1000))
        page = context.new_page()
        if slow_phone:  # Chromium's own throttling (DevTools protocol): a slower CPU and a mobile network
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_PHONE_NETWORK)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_PHONE_CPU})
        remote: list[str] = []
        page.on("requestfailed", lambda request: remote.append(request.url) if not request.url.startswith(LOCAL) else None)
        try:
            yield page, remote
        finally:
            context.close()

    def close(self) -> None:
        self.chromium.close()


def drawn_after_ms(page) -> float:
    """Milliseconds from the page's navigation start until the probe saw all buurten drawn."""
    handle = page.wait_for_function("() => window.__buurtenDrawnMs ?? false", polling=100, timeout=LOAD_TIMEOUT_S * 1000)
    return float(handle.json_value())


# Bytes the browser had to receive before it could paint: the page itself and every render-blocking
# resource (Chromium's renderBlockingStatus), as transferred (compressed) and as decoded.
BLOCKING_BYTES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const blocking = performance.getEntriesByType('resource').filter((r) => r.renderBlockingStatus === 'blocking');
  return {
    transferred: nav.transferSize + blocking.reduce((sum, r) => sum + r.transferSize, 0),
    decoded: nav.decodedBodySize + blocking.reduce((sum, r) => sum + r.decodedBodySize, 0),
    blocking: blocking.map((r) => r.name.replace(location.origin, '')),
  };
}"""


def measure_p1(browser: Browser, url: str, selector: str, slow_phone: bool = False, repeats: int = REPEATS_P1) -> dict:
    """Median load-to-drawn time over `repeats` fresh contexts (after one discarded warm-up), and the
    bytes received before the first paint could happen."""
    times, remote_counts, before_paint = [], [], []
    for attempt in range(repeats + 1):
        with browser.page(selector, slow_phone) as (page, remote):
            page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
            elapsed = drawn_after_ms(page)
            page.wait_for_load_state("load")
            bytes_before_paint = page.evaluate(BLOCKING_BYTES_JS)
        if attempt > 0:
            times.append(round(elapsed, 1))
            remote_counts.append(len(remote))
            before_paint.append(bytes_before_paint)
    return {
        "url": url,
        "selector": selector,
        "runs_ms": times,
        "median_ms": statistics.median(times),
        "failed_remote_requests": max(remote_counts),
        "bytes_before_first_paint": before_paint[-1],
    }


# --- P3: the first click answered --------------------------------------------------------------

# From the navigation start, as early as the interactive map has the buurt: click its centre (again
# every RETRY_MS while no answer came: a click before the page is hydrated may go nowhere), and note
# when the side panel names it.
FIRST_CLICK_PROBE = """(() => {
  if (window.top !== window) return;
  const code = %s, expected = %s, retryMs = 400, giveUpMs = %d;
  let lastClick = -Infinity;
  const tick = () => {
    const name = document.querySelector('#panel-buurt-name');
    if (name && name.textContent.trim() === expected) { window.__firstClickMs = performance.now(); return; }
    const map = window.buurtkaartMap;
    if (map && performance.now() - lastClick > retryMs) {
      const layer = Object.values(map._layers).find((l) => l.feature && l.feature.properties.code === code && l._path);
      if (layer) {
        const box = layer._path.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        const target = document.elementFromPoint(x, y);
        if (target) {
          target.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0}));
          lastClick = performance.now();
        }
      }
    }
    if (performance.now() < giveUpMs) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


def measure_first_click(browser: Browser, app_url: str, picture: Picture) -> dict:
    """Navigation start -> a click on a buurt answered in the side panel (median of REPEATS_P1)."""
    features = {f["properties"]["code"]: f["properties"]["name"] for f in picture.buurten_geojson["features"]}
    code = "BU03440111" if "BU03440111" in features else next(iter(features))
    times = []
    for attempt in range(REPEATS_P1 + 1):
        context = browser.chromium.new_context(viewport=VIEWPORT, locale="nl-NL")
        context.add_init_script(FIRST_CLICK_PROBE % (json.dumps(code), json.dumps(features[code]), LOAD_TIMEOUT_S * 1000))
        try:
            page = context.new_page()
            page.goto(app_url + "/", wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
            handle = page.wait_for_function("() => window.__firstClickMs ?? false", polling=100, timeout=LOAD_TIMEOUT_S * 1000)
            if attempt > 0:
                times.append(round(float(handle.json_value()), 1))
        finally:
            context.close()
    return {"buurt": code, "runs_ms": times, "median_ms": statistics.median(times)}


# --- P2: interactions in the app ---------------------------------------------------------------

LEGEND_CLICK_JS = """async ([pathsSelector, rowSelector, index, timeoutMs]) => {
  const path = document.querySelectorAll(pathsSelector)[index];
  const row = document.querySelector(rowSelector);
  if (!path || !row) return {error: !path ? 'no buurt path ' + index : 'no legend row'};
  const before = path.getAttribute('fill-opacity');
  return await new Promise((resolve) => {
    let t0;
    const timer = setTimeout(() => { observer.disconnect(); resolve({error: 'timeout', before}); }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (path.getAttribute('fill-opacity') !== before) {
        const ms = performance.now() - t0;
        observer.disconnect(); clearTimeout(timer);
        resolve({ms, before, after: path.getAttribute('fill-opacity')});
      }
    });
    observer.observe(path, {attributes: true, attributeFilter: ['fill-opacity']});
    t0 = performance.now();
    row.click();
  });
}"""

# Where a click at the centre of each buurt's bounding box lands. Only centres that hit the buurt itself are used:
# a marker there selects the buurt the marker stands in, which near a border may be a neighbour.
CLICK_POINTS_JS = """([pathsSelector]) => {
  const paths = [...document.querySelectorAll(pathsSelector)];
  return paths.map((path, index) => {
    const box = path.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const stack = document.elementsFromPoint(x, y);
    const top = stack[0];
    const onMarker = top && top.closest && top.closest('.leaflet-markers-pane') !== null;
    return {index, x, y, usable: top === path, onMarker};
  });
}"""

BUURT_CLICK_JS = """async ([x, y, expected, nameSelector, timeoutMs]) => {
  const target = document.elementFromPoint(x, y);
  if (!target) return {error: 'nothing at the point'};
  const shown = () => { const el = document.querySelector(nameSelector); return el ? el.textContent.trim() : null; };
  if (shown() === expected) return {error: 'already shown: ' + expected};
  return await new Promise((resolve) => {
    let t0;
    const timer = setTimeout(() => { observer.disconnect(); resolve({error: 'timeout', shown: shown()}); }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (shown() === expected) {
        const ms = performance.now() - t0;
        observer.disconnect(); clearTimeout(timer);
        resolve({ms});
      }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    t0 = performance.now();
    const options = {bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0};
    target.dispatchEvent(new MouseEvent('click', options));
  });
}"""


def _summary(samples: list[float], errors: list[str]) -> dict:
    if not samples:
        return {"n": 0, "p50_ms": math.nan, "p95_ms": math.nan, "max_ms": math.nan, "errors": errors[:5], "error_count": len(errors)}
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "errors": errors[:5],
        "error_count": len(errors),
    }


def measure_p2(browser: Browser, app_url: str, picture: Picture) -> dict:
    features = picture.buurten_geojson["features"]
    statuses = picture.coverage.buurten["status"]
    open_index = next(i for i, f in enumerate(features) if statuses.get(f["properties"]["code"]) == "open")
    with browser.page() as (page, _remote):
        page.goto(app_url + "/", timeout=LOAD_TIMEOUT_S * 1000)
        page.wait_for_function(f"document.querySelectorAll('{APP_BUURT_PATHS}').length >= {BUURTEN}", timeout=LOAD_TIMEOUT_S * 1000)
        missing = [s for s in (LEGEND_OPEN,) if page.locator(s).count() == 0]
        if missing:
            return {"error": f"selector missing in the app: {missing}"}

        legend_ms, legend_errors = [], []
        for attempt in range(REPEATS_P2 + 2):  # two warm-up clicks
            result = page.evaluate(LEGEND_CLICK_JS, [APP_BUURT_PATHS, LEGEND_OPEN, open_index, STEP_TIMEOUT_MS])
            if "ms" in result:
                if attempt >= 2:
                    legend_ms.append(result["ms"])
            else:
                legend_errors.append(str(result))
                if len(legend_errors) >= MAX_ERRORS:
                    break
            page.wait_for_timeout(50)
        # Leave 'open' shown (an even number of clicks leaves it as it was).
        if (REPEATS_P2 + 2) % 2:
            page.evaluate(LEGEND_CLICK_JS, [APP_BUURT_PATHS, LEGEND_OPEN, open_index, STEP_TIMEOUT_MS])
        page.wait_for_timeout(200)

        points = [p for p in page.evaluate(CLICK_POINTS_JS, [APP_BUURT_PATHS]) if p["usable"]]
        click_ms, click_errors = [], []
        for attempt in range(REPEATS_P2 + 2 if points else 0):
            point = points[(attempt * 7) % len(points)]  # a stride, so consecutive clicks hit different buurten
            name = features[point["index"]]["properties"]["name"]
            result = page.evaluate(BUURT_CLICK_JS, [point["x"], point["y"], name, PANEL_NAME, STEP_TIMEOUT_MS])
            if "ms" in result:
                if attempt >= 2:
                    click_ms.append(result["ms"])
            else:
                click_errors.append(f"{name}: {result}")
                if len(click_errors) >= MAX_ERRORS:
                    break
            page.wait_for_timeout(50)
    return {
        "legend_toggle": {"open_buurt": features[open_index]["properties"]["code"], **_summary(legend_ms, legend_errors)},
        "buurt_click": {"clickable_buurten": len(points), **_summary(click_ms, click_errors)},
    }


# --- P4: geometry bytes ----------------------------------------------------------------------

SAMPLE_CODE = "BU03440222"
STATIC_SVG = re.compile(rb'<svg id="static-map".*?</svg>', re.S)
COORDINATES = re.compile(rb"5\.\d{3,}\s*,\s*52\.\d{3,}")  # a lon, lat pair in Utrecht
# Every [x,y] pair: removing them estimates how much of a bundle's gzip size the coordinates take.
COORDINATE_PAIRS = re.compile(rb"\[-?\d+(?:\.\d+)?,\s*-?\d+(?:\.\d+)?\],?")


def measure_p4(browser: Browser, app_url: str, picture: Picture, folium_html: Path) -> dict:
    with browser.page() as (page, _remote):
        responses, frames = [], []
        page.on("response", lambda response: responses.append(response))
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
        page.goto(app_url + "/", timeout=LOAD_TIMEOUT_S * 1000)
        page.wait_for_function(f"document.querySelectorAll('{APP_BUURT_PATHS}').length >= {BUURTEN}", timeout=LOAD_TIMEOUT_S * 1000)
        page.wait_for_timeout(500)
        carriers = []
        for response in responses:
            with contextlib.suppress(Exception):  # redirects and failed requests have no body
                body = response.body()
                if SAMPLE_CODE.encode() in body and COORDINATES.search(body):
                    encoded = response.request.sizes().get("responseBodySize")
                    carriers.append(
                        {
                            "url": response.url.replace(app_url, ""),
                            "raw_bytes": len(body),
                            "gzip6_bytes": gzip_size(body),
                            "geometry_share_gzip6_bytes": gzip_size(body) - gzip_size(COORDINATE_PAIRS.sub(b"", body)),
                            "transferred_body_bytes": encoded,
                            "content_encoding": response.headers.get("content-encoding", ""),
                        }
                    )
        # The static first paint's SVG: in the HTML, and again as a string in the page's JS module.
        static_svg, static_copies = b"", 0
        for response in responses:
            with contextlib.suppress(Exception):
                body = response.body()
                if b"sm-" + SAMPLE_CODE.encode() in body:
                    static_copies += 1
                    found = STATIC_SVG.search(body)
                    static_svg = found.group(0) if found else static_svg
        for payload in frames:
            data = payload.encode() if isinstance(payload, str) else payload
            if SAMPLE_CODE.encode() in data and COORDINATES.search(data):
                carriers.append({"url": "(websocket frame)", "raw_bytes": len(data), "gzip6_bytes": gzip_size(data)})
    geojson = json.dumps([picture.buurten_geojson, picture.wijken_geojson], separators=(",", ":")).encode()
    folium_bytes = folium_html.read_bytes()
    return {
        "app_carriers": carriers,
        "static_svg_raw_bytes": len(static_svg),
        "static_svg_gzip6_bytes": gzip_size(static_svg) if static_svg else 0,
        "static_svg_copies": static_copies,
        "app_gzip6_bytes": sum(c["gzip6_bytes"] for c in carriers),
        "geojson_raw_bytes": len(geojson),
        "geojson_gzip6_bytes": gzip_size(geojson),
        "folium_html_raw_bytes": len(folium_bytes),
        "folium_html_gzip6_bytes": gzip_size(folium_bytes),
    }


# --- report ----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def guarded(label: str, measure, *args) -> dict:
    """Run one measurement; a failure becomes {"error": ...} so the other figures are still reported."""
    print(f"{label} ...", flush=True)
    try:
        return measure(*args)
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"  {label} failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}", flush=True)
        return {"error": f"{type(error).__name__}: {str(error)[:2000]}"}


def report_p1(p1: dict) -> list[str]:
    lines = [f"P1  navigation start -> 111 buurten drawn (median of {REPEATS_P1}, fresh context each)"]
    labels = {
        "app": "app, first paint",
        "app_leaflet": "app, Leaflet drawn",
        "folium": "folium HTML",
        "streamlit": "Streamlit + st-folium",
    }
    for key, label in labels.items():
        entry = p1.get(key, {"error": "not run"})
        if "error" in entry:
            lines.append(f"    {label:22s} FAILED: {entry['error'].splitlines()[0][:200]}")
        else:
            lines.append(f"    {label:22s} {entry['median_ms']:8.0f} ms   runs {entry['runs_ms']}")
    for other, target in (("folium", "P1_ratio_app_folium"), ("streamlit", "P1_ratio_app_streamlit")):
        if "median_ms" in p1.get("app", {}) and "median_ms" in p1.get(other, {}):
            ratio = p1["app"]["median_ms"] / p1[other]["median_ms"]
            p1[f"ratio_app_{other}"] = round(ratio, 3)
            lines.append(f"    app / {other:10s} {ratio:6.2f}x   target <= {TARGETS[target]:.2f}x   {verdict(ratio <= TARGETS[target])}")
    for key in ("app", "folium"):
        before = p1.get(key, {}).get("bytes_before_first_paint")
        if before:
            lines.append(
                f"    bytes before first paint, {labels[key]}: {before['transferred'] / 1000:.1f} kB on the wire "
                f"({before['decoded'] / 1000:.1f} kB decoded; render-blocking: {before['blocking'] or 'none'})"
            )
    remote = {k: v.get("failed_remote_requests") for k, v in p1.items() if isinstance(v, dict)}
    lines.append(f"    (requests to other hosts that failed, per load: {remote})")
    return lines


def report_p2(p2: dict) -> list[str]:
    if "error" in p2:
        return [f"P2  not measured: {p2['error'].splitlines()[0][:300]}"]
    lines = []
    for key, label, target in (
        ("legend_toggle", "legend 'open' -> map restyled", "P2a_p95_ms"),
        ("buurt_click", "buurt click -> panel shows name", "P2b_p95_ms"),
    ):
        s = p2[key]
        ok = s["n"] > 0 and s["p95_ms"] < TARGETS[target]
        lines.append(
            f"P2  {label:32s} p95 {s['p95_ms']:7.1f} ms  (p50 {s['p50_ms']:.1f}, max {s['max_ms']:.1f}, n={s['n']}, "
            f"errors {s['error_count']})   target < {TARGETS[target]:.0f} ms   {verdict(ok)}"
        )
        lines += [f"      error: {error}" for error in s["errors"]]
    return lines


def report_p4(p4: dict) -> list[str]:
    if "error" in p4:
        return [f"P4  not measured: {p4['error'].splitlines()[0][:300]}"]
    # The geometry travels inside the page's JS chunk, next to the app's code; the target is about the
    # geometry, so judge its share of the chunk (the chunk's full size is listed below it).
    kb = sum(c.get("geometry_share_gzip6_bytes", c["gzip6_bytes"]) for c in p4["app_carriers"]) / 1000
    static_kb = p4.get("static_svg_gzip6_bytes", 0) * p4.get("static_svg_copies", 0) / 1000
    kb += static_kb
    lines = [
        f"P4  geometry sent by the app, gzip -6: {kb:.1f} kB in {len(p4['app_carriers'])} response(s)   "
        f"target <= {TARGETS['P4_gzip_kb']:.0f} kB   {verdict(0 < kb <= TARGETS['P4_gzip_kb'])}"
    ]
    for c in p4["app_carriers"]:
        wire = c.get("transferred_body_bytes")
        lines.append(
            f"      {c['url']}: raw {c['raw_bytes'] / 1000:.1f} kB, gzip-6 {c['gzip6_bytes'] / 1000:.1f} kB"
            + (f" (of which coordinates ~{c['geometry_share_gzip6_bytes'] / 1000:.1f} kB)" if "geometry_share_gzip6_bytes" in c else "")
            + (f", on the wire {wire / 1000:.1f} kB {c.get('content_encoding') or '(uncompressed)'}" if wire else "")
        )
    lines.append(
        f"      static first-paint SVG: raw {p4.get('static_svg_raw_bytes', 0) / 1000:.1f} kB, gzip-6 {p4.get('static_svg_gzip6_bytes', 0) / 1000:.1f} kB, "
        f"sent {p4.get('static_svg_copies', 0)}x (HTML + the page's JS): {static_kb:.1f} kB counted above"
    )
    lines.append(f"    buurten+wijken GeoJSON: raw {p4['geojson_raw_bytes'] / 1000:.1f} kB, gzip-6 {p4['geojson_gzip6_bytes'] / 1000:.1f} kB")
    lines.append(f"    folium HTML (Leaflet inlined): raw {p4['folium_html_raw_bytes'] / 1000:.1f} kB, gzip-6 {p4['folium_html_gzip6_bytes'] / 1000:.1f} kB")
    lines.append("    (kB = 1000 bytes)")
    return lines


def report_p1_slow_phone(p1: dict) -> list[str]:
    lines = [f"P1  on a slow phone ({SLOW_PHONE_CPU}x CPU, 1.6 Mbit/s, 150 ms; 390x844; median of {REPEATS_SLOW})"]
    for key, label in (("app", "app, first paint"), ("folium", "folium HTML")):
        entry = p1.get(key, {"error": "not run"})
        if "error" in entry:
            lines.append(f"    {label:22s} FAILED: {entry['error'].splitlines()[0][:200]}")
        else:
            lines.append(f"    {label:22s} {entry['median_ms']:8.0f} ms   runs {entry['runs_ms']}")
    if "median_ms" in p1.get("app", {}) and "median_ms" in p1.get("folium", {}):
        ratio = p1["app"]["median_ms"] / p1["folium"]["median_ms"]
        p1["ratio_app_folium"] = round(ratio, 3)
        lines.append(f"    app / folium       {ratio:6.2f}x")
    return lines


def report_p3(p3: dict) -> list[str]:
    if "error" in p3:
        return [f"P3  not measured: {p3['error'].splitlines()[0][:300]}"]
    return [f"P3  navigation start -> first click on a buurt answered: {p3['median_ms']:.0f} ms (median of {REPEATS_P1}; runs {p3['runs_ms']})"]


def report(results: dict) -> str:
    load = f"load average (1/5/15 min) before {results['load_average_before']}, after {results['load_average_after']}"
    sections = report_p1(results["P1"]) + report_p1_slow_phone(results["P1_slow_phone"]) + report_p3(results["P3"]) + report_p2(results["P2"]) + report_p4(results["P4"])
    return "\n".join([*sections, load])


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)")
        return 2
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    workdir = OUT_DIR / "page-run"  # database, served files and server logs of the last run
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    print(f"work folder {workdir.relative_to(ROOT)}", flush=True)
    store.prepare_database(db_url)  # migrate and seed, as the app does at start
    picture = build_picture(db_url=db_url)
    site, data = write_inputs(picture, workdir)
    ensure_baseline_venv()

    results: dict = {"P1": {}}
    with contextlib.ExitStack() as stack:
        print("building and starting the app (reflex run --env prod) ...", flush=True)
        # Built in its own folders (kept between runs in bench/out/), away from the project's .web.
        app_url = stack.enter_context(serve_app(db_url, workdir / "reflex.log", build_dir=OUT_DIR))
        site_url = stack.enter_context(serve_folder(site))
        streamlit_url = stack.enter_context(serve_streamlit(data, f"{site_url}/leaflet", workdir / "streamlit.log"))
        playwright = stack.enter_context(sync_playwright())
        browser = Browser(playwright)
        stack.callback(browser.close)

        # Other work on this 2-core machine skews the timings; keep the load next to them.
        results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        for name, url, selector in (
            ("app", app_url + "/", STATIC_BUURT_PATHS),
            ("app_leaflet", app_url + "/", APP_BUURT_PATHS),
            ("folium", site_url + "/index.html", FOLIUM_BUURT_PATHS),
            ("streamlit", streamlit_url + "/", FOLIUM_BUURT_PATHS),
        ):
            results["P1"][name] = guarded(f"P1 {name}", measure_p1, browser, url, selector)
        results["P1_slow_phone"] = {
            name: guarded(f"P1 slow phone {name}", measure_p1, browser, url, selector, True, REPEATS_SLOW)
            for name, url, selector in (("app", app_url + "/", STATIC_BUURT_PATHS), ("folium", site_url + "/index.html", FOLIUM_BUURT_PATHS))
        }
        results["P3"] = guarded("P3", measure_first_click, browser, app_url, picture)
        results["P2"] = guarded("P2", measure_p2, browser, app_url, picture)
        results["P4"] = guarded("P4", measure_p4, browser, app_url, picture, site / "index.html")

    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = TARGETS
    table = report(results)
    print()
    print(table)
    (OUT_DIR / "page.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten {(OUT_DIR / 'page.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
