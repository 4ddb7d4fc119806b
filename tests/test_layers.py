"""The layers of the platform (pyproject.toml, [tool.importlinter]; docs/architecture-layers.md): the
contracts hold, and each one catches the import it forbids."""

import subprocess
import sys
from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases

configuration.configure()  # what the lint-imports command does first

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "pyproject.toml")


def test_lint_imports_keeps_every_contract():
    """What `make lint` (and so CI) runs: a broken contract fails this test."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", CONFIG, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _report_with(monkeypatch, *imports: tuple[str, str]):
    """The contracts checked on the project's real import graph plus `imports` (importer, imported)."""
    build = use_cases._build_graph

    def build_and_add(**kwargs):
        graph = build(**kwargs)
        for importer, imported in imports:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
        return graph

    monkeypatch.setattr(use_cases, "_build_graph", build_and_add)
    monkeypatch.syspath_prepend(str(ROOT))
    options = use_cases.read_user_options(CONFIG)
    use_cases._register_contract_types(options)
    report = use_cases.create_report(options, cache_dir=None)
    return {contract.name: check.kept for contract, check in report.get_contracts_and_checks()}


def _broken(kept: dict[str, bool]) -> list[str]:
    return [name for name, ok in kept.items() if not ok]


def test_the_real_graph_keeps_every_contract(monkeypatch):
    assert all(_report_with(monkeypatch).values())


@pytest.mark.parametrize(
    "importer, imported, contract",
    [
        ("thongsuot.core.services", "thongsuot.accounts.access", "Layers:"),  # core imports no app
        ("thongsuot.directory.address", "thongsuot.accounts.models", "Layers:"),  # directory only core
        ("thongsuot.accounts.access", "thongsuot.feedback.models", "Layers:"),  # accounts names no system
        ("thongsuot.feedback.selectors", "thongsuot.demo.feedback", "Layers:"),  # no app imports the demo
        ("thongsuot.readiness.selectors", "thongsuot.feedback.selectors", "No system imports"),  # a system's internals
        ("thongsuot.feedback.selectors", "thongsuot.feedback.tasks", "No import cycles"),  # a cycle inside feedback
    ],
)
def test_each_contract_catches_what_it_forbids(monkeypatch, importer, imported, contract):
    kept = _report_with(monkeypatch, (importer, imported))
    broken = _broken(kept)
    assert any(name.startswith(contract) for name in broken), kept


def test_a_system_may_use_another_through_its_public_module(monkeypatch):
    """readiness → feedback.public is allowed (when feedback declares one); readiness → feedback.models is not."""
    from importlinter.application import use_cases as uc

    build = uc._build_graph

    def with_public(**kwargs):
        graph = build(**kwargs)
        graph.add_module("thongsuot.feedback.public")
        graph.add_import(
            importer="thongsuot.feedback.public",
            imported="thongsuot.feedback.selectors",
            line_number=1,
            line_contents="",
        )
        graph.add_import(
            importer="thongsuot.readiness.selectors",
            imported="thongsuot.feedback.public",
            line_number=1,
            line_contents="",
        )
        return graph

    monkeypatch.setattr(uc, "_build_graph", with_public)
    monkeypatch.syspath_prepend(str(ROOT))
    report = uc.create_report(uc.read_user_options(CONFIG), cache_dir=None)
    assert all(check.kept for _contract, check in report.get_contracts_and_checks())
