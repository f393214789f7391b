"""Same scenario and seed ⇒ identical numbers on every backend and worker count."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from brobygger.cli import app
from brobygger.errors import BrobyggerError
from brobygger.model import compile_scenario
from brobygger.scenario.load import apply_change, parse_scenario, read_raw, resolve_path
from brobygger.simulation.run import simulate

runner = CliRunner()


def simulate_json(*extra: str) -> dict:
    result = runner.invoke(app, ["simulate", "--draws", "40", "--seed", "7", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_local_with_one_and_two_workers_and_dask_with_two_give_identical_json():
    one = simulate_json("--workers", "1")
    two = simulate_json("--workers", "2")
    dask = simulate_json("--backend", "dask", "--workers", "2")
    assert one == two
    assert one == dask


def test_the_chunking_does_not_change_any_draw():
    compiled = compile_scenario(parse_scenario(read_raw(resolve_path("default"))))
    a = simulate(compiled, 30, seed=3, workers=1, chunk_size=30).summaries
    b = simulate(compiled, 30, seed=3, workers=2, chunk_size=7).summaries
    np.testing.assert_array_equal(a.net, b.net)
    np.testing.assert_array_equal(a.flows, b.flows)


def test_another_seed_gives_other_draws():
    compiled = compile_scenario(parse_scenario(read_raw(resolve_path("default"))))
    a = simulate(compiled, 5, seed=3, workers=1).summaries
    b = simulate(compiled, 5, seed=4, workers=1).summaries
    assert not np.array_equal(a.net, b.net)


def test_two_scenarios_share_their_participants_draws():
    """Common random numbers: a price change moves payments only, never the savings."""
    base = read_raw(resolve_path("default"))
    dearer = read_raw(resolve_path("default"))
    apply_change(dearer, "contract.outcomes.job_start.price", 25000)
    runs = [simulate(compile_scenario(parse_scenario(d)), 20, seed=9, workers=1).summaries
            for d in (base, dearer)]
    np.testing.assert_array_equal(runs[0].savings, runs[1].savings)
    np.testing.assert_array_equal(runs[0].indicators, runs[1].indicators)
    # never less (up to float round-off where the per-contract cap binds in both)
    assert np.all(runs[1].payments_made[:, 0] - runs[0].payments_made[:, 0] >= -1e-6)
    assert runs[1].payments_made[:, 0].sum() > runs[0].payments_made[:, 0].sum()


@pytest.mark.parametrize(("args", "message"), [
    # (in the command line's language, Danish by default)
    (["--draws", "0"], "--draws: 0: antallet af træk skal være positivt"),
    (["--draws", "10", "--workers", "0"], "antallet af arbejdsprocesser (workers) skal være"),
    (["--draws", "10", "--backend", "dask", "--scheduler", "tcp://127.0.0.1:9"],
     "kan ikke nå Dask-scheduleren"),
    (["--draws", "10", "--backend", "dask", "--scheduler", "http://127.0.0.1:9"],
     "kan ikke nå Dask-scheduleren: unknown address scheme 'http'"),
    (["--draws", "10", "--seed", str(2**64)], "startværdien (seed) skal være fra 0 til"),
    (["--draws", "10", "--out", "no/such/folder/draws.csv"],
     "mappen findes ikke: no/such/folder"),
    (["--draws", "10", "--out", "."], "er en mappe"),
    (["--draws", "10", "--scheduler", "tcp://127.0.0.1:8786"],
     "--scheduler: tcp://127.0.0.1:8786: en scheduler kræver --backend dask"),
    (["--draws", "10", "--backend", "spark"], "--backend: spark: brug 'local' eller 'dask'"),
    (["--draws", "5000000000"], "--draws: 5000000000: 5.000.000.000 træk ville holde omkring"),
    (["--draws", "10", "--out", "draws.xlsx"],
     "--out: draws.xlsx: tabellen pr. træk skrives som CSV: giv et filnavn, der ender på .csv"),
])
def test_bad_requests_are_refused_before_any_work(args, message):
    result = runner.invoke(app, ["simulate", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_every_bad_option_is_listed_at_once():
    result = runner.invoke(app, ["simulate", "--draws", "0", "--workers", "0", "--backend",
                                 "spark", "--out", "x.txt"])
    assert result.exit_code == 2
    said = result.stderr
    assert "4 problem(er)" in said
    for option in ("--draws", "--workers", "--backend", "--out"):
        assert f"  {option}: " in said, option


def test_a_scheduler_without_workers_is_refused_before_any_work(monkeypatch):
    from dask.distributed import LocalCluster

    from brobygger.simulation import dask_backend

    monkeypatch.setattr(dask_backend, "WORKERS_WAIT", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        result = runner.invoke(app, ["simulate", "--draws", "10", "--backend", "dask",
                                     "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 2, result.output
    assert "Dask-scheduleren har ingen workers (ventede 1 s)" in " ".join(
        result.stderr.split())


def test_a_per_draw_table_that_cannot_be_written_is_said_after_the_results(tmp_path,
                                                                             monkeypatch):
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)  # the disk fills as the table is finished
    result = runner.invoke(app, ["simulate", "--draws", "8", "--json", "--out",
                                 str(tmp_path / "draws.csv")])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["draws"] == 8  # the results, all the same
    assert "--out: " in result.stderr and "kan ikke skrive filen: No space left" in result.stderr
    assert list(tmp_path.iterdir()) == []  # neither the table nor a part of it


def test_a_per_draw_table_in_a_read_only_folder_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # (root writes anywhere, but not into /proc)
        if not Path("/proc").is_dir():
            pytest.skip("no folder here that this user cannot write to")
        folder = Path("/proc")
    result = runner.invoke(app, ["simulate", "--draws", "8", "--json", "--out",
                                 str(folder / "draws.csv")])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # refused, not simulated
    assert f"--out: {folder / 'draws.csv'}: kan ikke skrive filen" in result.stderr
    assert list(folder.glob("*draws.csv*")) == []


def test_bad_requests_are_said_in_english_when_asked():
    result = runner.invoke(app, ["simulate", "--draws", "0", "--workers", "0"],
                           env={"BROBYGGER_LANG": "en"})
    assert result.exit_code == 2
    assert "--draws: 0: the number of draws must be positive" in result.stderr
    assert "the number of workers must be positive" in result.stderr


def test_an_impossible_distribution_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("extends: default\npathways:\n  programme:\n    concentration: 0\n")
    result = runner.invoke(app, ["simulate", str(path), "--draws", "5"])
    assert result.exit_code == 2
    assert "pathways.programme.concentration" in result.stderr


def test_simulate_leads_with_the_probability_of_a_gain_and_writes_the_draws(tmp_path):
    out = tmp_path / "draws.csv"
    result = runner.invoke(app, ["simulate", "--draws", "25", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # rich wraps at the terminal's width
    headline = text.index("• Sandsynlighed for gevinst for kommunerne inden for 10 år:")
    assert headline < text.index("Pr. kommune")
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 26
    header = rows[0].split(",")
    assert header[:4] == ["draw", "net_municipality", "net_state", "net_public_total"]
    net = [float(r.split(",")[1]) for r in rows[1:]]
    data = json.loads(runner.invoke(app, ["simulate", "--draws", "25", "--seed", "3",
                                          "--json"]).stdout)
    assert sum(net) / len(net) == pytest.approx(data["net_result"]["municipality"]["mean"],
                                                abs=0.01)


def test_the_break_even_median_counts_draws_that_never_break_even_as_later():
    from brobygger.simulation.summary import break_even_stats

    half = break_even_stats(np.array([10, 0, 0, 20, 0]), horizon=120)
    assert half["p_within_horizon"] == 0.4
    assert half["p50"] is None  # most draws never break even
    most = break_even_stats(np.array([10, 12, 0, 20, 30]), horizon=120)
    assert most["p50"] == 20


DIGEST = """
import hashlib, numpy as np
from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import _outputs, chunk_outputs, run_chunk
inputs = build_inputs(compile_scenario(load_scenario()))
h = hashlib.sha256()
for a in [*chunk_outputs(inputs, 7, 0, 4, True)[:3], *_outputs(run_chunk(inputs, 7, 0, 4, True))]:
    h.update(np.ascontiguousarray(a).tobytes())
