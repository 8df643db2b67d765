"""The worker process: calls by name, errors raised again, always reaped; pairs read in one."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from sphinxext.releasediff import archive, command, workers
from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.cli import main
from sphinxext.releasediff.errors import ArchiveError, LimitError
from sphinxext.releasediff.model import Archive, FileChange, Notable
from sphinxext.releasediff.notable import exec_notables
from sphinxext.releasediff.resolve._shared import HttpStatusError
from sphinxext.releasediff.workers import Worker, WorkerError, WorkerStartError

from .archives import make_sdist
from .test_cli import make_pair


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Every worker process started during the test (pairs are read in one, however small)."""
    processes: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        processes.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    monkeypatch.setenv("RELEASEDIFF_WORKERS", "1")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    yield processes
    assert all(process.returncode is not None for process in processes), "a worker not reaped"


def test_call_by_name_and_errors_raised_again(started: list[subprocess.Popen[bytes]]) -> None:
    with Worker() as worker:
        assert worker.call("math:factorial", 5) == 120
        with pytest.raises(ZeroDivisionError):
            worker.call("operator:truediv", 1, 0)
        assert worker.call("operator:add", "still ", "answering") == "still answering"
    assert len(started) == 1


def test_a_worker_keeps_state_between_calls(
    tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    old, new = make_pair(tmp_path)
    with Worker() as worker:
        archive.read_pair_with(worker, old, new)
        held = worker.call("sphinxext.releasediff.archive:held_old_archive")
    assert held.facts.path == str(old)
    assert {m.path for m in held.members if held.content(m) is not None} >= {"pkg/core.py"}


def test_printing_in_the_worker_does_not_break_the_answers(
    started: list[subprocess.Popen[bytes]],
) -> None:
    with Worker() as worker:
        assert worker.call("builtins:print", "noise") is None
        assert worker.call("os:write", 1, b"more noise\n") == len(b"more noise\n")
        assert worker.call("math:sqrt", 16.0) == 4.0


@pytest.mark.parametrize(
    ("function", "args", "status"),
    [("os:_exit", (3,), "exit status 3"), ("os:abort", (), "killed by signal 6")],
)
def test_a_worker_that_dies_is_a_one_line_error(
    started: list[subprocess.Popen[bytes]], function: str, args: tuple[object, ...], status: str
) -> None:
    with Worker() as worker, pytest.raises(WorkerError) as info:
        worker.call(function, *args)
    assert str(info.value) == f"the worker process stopped before it answered ({status})"


def test_a_worker_killed_while_busy(started: list[subprocess.Popen[bytes]]) -> None:
    with Worker() as worker:
        worker.submit("time:sleep", 60)
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(WorkerError, match=r"\(killed by signal 9\)$"):
            worker.result()


def test_a_busy_worker_is_stopped_when_the_caller_fails(
    started: list[subprocess.Popen[bytes]],
) -> None:
    def fail_while_the_worker_sleeps() -> None:
        with Worker() as worker:
            worker.submit("time:sleep", 60)
            raise KeyError("the caller's own error")

    with pytest.raises(KeyError):
        fail_while_the_worker_sleeps()
    assert started[0].returncode == -signal.SIGKILL


@pytest.mark.parametrize("ended_first", [False, True])
def test_a_program_that_is_not_a_worker(
    monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]], ended_first: bool
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/true")
    with Worker() as worker:
        if ended_first:  # the call then meets a broken pipe
            os.waitid(os.P_PID, worker.pid, os.WEXITED | os.WNOWAIT)
        with pytest.raises(WorkerStartError, match="did not start"):
            worker.call("math:factorial", 5)


def test_release_diff_errors_survive_pickling() -> None:
    for error in (
        ArchiveError("a.tar.gz", "corrupt"),
        LimitError("b.zip", "too big"),
        HttpStatusError("https://example.invalid/x", 404, "Not Found"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), str(copy), copy.__dict__) == (type(error), str(error), error.__dict__)


def _json_report(old: Path, new: Path, output: Path) -> bytes:
    code = main([str(old), str(new), "--format", "json", "--output", str(output)])
    assert code in (0, 1)
    return output.read_bytes()


