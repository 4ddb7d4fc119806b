"""Mutation testing of the rules that must not drift (`make mutate`): cosmic-ray mutates each module in a
copy of the committed tree (never the working tree) and runs the tests that guard it; a mutant that
passes them "survives". Prints a table (module, mutants, killed, survived, score) and every survivor.

    .venv/bin/python tools/mutate.py                 # every target
    .venv/bin/python tools/mutate.py calendar access # some of them
    .venv/bin/python tools/mutate.py --again planner # only the last run's survivors, after adding tests
    .venv/bin/python tools/mutate.py --report planner # the last run scored again (after naming equivalents)

Targets: the access rules, every workflow table, the working-day calendar, the staff-list planner and
the numbering service. Mutants known to be equivalent (the code means the same either way) are listed
in EQUIVALENT with the reason, and left out of the score."""

import json
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = '-m pytest -x -q -p no:cacheprovider -m "not browser and not faults"'
TARGETS = {
    "access": ("thongsuot/accounts/access.py", ["tests/test_access.py", "tests/test_feedback_services.py"]),
    "feedback_states": (
        "thongsuot/feedback/states.py",
        [
            "tests/test_feedback_states.py",
            "tests/test_feedback_services.py",
            "tests/test_feedback_workflow_contract.py",
        ],
    ),
    "procedures_states": (
        "thongsuot/procedures/states.py",
        ["tests/test_procedures_workflow_contract.py"],
    ),
    "documents_states": (
        "thongsuot/documents/states.py",
        ["tests/test_documents_workflow_contract.py"],
    ),
    "conferences_states": (
        "thongsuot/conferences/states.py",
        ["tests/test_conferences_meetings.py", "tests/test_conferences_states.py"],
    ),
    "calendar": ("thongsuot/core/calendar.py", ["tests/test_calendar.py"]),
    "planner": (
        "thongsuot/accounts/provisioning/planning.py",
        ["tests/test_provisioning_planning.py", "tests/test_provisioning.py"],
    ),
    "numbering": ("thongsuot/core/numbering.py", ["tests/test_core_numbering.py"]),
}
# Operators left out: a number swapped for a bit shift, a power or a matrix product, or `==` for `is`,
# makes code that cannot run or that says the same on these types; they measure nothing about the rules.
EXCLUDED_OPERATORS = [
    r"core/ReplaceBinaryOperator_.*_(BitAnd|BitOr|BitXor|LShift|RShift|Pow|MatMult|FloorDiv|Mod|Div)$",
    r"core/ReplaceComparisonOperator_.*_(Is|IsNot)$",
]
# Mutants that cannot change behaviour: (module, text of the mutated line, operator pattern, why).
WIDER_LOOK_AHEAD = "widening the look-ahead on every day instead of past its end reads more exceptions, same result"
LOOK_AHEAD_SIZE = (
    "how far ahead the exceptions are read at once: any size gives the same days, the loop reads on past it"
)
CACHE_ONLY = "a cache in front of a pure function: its size, or having none, changes speed only"
EQUIVALENT: list[tuple[str, str, str, str]] = [
    ("thongsuot/core/calendar.py", "if day > horizon:", r"(Gt_(IsNot|NotEq|Eq|Lt|GtE|LtE)|AddNot)$", WIDER_LOOK_AHEAD),
    (
        "thongsuot/core/calendar.py",
        "horizon = ",
        r"(NumberReplacer|ReplaceBinaryOperator_(Mul_(Add|Sub)|Add_Mul))$",
        LOOK_AHEAD_SIZE,
    ),
    ("thongsuot/core/calendar.py", "@lru_cache(maxsize=64)", r"(NumberReplacer|RemoveDecorator)$", CACHE_ONLY),
    ("thongsuot/core/calendar.py", "@local_cache(max_entries=4096)", r"NumberReplacer$", CACHE_ONLY),
    (
        "thongsuot/core/calendar.py",
        'if language == "vi":',
        r"Eq_(GtE|LtE)$",
        "holiday_name passes only 'vi' or 'en' (it maps every other language to 'en'), and 'en' < 'vi'",
    ),
    (
        "thongsuot/core/calendar.py",
        'language = (language or translation.get_language() or "vi").split("-")[0]',
        r"NumberReplacer$",
        "index -1 of 'en-us' is 'us', which is not 'vi' either: English all the same (index 1 of 'vi' raises)",
    ),
    (
        "thongsuot/core/calendar.py",
        "if end <= start:",
        r"LtE_(Lt|Eq)$",
        "when end is not after start the loop adds nothing: 0 either way",
    ),
    (
        "thongsuot/core/calendar.py",
        "if days == 0:",
        r"Eq_LtE$",
        "a negative count is refused before (add_working_days)",
    ),
    (
        "thongsuot/core/calendar.py",
        "while day < end:",
        r"Lt_NotEq$",
        "day starts before end and moves one day at a time: it meets end exactly",
    ),
    (
        "thongsuot/accounts/provisioning/planning.py",
        "if user.kind != User.Kind.STAFF:",
        r"NotEq_Lt$",
        "the only other kind, 'citizen', sorts before 'staff'",
    ),
    (
        "thongsuot/accounts/provisioning/planning.py",
        "[start : start + 900]",
        r"NumberReplacer$",
        "a slice one longer than the step overlaps the next batch: one looked up twice (one shorter is killed)",
    ),
    (
        "thongsuot/accounts/provisioning/planning.py",
        "for start in range(0, len(",
        r"NumberReplacer$",
        "a step one shorter than the slice overlaps the batches: some looked up twice (others are killed)",
    ),
    (
        "thongsuot/accounts/provisioning/planning.py",
        'row = PlanRow(line=raw.get("line", 0), action=CREATE)',
        r"NumberReplacer$",
        "every row the staff-list reader gives carries its line: the default is never read",
    ),
    (
        "thongsuot/conferences/states.py",
        "return False",
        r"ReplaceFalseWithTrue$",
        "is_citizen's answer: no conference action is open to citizens, so the table never asks (the other "
        "'return False', an anonymous visitor's, is killed by tests/test_conferences_states.py)",
    ),
    (
        "thongsuot/conferences/states.py",
        'getattr(user, "is_authenticated", False)',
        r"ReplaceFalseWithTrue$",
        "every user object Django hands over (a user or AnonymousUser) has is_authenticated",
    ),
    (
        "thongsuot/core/calendar.py",
        "if upper > lower:",
        r"Gt_GtE$",
        "when upper equals lower the period adds nothing either way",
    ),
    (
        "thongsuot/core/numbering.py",
        "return cursor.fetchone()[0]",
        r"NumberReplacer$",
        "RETURNING gives one column: index -1 is index 0 (index 1 raises, and is killed)",
    ),
    (
        "thongsuot/accounts/access.py",
        'getattr(user, "is_authenticated", False)',
        r"ReplaceFalseWithTrue$",
        "every user object Django hands over (a user or AnonymousUser) has is_authenticated",
    ),
    (
        "thongsuot/accounts/access.py",
        'if system is None or not getattr(user, "is_active", False):',
        r"(ReplaceFalseWithTrue|ReplaceOrWithAnd)$",
        "only called after has_city_wide_change refused inactive users; no system means no system-wide role",
    ),
    (
        "thongsuot/accounts/access.py",
        'org.kind == "city"',
        r"Eq_LtE$",
        "every other kind (commune, department, party) sorts after 'city'",
    ),
    (
        "thongsuot/accounts/access.py",
        'user.kind == "staff"',
        r"Eq_(LtE|GtE)$",
        "with the two kinds, >= is ==; <= also lets a citizen's roles through, but a citizen has no organisation "
        "(a database constraint) and is refused city-wide rights first, so those roles reach nothing",
    ),
    (
        "thongsuot/accounts/access.py",
        'user.kind != "staff"',
        r"NotEq_Lt$",
        "the only other kind, 'citizen', sorts before 'staff'",
    ),
]