print(h.hexdigest())
"""


def test_a_worker_with_another_cpu_gives_the_same_bits(tmp_path):
    """The kernels compiled for a generic x86-64 CPU (no vector extensions beyond SSE2)
    give the same bits as for this machine's: the vectorised sums are exact (whole øre),
    so a cluster of mixed machines agrees."""
    import os
    import platform
    import subprocess
    import sys

    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the generic CPU named here is x86-64's")

    def digest(**env: str) -> str:
        run = subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True,
                             env={**os.environ, **env}, check=True)
        return run.stdout.strip()

    native = digest()
    generic = digest(NUMBA_CPU_NAME="generic", NUMBA_CACHE_DIR=str(tmp_path / "generic"))
    assert len(native) == 64 and native == generic


def test_a_run_whose_results_would_not_fit_in_memory_is_refused_naming_the_most():
    from brobygger.scenario.load import load_scenario
    from brobygger.simulation.inputs import inputs_for
    from brobygger.simulation.run import COPIES, _summaries, check_memory

    one = _summaries(inputs_for(compile_scenario(load_scenario())), 1, False)
    per_draw = sum(a.nbytes for a in vars(one).values())
    memory = 1_000 * COPIES * per_draw
    check_memory(1_000, one, memory)  # just fits
    with pytest.raises(BrobyggerError) as err:
        check_memory(1_001, one, memory)
    [problem] = err.value.problems
    assert (problem.source, problem.kind) == ("--draws", "draws_memory")
    assert dict(problem.context)["most"] == 1_000


def test_a_draw_never_in_deficit_is_counted_apart():
    from brobygger.simulation.summary import break_even_stats

    stats = break_even_stats(np.array([1, 1, 1, 30, 0]), horizon=120)
    assert stats["p_never_in_deficit"] == 0.6 and stats["p_within_horizon"] == 0.8
    assert stats["p50"] == 1  # most draws: nothing to break even


def test_a_scenario_without_referrals_is_simulated():
    """No participant at all (every intake 0): the accelerator's enterprises are still
    drawn, and the citizens' indicators are 0 in every draw, as ``expect`` has them."""
    from brobygger.economics.business_case import expect
    from brobygger.simulation.run import INDICATORS

    data = read_raw(resolve_path("default"))
    for municipality in data["municipalities"]:
        municipality["intake"]["total"] = 0
    compiled = compile_scenario(parse_scenario(data))
    sim = simulate(compiled, 6, seed=1, workers=2)
    assert sim.inputs.participants.n == 0
    started = sim.summaries.indicators[:, INDICATORS.index("3B.1")]
    assert started.tolist() == [0] * 6
    assert sim.summaries.indicators[:, INDICATORS.index("places")].sum() > 0
    assert expect(compiled).total("state").net.sum() == 0
    np.testing.assert_array_equal(sim.summaries.net[:, 1], 0)  # (the state's)
