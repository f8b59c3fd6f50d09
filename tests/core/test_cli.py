"""The command line, run as users run it: a subprocess, exit codes, stdout and stderr."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "core" / "resources" / "seed" / "hoglandets_samordningsforbund_2024.csv"


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "core", *args]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)


def test_summary_json_gives_every_seed_figure(tmp_path):
    result = run("summary", "--json", db=tmp_path / "b.duckdb")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    members = {
        "Aneby kommun": 119_465,
        "Eksjö kommun": 312_845,
        "Nässjö kommun": 557_750,
        "Sävsjö kommun": 205_585,
        "Tranås kommun": 329_330,
        "Vetlanda kommun": 484_025,
        "Region Jönköpings län": 2_009_000,
        "Försäkringskassan och Arbetsförmedlingen": 4_018_000,
    }
    assert all(year.pop("members") == members for year in data["years"].values())  # issue 12: every federation
    assert data["years"] == {
        "2023": {"revenue": 8136068, "costs": 7839000, "result": 297068, "equity_end": 1512650},
        "2024": {"revenue": 8086000, "costs": 8236000, "result": -150000, "equity_end": 1362650},
        "2025": {"revenue": 8086000, "costs": 8086000, "result": 0, "equity_end": 1362650},
        "2026": {"revenue": 8086000, "costs": 8086000, "result": 0, "equity_end": 1362650},
    }
    assert all(set(c) == {"rule", "year", "level", "message"} for c in data["checks"])
    assert {c["level"] for c in data["checks"]} == {"ok"}


def test_summary_prints_a_swedish_table(tmp_path):
    result = run("summary", db=tmp_path / "b.duckdb")
    assert result.returncode == 0
    assert "Eget kapital" in result.stdout and "1 362 650" in result.stdout and "−150 000" in result.stdout


def test_summary_with_scenario_file(tmp_path):
    result = run(
        "summary", "--json", "--budget", str(SEED), "--scenario", "core/resources/scenarios/it_sparet_2026.toml"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["years"]["2026"]["equity_end"] == 1362650 - 562500
    balance_2026 = next(c for c in data["checks"] if c["rule"] == "budget_i_balans" and c["year"] == 2026)
    assert balance_2026["level"] == "ok"  # covered by the proposed use of equity


def test_export_then_import_round_trips_through_the_database(tmp_path):
    db = tmp_path / "b.duckdb"
    for name in ("budget.csv", "budget.xlsx"):
        out = tmp_path / name
        assert run("export", str(out), db=db).returncode == 0
        result = run("import", str(out), db=db)
        assert result.returncode == 0, result.stderr
        assert "version" in result.stdout
    after = json.loads(run("summary", "--json", db=db).stdout)
    assert after["years"]["2026"]["equity_end"] == 1362650


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summary", "--scenario", "finns_inte.toml"], "finns inte"),
        (["import", "finns_inte.csv"], "finns inte"),
        (["summary", "--budget", "README.md"], "CSV"),
        (["summary", "--bogus"], "Fel i kommandot"),
    ],
)
def test_errors_exit_non_zero_with_a_swedish_message_and_no_traceback(tmp_path, args, message):
    result = run(*args) if "--budget" in args or "--bogus" in args else run(*args, db=tmp_path / "b.duckdb")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_import_changes_nothing_stored(tmp_path):
    db = tmp_path / "b.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("post,namn,kategori,2024\nkostnad,Lokal,administration,-5\neget_kapital,EK,,100\n", encoding="utf-8")
    before = run("summary", "--json", db=db).stdout
    result = run("import", str(bad), db=db)
    assert result.returncode == 2 and "Rad 2" in result.stderr
    assert run("summary", "--json", db=db).stdout == before


def test_report_writes_pdf_excel_and_csv(tmp_path):
    pdf, xlsx, csv = tmp_path / "f.pdf", tmp_path / "f.xlsx", tmp_path / "f.csv"
    result = run(
        "report",
        "--budget",
        str(SEED),
        "--scenario",
        "core/resources/scenarios/it_sparet_2026.toml",
        "--pdf",
        str(pdf),
        "--xlsx",
        str(xlsx),
        "--csv",
        str(csv),
    )
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 0
    from core.files.budget_file import read_budget_file

    assert read_budget_file(csv).cost_line("IT-spåret").amounts[2026] == 562_500


def test_report_without_output_is_a_swedish_error():
    result = run("report", "--budget", str(SEED))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_afford_json_gives_the_room_for_new_activity_to_the_krona(tmp_path):
    result = run("afford", "--floor", "1000000", "--years", "2025-2026", "--json", db=tmp_path / "b.duckdb")
    assert result.returncode == 0, result.stderr
    # equity 2026 = 1 362 650 − 2a ≥ 1 000 000 → a = 181 325; 2026 binds
    assert json.loads(result.stdout) == {"amount_per_year": 181325, "years": [2025, 2026], "binding_year": 2026}


def test_afford_with_a_bad_floor_is_a_swedish_error(tmp_path):
    result = run("afford", "--floor", "mycket", db=tmp_path / "b.duckdb")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_set_password_backup_and_restore_from_the_command_line(tmp_path):
    db = tmp_path / "b.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "core", "set-password", "--stdin", "--db", str(db)],
        cwd=REPO,
        input="ett tillräckligt långt lösenord\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert run("backup", str(tmp_path / "kopia.duckdb"), db=db).returncode == 0
    assert run("import", str(SEED), db=db).returncode == 0  # version 2
    result = run("restore", str(tmp_path / "kopia.duckdb"), db=db)
    assert result.returncode == 0, result.stderr
    from core import store

    con = store.connect(db)
    try:
        assert len(store.list_versions(con)) == 1 and store.get_editor_password(con) is not None
    finally:
        con.close()
    bad = run("restore", str(SEED), db=db)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_short_password_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "core", "set-password", "--stdin"],
        cwd=REPO,
        input="kort\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "minst 12 tecken" in result.stderr