def test_the_same_report_with_and_without_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    old, new = make_pair(tmp_path)
    with_worker = _json_report(old, new, tmp_path / "with.json")
    assert len(started) == 2, "one worker read OLD and loaded its API, one loaded NEW's"
    monkeypatch.setenv("RELEASEDIFF_WORKERS", "0")
    without = _json_report(old, new, tmp_path / "without.json")
    assert len(started) == 2
    assert with_worker == without
    assert json.loads(with_worker)["summary"]["modified"] >= 1
    assert json.loads(with_worker)["api"], "the API step ran in the worker"


@pytest.mark.parametrize("which", ["old", "new"])
@pytest.mark.parametrize("at_call", [0, 1, 2, "finish", "entries"])
def test_the_api_is_compared_here_when_a_worker_stops(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    which: str,
    at_call: int | str,
) -> None:
    """Killed as it is asked to hold its side, at its first step, its second, or as it is
    asked to finish or for its entries (steps the comparison's thread takes)."""
    from sphinxext.releasediff import api_worker

    old, new = make_pair(tmp_path)
    expected = _json_report(old, new, tmp_path / "with.json")
    real_submit = Worker.submit
    roles: dict[int, str] = {}
    calls: dict[int, int] = {}
    killed: list[int] = []

    def submit_then_die(self: Worker, function: str, *args: object) -> None:
        real_submit(self, function, *args)
        if function.endswith(":_hold_old_side"):
            roles[self.pid] = "old"
        elif function.endswith(":_hold_side"):
            roles[self.pid] = "new"
        elif not function.startswith(api_worker.__name__):
            return
        count = calls[self.pid] = calls.get(self.pid, -1) + 1
        step = args[0] if function.endswith(":_side_step") else None
        if roles[self.pid] == which and at_call in (count, step):
            os.kill(self.pid, signal.SIGKILL)
            killed.append(self.pid)

    monkeypatch.setattr(Worker, "submit", submit_then_die)
    assert _json_report(old, new, tmp_path / "after.json") == expected
    assert len(killed) == 1
    assert len(started) == 4


@pytest.mark.parametrize("entry", ["cli", "command"])
def test_the_api_runs_in_two_workers_and_never_here(tmp_path: Path, entry: str) -> None:
    """griffe is imported only in the workers: not in the process that coordinates them."""
    old, new = make_pair(tmp_path)
    program = (
        "import sys\n"
        f"from sphinxext.releasediff.{entry} import main\n"
        f"code = main([{str(old)!r}, {str(new)!r}, '--format', 'json', '--output', 'out.json'])\n"
        "assert code in (0, 1), code\n"
        "print('griffe' in sys.modules)\n"
    )
    environment = {**os.environ, "RELEASEDIFF_WORKERS": "1"}
    command = [sys.executable, "-c", program]
    run = subprocess.run(command, check=False, cwd=tmp_path, env=environment, capture_output=True)
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == b"False\n"
    assert json.loads((tmp_path / "out.json").read_bytes())["api"]


def _broken(path: Path) -> Path:
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(40))
    return path


@pytest.mark.parametrize("broken", ["old", "new", "both"])
@pytest.mark.parametrize("setting", ["1", "0"])
def test_errors_are_the_same_with_and_without_a_worker(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    broken: str,
    setting: str,
) -> None:
    monkeypatch.setenv("RELEASEDIFF_WORKERS", setting)
    old, new = make_pair(tmp_path)
    if broken in ("old", "both"):
        old = _broken(tmp_path / "demo-1.0.tar.gz")
    if broken in ("new", "both"):
        new = _broken(tmp_path / "demo-1.1.tar.gz")
    with pytest.raises(ArchiveError) as info:
        read_pair(old, new)
    shown = old if broken != "new" else new
    assert str(info.value).startswith(f"{shown}: corrupt tar.gz archive")
    assert len(started) == (1 if setting == "1" else 0)


