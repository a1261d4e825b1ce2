"""The `samen030-map` command line: output formats, data checks, and bad input that changes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samen030_map.cli import main
from samen030_map.core.config import BOUNDARIES_DIR, REGISTRY_DIR
from samen030_map.core.coverage import STATUSES
from samen030_map.db import store


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_coverage_json_lists_111_buurten_with_a_status(capsys, db_url):
    code, out, _ = run_cli(capsys, "--db-url", db_url, "coverage", "--format", "json")
    assert code == 0
    data = json.loads(out)
    buurten = data["buurten"]
    assert len(buurten) == 111
    assert {b["status"] for b in buurten} <= set(STATUSES)
    assert len({b["buurtcode"] for b in buurten}) == 111
    ondiep = next(b for b in buurten if b["buurtcode"] == "BU03440222")
    assert ondiep["buurtnaam"] == "Ondiep" and ondiep["wijknaam"] == "Noordwest"
    assert "BuurtWerkKamer TOP" in ondiep["organisaties"]
    assert ondiep["status"] == "gedekt"
    # CBS withheld or zero: De Wetering has 0 inhabitants and is not a gap.
    wetering = next(b for b in buurten if b["buurtcode"] == "BU03440911")
    assert wetering["status"] == "weinig bewoners"
    assert data["attribution"] == "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)"
    assert sum(data["city"][status] for status in STATUSES) == 111


def test_coverage_csv_and_table(capsys, db_url):
    _, out, _ = run_cli(capsys, "--db-url", db_url, "coverage", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 111
    assert list(rows[0]) == ["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status", "organisaties", "inwoners"]
    _, table, _ = run_cli(capsys, "--db-url", db_url, "coverage")
    assert "Ondiep" in table and "Inwoners in open buurten" in table and "Bron: CBS" in table


def test_check_data_passes_on_shipped_data_and_lists_every_problem(capsys, db_url, tmp_path):
    code, out, _ = run_cli(capsys, "--db-url", db_url, "check-data")
    assert code == 0, out
    assert "111 buurten" in out
    broken = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, broken)
    text = (broken / "organisations.csv").read_text(encoding="utf-8")
    # Two problems in one file: an unknown kind and an unknown wijk code; both must be listed.
    text = text.replace(",wijkcooperatie,", ",onzin-soort,", 1).replace("WK034405", "WK034499", 1)
    (broken / "organisations.csv").write_text(text, encoding="utf-8")
    code, out, _ = run_cli(capsys, "--db-url", db_url, "check-data", "--registry", str(broken), "--skip-db")
    assert code == 1
    assert "FOUT" in out and "organisations.csv" in out
    assert "onzin-soort" in out and "WK034499" in out


def test_refresh_from_a_broken_folder_keeps_the_boundaries(capsys, tmp_path):
    dest = tmp_path / "boundaries"
    shutil.copytree(BOUNDARIES_DIR, dest)
    before = (dest / "buurten.geojson").read_bytes()
    source = tmp_path / "broken"
    source.mkdir()
    (source / "buurten.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    shutil.copy(BOUNDARIES_DIR / "wijken.geojson", source / "wijken.geojson")
    code, _, err = run_cli(capsys, "refresh-boundaries", "--from-folder", str(source), "--dest", str(dest))
    assert code == 1
    assert "buurten.geojson" in err and "niet veranderd" in err
    assert (dest / "buurten.geojson").read_bytes() == before


def test_import_of_a_broken_file_changes_nothing(capsys, db_url, tmp_path):
    assert run_cli(capsys, "--db-url", db_url, "init-db")[0] == 0
    engine = store.engine_for(db_url)
    before = [entry.name for entry in store.load_entries(engine, "organisation")]
    bad = tmp_path / "bad.csv"
    header = (REGISTRY_DIR / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(header + "\nnieuw,<b>Nieuw</b>,buurtwerkkamer,,,buurt,BU03449999,,,,,buurt,onbekend,,https://example.org,2026-11-22,\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--db-url", db_url, "import", "organisations", str(bad))
    assert code == 1
    assert "BU03449999" in err and "niets opgeslagen" in err
    assert [entry.name for entry in store.load_entries(engine, "organisation")] == before


def test_export_html_writes_an_offline_map(capsys, db_url, tmp_path):
    target = tmp_path / "kaart.html"
    code, out, _ = run_cli(capsys, "--db-url", db_url, "export-html", str(target))
    assert code == 0 and target.exists()
    html = target.read_text(encoding="utf-8")
    assert "BU03440222" in html and "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)" in html
    assert '<script src="http' not in html


def test_installed_script_runs(db_url):
    script = Path(sys.executable).parent / "samen030-map"
    result = subprocess.run([str(script), "--db-url", db_url, "coverage", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["buurten"]) == 111
