"""Short fuzz profile: generated, mutated and configured inputs never crash, hang or lose results.

The long run is `python scripts/fuzz.py`; both use tests/fuzz (strategies and harness).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator

import pytest
from hypothesis import Phase, given, settings

from tests.fuzz import harness
from tests.fuzz.harness import INTERNAL, KINDS, LOST, OK, PARSE_ERROR, TIMEOUT, Outcome, Runner
from tests.fuzz.mutation import Tree, mutated_tree
from tests.fuzz.strategies import (
    CONFIG_NAME,
    config_trees,
    generated_trees,
    iam_trees,
    mutated_trees,
)

# Generous: a hang guard, not a speed test (the long run uses 10 s).
HANG_GUARD = 30.0
# Shrinking re-runs the input many times; a hang would take minutes to shrink.
NO_SHRINK = settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    with Runner(workers=1, timeout=HANG_GUARD) as pool:
        yield pool


def assert_sound(runner: Runner, tree: Tree) -> None:
    """Neither an internal error nor a timeout nor lost results of the control root."""
    outcome = runner.classify(tree)
    assert outcome.kind in (OK, PARSE_ERROR), f"{outcome.kind}: {outcome.signature}"


@NO_SHRINK
@given(generated_trees)
def test_generated_inputs(runner: Runner, tree: Tree) -> None:
    assert_sound(runner, tree)


@NO_SHRINK
@given(iam_trees)
def test_iam_json_inputs(runner: Runner, tree: Tree) -> None:
    assert_sound(runner, tree)


@NO_SHRINK
@given(mutated_trees)
def test_mutated_examples(runner: Runner, tree: Tree) -> None:
    assert_sound(runner, tree)


@NO_SHRINK
@given(config_trees)
def test_inputs_with_a_config_file(runner: Runner, tree: Tree) -> None:
    assert_sound(runner, tree)


def test_mutation_is_deterministic_from_the_seed() -> None:
    assert mutated_tree(7) == mutated_tree(7)
    assert mutated_tree(7) != mutated_tree(8)


def test_the_harness_tells_the_outcomes_apart(runner: Runner) -> None:
    """The classifier itself: a clean input, a syntax error and a config error."""
    clean = {"main.tf": b'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'}
    assert runner.classify(clean).kind == OK
    assert runner.classify({"main.tf": b"resource {\n"}).kind == PARSE_ERROR
    bad_config = {**clean, CONFIG_NAME: b"fail_on: sometimes\n"}
    assert runner.classify(bad_config).kind == PARSE_ERROR
    assert set(KINDS) == {OK, PARSE_ERROR, INTERNAL, TIMEOUT, LOST}


def _stuck(tree: Tree) -> Outcome:
    """A stand-in for `classify` that blocks on `hang` and spins the CPU on `spin`."""
    if "hang" in tree:
        time.sleep(60)
    while "spin" in tree:
        pass
    return Outcome(OK)


def test_a_hung_or_dead_worker_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the stand-in reaches the workers only when they are forked")
    monkeypatch.setattr(harness, "classify", _stuck)
    with Runner(workers=2, timeout=1.0, wall_timeout=HANG_GUARD) as pool:
        trees = [{"a": b""}, {"spin": b""}, {"b": b""}, {"c": b""}]
        assert dict(pool.run(trees)) == {
            0: Outcome(OK),
            1: Outcome(TIMEOUT, "over 1 s of CPU"),
            2: Outcome(OK),
            3: Outcome(OK),
        }
    with Runner(workers=1, timeout=1.0, wall_timeout=1.0) as pool:
        assert pool.classify({"hang": b""}) == Outcome(TIMEOUT, "over 1 s wall clock")
        pool.workers[0].process.kill()
        died = pool.classify({"a": b""})
        assert died.kind == INTERNAL and "worker died" in died.signature
        assert pool.classify({"a": b""}) == Outcome(OK)