def test_a_missing_old_archive_is_reported_from_the_worker(
    tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    _old, new = make_pair(tmp_path)
    with pytest.raises(ArchiveError) as info:
        read_pair(tmp_path / "gone.tar.gz", new)
    assert str(info.value) == f"{tmp_path / 'gone.tar.gz'}: no such file"
    assert len(started) == 1


def test_a_worker_dying_while_reading_names_the_old_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    old, new = make_pair(tmp_path)
    monkeypatch.setattr(archive, "_READ_OLD_CALL", f"{__name__}:{exit_three.__name__}")
    with pytest.raises(ArchiveError) as info:
        read_pair(old, new)
    assert str(info.value) == (
        f"{old}: not read: the worker process stopped before it answered (exit status 3)"
    )


def exit_three(source: str, limits: object) -> None:
    """Called in the worker (which imports this module) in place of reading OLD, or of
    the exec check."""
    os._exit(3)


def test_no_worker_when_it_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    old, new = make_pair(tmp_path)
    expected = read_pair(old, new)
    for executable in ("/nonexistent/python", "/bin/true", "", None):
        monkeypatch.setattr(sys, "executable", executable)
        assert read_pair(old, new) == expected


@pytest.mark.parametrize(
    ("setting", "cpus", "size", "workers_started"),
    [
        (None, 2, 5 << 20, 1),  # large enough to pay
        (None, 2, 1000, 0),  # small: read here
        ("0", 2, 5 << 20, 0),
        (None, 1, 5 << 20, 0),
        ("1", 1, 1000, 0),  # one CPU: never
        ("1", 2, 1000, 1),
    ],
)
def test_when_a_worker_is_used(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    setting: str | None,
    cpus: int,
    size: int,
    workers_started: int,
) -> None:
    if setting is None:
        monkeypatch.delenv("RELEASEDIFF_WORKERS")
    else:
        monkeypatch.setenv("RELEASEDIFF_WORKERS", setting)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    old = make_sdist(tmp_path, "demo", "1.0", {"blob.bin": os.urandom(size // 2)})
    new = make_sdist(tmp_path, "demo", "1.1", {"blob.bin": os.urandom(size // 2)})
    read_pair(old, new)
    assert len(started) == workers_started


def test_serve_answers_until_the_pipe_closes() -> None:
    requests = io.BytesIO(pickle.dumps(("math:factorial", (4,))) + pickle.dumps(("math:nope", ())))
    replies = io.BytesIO()
    workers.serve(requests, replies)
    replies.seek(len(b"releasediff-worker 1\n"))
    assert pickle.load(replies) == (True, 24)
    succeeded, error = pickle.load(replies)
    assert (succeeded, type(error)) == (False, AttributeError)


def test_members_survive_pickling_field_for_field(tmp_path: Path) -> None:
    old, new = make_pair(tmp_path)
    for archived in read_pair(old, new):
        assert pickle.loads(pickle.dumps(archived.members)) == archived.members
    from sphinxext.releasediff.model import Member, MemberKind

    odd = Member("n", "p", MemberKind.SYMLINK, None, None, None, "u", "g", 0, None, "t", "", "nan")
    assert pickle.loads(pickle.dumps(odd)) == odd


@pytest.mark.parametrize("value", ["2", "yes", "on", "-1"])
def test_a_setting_that_means_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("RELEASEDIFF_WORKERS", value)
    old, new = make_pair(tmp_path)
    assert main([str(old), str(new)]) == 2
    assert capsys.readouterr().err == (
        f"release-diff: RELEASEDIFF_WORKERS: {value!r} is not 0 (no workers)"
        " or 1 (always workers)\n"
    )


def test_new_s_side_is_loaded_here_when_its_worker_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    from sphinxext.releasediff import api_worker

    old, new = make_pair(tmp_path)
    expected = _json_report(old, new, tmp_path / "with.json")

    class NoWorker:
        def __init__(self) -> None:
            raise WorkerStartError("cannot start a worker process (test)")

    monkeypatch.setattr(api_worker, "Worker", NoWorker)
    assert _json_report(old, new, tmp_path / "after.json") == expected
    assert len(started) == 3, "two for the first report, the reading one for the second"


def test_a_large_call_is_written_aside_and_calls_keep_their_order(
    started: list[subprocess.Popen[bytes]],
) -> None:
    big = "x" * (1 << 20)  # more than a pipe holds: written by a thread
    with Worker() as worker:
        worker.submit("time:sleep", 0.5)
        worker.submit("builtins:len", big)  # returns while the worker still sleeps
        worker.submit("operator:add", "in ", "order")
        assert worker.result() is None
        assert worker.result() == len(big)
        assert worker.result() == "in order"


def test_a_large_call_to_a_worker_that_died_is_an_error(
    started: list[subprocess.Popen[bytes]],
) -> None:
    with Worker() as worker:
        assert worker.call("math:factorial", 3) == 6
        os.kill(worker.pid, signal.SIGKILL)
        worker.submit("builtins:len", "x" * (1 << 20))
        with pytest.raises(WorkerError, match="killed by signal 9"):
            worker.result()


def _imported(module: str) -> bool:
    """Called in a worker: whether it has imported ``module``."""
    return module in sys.modules


def test_a_call_behind_a_large_one_does_not_wait_for_it(
    started: list[subprocess.Popen[bytes]],
) -> None:
    with Worker() as worker:
        worker.submit("time:sleep", 2)
        worker.submit("builtins:len", "x" * (1 << 20))  # cannot be written while it sleeps
        worker.submit("operator:add", "not ", "blocked")
        assert worker.busy
        assert worker._writer is not None
        assert worker._writer.is_alive()
        assert [worker.result() for _ in range(3)] == [None, 1 << 20, "not blocked"]


def test_workers_started_ahead_are_taken_once_and_the_others_stopped(
    started: list[subprocess.Popen[bytes]],
) -> None:
    workers.prestart({"first": ("colorsys", __name__), "second": ()})
    first = workers.take_spare("first")
    assert first is not None
    assert workers.take_spare("first") is None
    with first:
        assert first.call(f"{__name__}:_imported", "colorsys") is True
        assert first.call(f"{__name__}:_imported", "wave") is False
    workers.close_spares()
    assert workers.take_spare("second") is None
    assert len(started) == 2


@pytest.mark.parametrize(
    ("extra", "purposes"),
    [
        ([], {workers.READER, workers.API_SIDE}),
        (["--show", "summary,files"], {workers.READER}),
        (["--show=summary,api"], {workers.READER, workers.API_SIDE}),
        (["--format=patch"], {workers.READER}),
    ],
)
def test_the_command_starts_the_workers_it_takes_before_its_imports(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    extra: list[str],
    purposes: set[str],
) -> None:
    old, new = make_pair(tmp_path)
    asked: list[set[str]] = []
    real_prestart = workers.prestart

    def recording_prestart(wanted: dict[str, tuple[str, ...]]) -> None:
        asked.append(set(wanted))
        real_prestart(wanted)

    monkeypatch.setattr(command, "prestart", recording_prestart)
    arguments = [str(old), str(new), *extra]
    if not any(argument.startswith("--format") for argument in extra):
        arguments += ["--format", "json"]
    code = command.main([*arguments, "--output", str(tmp_path / "ahead.json")])
    assert code == 1
    assert asked == [purposes]
    assert len(started) == 2 if workers.API_SIDE in purposes else 1, "no worker besides those"
    assert not workers._SPARES
    monkeypatch.setenv("RELEASEDIFF_WORKERS", "0")
    assert main([*arguments, "--output", str(tmp_path / "alone.json")]) == 1
    assert (tmp_path / "ahead.json").read_bytes() == (tmp_path / "alone.json").read_bytes()


@pytest.mark.parametrize(
    ("setting", "arguments"),
    [
        ("1", ["1.0", "1.1", "--package", "demo"]),  # versions: nothing to guess from
        (None, ["OLD", "NEW"]),  # archives smaller than a worker pays for
        ("0", ["OLD", "NEW"]),
        ("many", ["OLD", "NEW"]),  # the command says it is wrong, once
    ],
)
def test_the_command_starts_no_worker_ahead_when_none_pays(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    setting: str | None,
    arguments: list[str],
) -> None:
    old, new = make_pair(tmp_path)
    if setting is None:
        monkeypatch.delenv("RELEASEDIFF_WORKERS")
    else:
        monkeypatch.setenv("RELEASEDIFF_WORKERS", setting)
    paths = {"OLD": str(old), "NEW": str(new)}
    command._prestart_for([paths.get(argument, argument) for argument in arguments])
    assert not workers._SPARES
    assert not started


@pytest.mark.parametrize(
    ("raised", "outcome"),
    [(ValueError("a bug"), "raised"), (WorkerError("stopped"), "here")],
)
def test_the_api_thread_s_errors_reach_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: Exception, outcome: str
) -> None:
    """An error in the comparison's later steps (run in a thread) is raised again by
    ``result()``; a worker that stopped there means the comparison is done here instead."""
    from sphinxext.releasediff import api_worker

    class Failing:
        def result(self) -> object:
            raise raised

    old, new = (archive.read_archive(path) for path in make_pair(tmp_path))
    monkeypatch.setattr(api_worker.ApiStep, "_start", lambda self, worker, o, n: Failing())
    monkeypatch.setattr(api_worker, "compare_api", lambda *a, **k: ((), ("compared here",)))
    with Worker() as worker, contextlib.closing(api_worker.ApiStep(worker, old, new)) as step:
        if outcome == "raised":
            with pytest.raises(ValueError, match="a bug"):
                step.result()
        else:
            assert step.result() == ((), ("compared here",))


def test_a_worker_runs_without_the_cyclic_collector(started: list[subprocess.Popen[bytes]]) -> None:
    """What its calls build lives until it ends: no collector pass walks it."""
    with Worker() as worker:
        assert worker.call("gc:isenabled") is False


def test_serve_stops_quietly_when_the_parent_has_gone() -> None:
    class Gone(io.BytesIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            raise BrokenPipeError(32, "Broken pipe")

    requests = io.BytesIO(pickle.dumps(("math:factorial", (4,))))
    workers.serve(requests, Gone())  # returns: no traceback on the worker's stderr


def test_ctrl_c_reaches_the_parent_only(started: list[subprocess.Popen[bytes]]) -> None:
    """A worker has a process group of its own: a terminal's Ctrl-C interrupts the command,
    which stops its workers; none prints a traceback of its own."""
    with Worker() as worker:
        assert os.getpgid(worker.pid) == worker.pid != os.getpgid(0)
        assert worker.call("math:factorial", 3) == 6


def test_an_interrupt_before_the_command_runs_is_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(arguments: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "_prestart_for", interrupted)
    assert command.main(["a.tar.gz", "b.tar.gz"]) == 130
    assert capsys.readouterr().err == ""


def test_a_worker_past_its_memory_cap_stops_itself(
    monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    """SQLAlchemy 2.0.36 once grew an API worker to 12 GB: past its cap a worker stops
    itself, and says why in one line."""
    monkeypatch.setenv("RELEASEDIFF_WORKER_MIB", "300")
    grow = "held = b'x' * (600 << 20)\nimport time\ntime.sleep(30)"
    with Worker() as worker, pytest.raises(workers.WorkerMemoryError) as info:
        worker.call("builtins:exec", grow, {})
    assert str(info.value) == "a worker process grew past 300 MiB"
    assert workers.memory_cap() == 300 << 20


def test_memory_cap_is_half_the_machine_at_most_8_gib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELEASEDIFF_WORKER_MIB", raising=False)
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert workers.memory_cap() == min(8 << 30, physical // 2)


def test_an_api_worker_past_its_cap_is_a_note_not_a_second_try_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    from sphinxext.releasediff import api_worker

    def too_big(self: object) -> None:
        raise workers.WorkerMemoryError("a worker process grew past 300 MiB")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the API was compared again in this process")

    from sphinxext.releasediff.api import ApiComparison

    monkeypatch.setattr(ApiComparison, "result", too_big)
    monkeypatch.setattr(api_worker, "compare_api", never)
    old_path, new_path = make_pair(tmp_path)
    old, new = read_pair(old_path, new_path)
    with Worker() as worker:
        worker.call("sphinxext.releasediff.archive:_read_old_here", str(old_path), None)
        step = api_worker.ApiStep(worker, old, new)
        try:
            assert step.result() == ((), ("API not compared: a worker process grew past 300 MiB",))
        finally:
            step.close()


_NO_API = "summary,notable,artifacts,metadata,files,diffs"


def _exec_pair(folder: Path) -> tuple[Path, Path]:
    """A release that adds calls which run commands: one in a changed module, one in a new
    one, one in a renamed one (which is new when the rename is not found)."""
    body = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(12))
    old = {
        "pkg/core.py": "import os\n\n" + body,
        "pkg/moved.py": "import subprocess\n\n" + body + "def g():\n    subprocess.call('x')\n",
        "docs/notes.txt": "notes\n",
    }
    new = {
        "pkg/core.py": "import os\n\n" + body + "def run(cmd):\n    os.system(cmd)\n",
        "pkg/added.py": "import subprocess\nsubprocess.run(['make'])\n",
        "pkg/renamed.py": (
            "import subprocess\n\n" + body + "def g():\n    subprocess.call('x')\n"
            "def h():\n    subprocess.check_call('y')\n"
        ),
        "docs/notes.txt": "notes, changed\n",
    }
    (folder / "old").mkdir()
    (folder / "new").mkdir()
    return (
        make_sdist(folder / "old", "demo", "1.0", old),
        make_sdist(folder / "new", "demo", "1.1", new),
    )


def _exec_report(old: Path, new: Path, output: Path, *options: str) -> bytes:
    arguments = [str(old), str(new), "--format", "json", "--show", _NO_API, *options]
    assert main([*arguments, "-o", str(output)]) == 1
    return output.read_bytes()


def test_without_the_api_the_exec_check_runs_in_the_worker_that_read_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    from sphinxext.releasediff import exec_worker

    old, new = _exec_pair(tmp_path)

    def not_here(*args: object) -> tuple[()]:
        raise AssertionError("the exec check ran in the process that compares the files")

    with monkeypatch.context() as patched:
        patched.setattr(exec_worker, "exec_notables", not_here)
        with_worker = _exec_report(old, new, tmp_path / "with.json")
    assert len(started) == 1
    monkeypatch.setenv("RELEASEDIFF_WORKERS", "0")
    assert _exec_report(old, new, tmp_path / "without.json") == with_worker
    found = [(n["path"], n["detail"]) for n in json.loads(with_worker)["notable"]]
    assert [entry for entry in found if entry[0].startswith("pkg/")] == [
        ("pkg/added.py", "subprocess.run() runs a command (line 2)"),
        ("pkg/core.py", "os.system() runs a command (line 40)"),
        ("pkg/renamed.py", "subprocess.check_call() runs a command (line 42)"),
    ]


def test_the_exec_check_runs_here_when_its_worker_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]
) -> None:
    from sphinxext.releasediff import exec_worker

    old, new = _exec_pair(tmp_path)
    expected = _exec_report(old, new, tmp_path / "expected.json")
    # The worker answers in order: it sends OLD back, then stops as it is asked for the
    # check (killed at the submit instead, OLD's answer could be lost, and OLD not read).
    monkeypatch.setattr(exec_worker, "_CHECK_CALL", f"{__name__}:{exit_three.__name__}")
    checked_here: list[Archive] = []

    def counted(old: Archive, new: Archive, files: Sequence[FileChange]) -> Sequence[Notable]:
        checked_here.append(new)
        return exec_notables(old, new, files)

    monkeypatch.setattr(exec_worker, "exec_notables", counted)
    assert _exec_report(old, new, tmp_path / "after.json") == expected
    assert len(checked_here) == 1
    assert [process.returncode for process in started[1:]] == [3]


@pytest.mark.parametrize(
    "options", [("--exclude", "pkg/core.py"), ("--include", "pkg/re*"), ("--rename-threshold", "1")]
)
def test_the_worker_s_exec_check_pairs_the_files_as_the_comparison_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
    options: tuple[str, ...],
) -> None:
    old, new = _exec_pair(tmp_path)
    with_worker = _exec_report(old, new, tmp_path / "with.json", *options)
    assert len(started) == 1
    monkeypatch.setenv("RELEASEDIFF_WORKERS", "0")
    assert _exec_report(old, new, tmp_path / "without.json", *options) == with_worker


def test_an_answer_is_read_while_a_later_large_call_is_still_being_written(
    started: list[subprocess.Popen[bytes]],
) -> None:
    """The worker writes a large answer while the call after it, larger than a pipe holds,
    waits to be read: result() must read the answer, not wait for that call."""
    answers: list[object] = []
    with Worker() as worker:
        worker.submit("os:urandom", 4 << 20)
        worker.submit("builtins:len", b"x" * (4 << 20))
        reader = threading.Thread(target=lambda: answers.append(worker.result()))
        reader.start()
        reader.join(30)
        if reader.is_alive():
            worker.close(kill=True)
            reader.join()
            pytest.fail("result() waited for the call behind it: a deadlock")
        assert worker.result() == 4 << 20
    assert len(answers[0]) == 4 << 20  # type: ignore[arg-type]