def equivalent(work: Path, module: str, line: int, operator: str) -> str | None:
    text = (work / module).read_text().splitlines()[line - 1]
    for path, snippet, pattern, why in EQUIVALENT:
        if path == module and snippet in text and re.search(pattern, operator):
            return why
    return None


def run(target: str, module: str, tests: list[str], *, again: bool = False) -> dict:
    """Mutate `module` and run `tests` against every mutant; with `again`, run only the mutants that survived
    the saved session (after tests were added), provided the module is the one that session mutated."""
    work = Path(tempfile.mkdtemp(prefix=f"mutate-{target}-"))
    saved = ROOT / ".run" / "mutate" / f"{target}.sqlite"
    saved_module = saved.with_suffix(".py")
    try:
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        (work / ".venv").symlink_to(ROOT / ".venv")
        if (ROOT / "node_modules").exists():
            (work / "node_modules").symlink_to(ROOT / "node_modules")
        existing = [t for t in tests if (work / t).exists()]
        if not (work / module).exists() or not existing:
            return {"target": target, "module": module, "skipped": "module or tests not in this tree"}
        env_bin = str(ROOT / ".venv" / "bin")
        env = {
            "THONGSUOT_ENV": "test",
            "PATH": f"{env_bin}:/usr/bin:/bin",
            "TEST_DATABASE_NAME": str(work / "test.sqlite3"),
        }
        # The test database is migrated once into pristine.sqlite3; each mutant's run starts from a copy of it
        # (pytest --reuse-db), which saves the migrations (about 6 s a mutant) and keeps runs independent.
        subprocess.run(
            [f"{env_bin}/python", "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=work, check=True, env={**env, "DATABASE_URL": f"sqlite:///{work / 'pristine.sqlite3'}"},
        )  # fmt: skip
        test_command = (
            f"sh -c 'cp {work / 'pristine.sqlite3'} {work / 'test.sqlite3'} && "
            f"{sys.executable} {PYTEST} --reuse-db {' '.join(existing)}'"
        )
        baseline = subprocess.run(shlex.split(test_command), cwd=work, env=env, capture_output=True, text=True)
        if baseline.returncode != 0:  # a mutant "killed" by tests that fail anyway would measure nothing
            print(baseline.stdout[-3000:], baseline.stderr[-3000:], file=sys.stderr)
            return {"target": target, "module": module, "skipped": "the tests fail without any mutant"}
        config = work / "mutate.toml"
        config.write_text(
            "[cosmic-ray]\n"
            f'module-path = "{module}"\n'
            "timeout = 120.0\n"
            "excluded-modules = []\n"
            f"test-command = {json.dumps(test_command)}\n"
            '[cosmic-ray.distributor]\nname = "local"\n'
            "[cosmic-ray.filters.operators-filter]\n"
            f"exclude-operators = {json.dumps(EXCLUDED_OPERATORS)}\n"
        )
        session = work / "session.sqlite"
        if again:
            if (
                not saved.exists()
                or not saved_module.exists()
                or saved_module.read_text() != (work / module).read_text()
            ):
                return {"target": target, "module": module, "skipped": "no saved session of this module's text"}
            shutil.copyfile(saved, session)
            with sqlite3.connect(session) as db:  # the survivors become pending: exec runs only those
                db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
        else:
            subprocess.run([f"{env_bin}/cosmic-ray", "init", str(config), str(session)], cwd=work, check=True)
            subprocess.run([f"{env_bin}/cr-filter-operators", str(session), str(config)], cwd=work, check=True)
        subprocess.run(
            [f"{env_bin}/cosmic-ray", "exec", str(config), str(session)],
            cwd=work, check=True, env=env,
        )  # fmt: skip
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(session, saved)  # `--report` scores it again after EQUIVALENT changes, `--again` re-runs
        shutil.copyfile(work / module, saved_module)
        return score(target, module, session, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def score(target: str, module: str, session: Path, tree: Path) -> dict:
    """Killed, surviving and equivalent mutants of a cosmic-ray session (`tree` holds the module's text)."""
    env_bin = str(ROOT / ".venv" / "bin")
    dump = subprocess.run(
        [f"{env_bin}/cosmic-ray", "dump", str(session)], capture_output=True, text=True, check=True
    ).stdout
    killed, survivors, equivalents, pending = 0, [], [], 0
    for line in dump.splitlines():
        item, result = json.loads(line)
        if result is None:
            pending += 1  # not run yet (an interrupted session)
            continue
        if result.get("worker_outcome") == "skipped":
            continue
        mutation = item["mutations"][0]
        key = (module, mutation["start_pos"][0], mutation["operator_name"])
        outcome = result.get("test_outcome")
        why = equivalent(tree, *key) if outcome != "killed" else None
        if outcome == "killed" or result.get("worker_outcome") in ("exception", "abnormal"):
            killed += 1
        elif why:
            equivalents.append((*key, why))
        else:
            survivors.append(key)
    total = killed + len(survivors)
    return {
        "target": target,
        "module": module,
        "mutants": total + len(equivalents),
        "killed": killed,
        "survived": survivors,
        "equivalent": equivalents,
        "pending": pending,
        "score": round(100 * killed / total, 1) if total else 100.0,
    }


def main(names: list[str]) -> int:
    if names[:1] == ["--report"]:  # score saved sessions again: tools/mutate.py --report calendar=path.sqlite …
        results = []
        for spec in names[1:]:
            name, _, path = spec.partition("=")
            results.append(
                score(name, TARGETS[name][0], Path(path or ROOT / ".run" / "mutate" / f"{name}.sqlite"), ROOT)
            )
    elif names[:1] == ["--again"]:  # only the survivors of the saved sessions, against the committed tests
        results = [run(name, *TARGETS[name], again=True) for name in names[1:]]
    else:
        results = [run(name, *TARGETS[name]) for name in (names or TARGETS)]
    print("\n| target | module | mutants | killed | equivalent | survived | score |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for r in results:
        if "skipped" in r:
            print(f"| {r['target']} | `{r['module']}` | – | – | – | – | {r['skipped']} |")
            continue
        print(
            f"| {r['target']} | `{r['module']}` | {r['mutants']} | {r['killed']} | {len(r['equivalent'])} |"
            f" {len(r['survived'])} | {r['score']} % |" + (f" ({r['pending']} not run)" if r.get("pending") else "")
        )
    for r in results:
        for module, line, operator in r.get("survived", []):
            print(f"survived: {module}:{line} {operator}")
        for module, line, operator, why in r.get("equivalent", []):
            print(f"equivalent: {module}:{line} {operator}: {why}")
    return 0 if all(r.get("score", 100) >= 90 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
