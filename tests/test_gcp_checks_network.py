"""The GCP firewall, network, Filestore and Memorystore checks on hand-built models (the
identity, storage and registration checks: test_gcp_checks.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gcp_model import (
    HEALTH,
    HTTPS,
    INTERNAL,
    POLICY,
    UNSET,
    changed,
    classic,
    deployment,
    fw_rule,
    outcomes,
    policy,
    ready_parts,
    run,
    with_policy,
)

from anyscale_lint.engine.context import Settings
from anyscale_lint.model import GcpParts, Unknown

# ---- firewall ---------------------------------------------------------------------------


def test_fw_001_lists_the_ports_left_closed() -> None:
    narrow = fw_rule("rule 100", (("tcp", ("1-1024",)),), ("10.10.0.0/20",))
    [result] = run("GCP-FW-001", deployment(with_policy(narrow, HTTPS)))
    assert (result.outcome, result.resource) == ("fail", POLICY)
    assert (
        "1025-65535" in result.message and "reads network firewall policies only" in result.message
    )


@pytest.mark.parametrize(
    ("rules", "outcome"),
    [
        # Two rules together cover every port; a supernet of the subnet counts.
        (
            (
                fw_rule("rule 1", (("tcp", ("1-30000",)),), ("10.0.0.0/8",)),
                fw_rule("rule 2", (("tcp", ("30001-65535",)), ("udp", ())), ("10.10.0.0/20",)),
            ),
            "pass",
        ),
        # A range narrower than the subnet, EGRESS, deny, disabled and source-less rules do not.
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/24",)),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), direction="EGRESS"),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), action="deny"),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), disabled=True),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ()),), "fail"),
        ((fw_rule("rule 1", (("6", ()),), ("10.10.0.0/20",)),), "pass"),
        ((fw_rule("rule 1", (("all", ()),), (UNSET,)),), "unknown"),
        ((fw_rule("rule 1", (("tcp", (UNSET,)),), ("10.10.0.0/20",)),), "unknown"),
    ],
)
def test_fw_001_which_rules_count(rules: tuple, outcome: str) -> None:
    assert run("GCP-FW-001", deployment(with_policy(*rules)))[0].outcome == outcome


def test_fw_001_says_when_only_a_classic_firewall_or_another_policy_does_it() -> None:
    only_classic = with_policy(HTTPS, firewalls=(classic("internal", INTERNAL),))
    [result] = run("GCP-FW-001", deployment(only_classic))
    assert result.outcome == "pass"
    assert (
        "classic firewall" in result.message and "network firewall policies only" in result.message
    )
    second = changed(
        ready_parts(), firewall_policies=(policy("first", HTTPS), policy("second", INTERNAL))
    )
    [other] = run("GCP-FW-001", deployment(second))
    assert other.outcome == "pass" and "other than the first one" in other.message


def test_fw_001_unknown_subnet_range_and_missing_firewall() -> None:
    parts = ready_parts()
    odd = changed(parts, subnets=(replace(parts.subnets[0], ip_cidr_range=UNSET),))
    assert run("GCP-FW-001", deployment(odd))[0].outcome == "unknown"
    bare = changed(parts, firewall_policies=())
    [result] = run("GCP-FW-001", deployment(bare))
    assert result.outcome == "not-evaluated" and "network firewall policy" in result.message


def test_fw_002_https() -> None:
    assert run("GCP-FW-002", deployment(with_policy(INTERNAL)))[0].outcome == "pass"  # all
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    [result] = run("GCP-FW-002", deployment(with_policy(ssh)))
    assert result.outcome == "fail" and "TCP 443" in result.message
    no_sources = fw_rule("rule 443", (("tcp", ("443",)),), ())
    assert run("GCP-FW-002", deployment(with_policy(ssh, no_sources)))[0].outcome == "fail"
    by_classic = with_policy(ssh, firewalls=(classic("https", HTTPS),))
    [note] = run("GCP-FW-002", deployment(by_classic))
    assert note.outcome == "pass" and "classic" in note.message


def test_fw_003_one_failure_per_offending_rule() -> None:
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    dash = fw_rule("rule 8265", (("tcp", ("8265",)),), ("0.0.0.0/0", "10.10.0.0/24"))
    icmp = fw_rule("rule 7", (("icmp", ()),), ("203.0.113.0/24",))
    results = run("GCP-FW-003", deployment(with_policy(INTERNAL, HTTPS, HEALTH, ssh, dash, icmp)))
    assert [r.outcome for r in results] == ["fail", "fail", "fail"]
    assert {r.location for r in results} == {ssh.origin, dash.origin, icmp.origin}
    assert "tcp/8265 open to 0.0.0.0/0" in results[1].message
    assert len({r.fingerprint for r in results}) == 3


def test_fw_003_supernets_parameters_and_unknown_subnet_ranges() -> None:
    wide = fw_rule("rule 1", (("all", ()),), ("10.0.0.0/8",))
    assert run("GCP-FW-003", deployment(with_policy(wide)))[0].outcome == "fail"
    vpn = {"allowed_cidrs": ["10.0.0.0/8"]}
    assert run("GCP-FW-003", deployment(with_policy(wide)), parameters=vpn)[0].outcome == "pass"
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    ports = {"allowed_ports": [22]}
    assert run("GCP-FW-003", deployment(with_policy(ssh)), parameters=ports)[0].outcome == "pass"
    parts = ready_parts()
    unknown = changed(parts, subnets=(replace(parts.subnets[0], ip_cidr_range=UNSET),))
    internal = fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",))
    odd = changed(unknown, firewall_policies=(policy("anyscale", internal),))
    assert run("GCP-FW-003", deployment(odd))[0].outcome == "unknown"


@pytest.mark.parametrize(
    ("rule", "outcome"),
    [
        (fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ("20-30",)),), ("::/0",)), "fail"),
        (fw_rule("rule 1", (("all", ()),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ("1-65535",)),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ()),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 22", (("tcp", ("22",)),), ("35.235.240.0/20",)), "pass"),
        (fw_rule("rule 443", (("tcp", ("443",)),), ("0.0.0.0/0",)), "pass"),
        (fw_rule("rule 1", (("udp", ()),), ("0.0.0.0/0",)), "pass"),
        (fw_rule("rule 22", (("tcp", ("22",)),), (UNSET,)), "unknown"),
        (fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",), direction="EGRESS"), "pass"),
    ],
)
def test_fw_004_ssh_or_all_from_the_internet(rule: object, outcome: str) -> None:
    results = run("GCP-FW-004", deployment(with_policy(INTERNAL, rule)))
    assert outcomes(results) == {POLICY: outcome}


def test_fw_004_judges_every_firewall_under_scope_all() -> None:
    stray = classic("stray", fw_rule("allow-ssh", (("tcp", ("22",)),), ("0.0.0.0/0",)))
    subject = deployment(extra=(stray,))
    assert outcomes(run("GCP-FW-004", subject)) == {POLICY: "pass"}
    everything = run("GCP-FW-004", subject, settings=Settings(scope="all"))
    assert outcomes(everything) == {POLICY: "pass", "google_compute_firewall.stray": "fail"}


def test_fw_005_shared_vpc_health_checks() -> None:
    host = {"host-project-id": "acme-network-host"}
    assert run("GCP-FW-005", deployment(flags=host))[0].outcome == "pass"
    [result] = run("GCP-FW-005", deployment(with_policy(INTERNAL, HTTPS), flags=host))
    assert result.outcome == "fail"
    assert "35.191.0.0/16" in result.message and "130.211.0.0/22" in result.message
    assert "proxy-only subnet google_compute_subnetwork.proxy" in result.message
    half = fw_rule("rule 1005", (("tcp", ("8000",)),), ("35.191.0.0/16", "10.20.0.0/23"))
    [public] = run("GCP-FW-005", deployment(with_policy(half), flags=host, mode="public"))
    assert public.outcome == "fail" and "130.211.0.0/22" in public.message
    assert "proxy" not in public.message
    shared = changed(ready_parts(), host_project_id=UNSET)
    assert run("GCP-FW-005", deployment(shared))[0].outcome == "unknown"
    assert run("GCP-FW-005", deployment())[0].outcome == "not-evaluated"


# ---- network ----------------------------------------------------------------------------


def _subnet(**fields: object) -> GcpParts:
    parts = ready_parts()
    return changed(parts, subnets=(replace(parts.subnets[0], **fields),))


@pytest.mark.parametrize(
    ("cidr", "outcome", "severity"),
    [
        ("10.10.0.0/20", "pass", "medium"),
        ("10.10.0.0/22", "fail", "low"),
        ("10.10.0.0/26", "fail", "high"),
    ],
)
def test_net_001_levels(cidr: str, outcome: str, severity: str) -> None:
    [result] = run("GCP-NET-001", deployment(_subnet(ip_cidr_range=cidr)))
    assert (result.outcome, result.severity) == (outcome, severity)


def test_net_002_proxy_only_subnet() -> None:
    parts = ready_parts()
    assert run("GCP-NET-002", deployment(changed(parts, proxy_subnets=())))[0].outcome == "fail"
    elsewhere = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], region="us-east1"),))
    [result] = run("GCP-NET-002", deployment(elsewhere))
    assert result.outcome == "fail" and "(us-east1) is in another region" in result.message
    backup = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role="BACKUP"),))
    [standby] = run("GCP-NET-002", deployment(backup))
    assert standby.outcome == "fail" and "has role BACKUP" in standby.message
    active = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role="ACTIVE"),))
    assert run("GCP-NET-002", deployment(active))[0].outcome == "pass"
    role = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role=UNSET),))
    assert run("GCP-NET-002", deployment(role))[0].outcome == "unknown"
    public = deployment(changed(parts, proxy_subnets=()), mode="public")
    assert run("GCP-NET-002", public)[0].outcome == "not-evaluated"
    assert run("GCP-NET-002", deployment(region=UNSET))[0].outcome == "unknown"


def test_net_003_private_google_access() -> None:
    off = deployment(_subnet(private_ip_google_access=False))
    assert run("GCP-NET-003", off)[0].outcome == "fail"
    public = deployment(_subnet(private_ip_google_access=False), mode="public")
    assert run("GCP-NET-003", public)[0].outcome == "not-evaluated"
    assert run("GCP-NET-003", deployment(_subnet(private_ip_google_access=UNSET)))[0].outcome == (
        "unknown"
    )


# ---- Memorystore and Filestore -----------------------------------------------------------


def _redis(**fields: object) -> GcpParts:
    parts = ready_parts()
    assert parts.memorystore is not None
    return changed(parts, memorystore=replace(parts.memorystore, **fields))


def test_mem_001_is_the_opposite_of_memorydb() -> None:
    bad = _redis(
        transit_encryption_mode="SERVER_AUTHENTICATION", read_replicas_mode="READ_REPLICAS_DISABLED"
    )
    [result] = run("GCP-MEM-001", deployment(bad))
    assert result.outcome == "fail"
    assert "SERVER_AUTHENTICATION" in result.message and "READ_REPLICAS_DISABLED" in result.message
    assert "opposite of AWS MemoryDB" in result.message
    assert run("GCP-MEM-001", deployment(_redis(tier="BASIC")))[0].outcome == "fail"
    assert run("GCP-MEM-001", deployment(_redis(tier=UNSET)))[0].outcome == "unknown"
    absent = run("GCP-MEM-001", deployment(changed(ready_parts(), memorystore=None)))
    assert absent[0].outcome == "not-evaluated"


def _filestore(*networks: object) -> GcpParts:
    parts = ready_parts()
    assert parts.filestore is not None
    return changed(parts, filestore=replace(parts.filestore, networks=networks))


@pytest.mark.parametrize(
    ("networks", "outcome"),
    [
        (("google_compute_network.anyscale",), "pass"),
        (("projects/acme-anyscale-prod/global/networks/anyscale-vpc",), "pass"),
        (("default",), "fail"),
        ((), "fail"),
        ((UNSET,), "unknown"),
    ],
)
def test_fs_001_filestore_network(networks: tuple, outcome: str) -> None:
    [result] = run("GCP-FS-001", deployment(_filestore(*networks)))
    assert result.outcome == outcome


# ---- port arithmetic ----------------------------------------------------------------------


def test_uncovered_ports_merge_overlapping_ranges() -> None:
    from anyscale_lint.checks.gcp_firewall_rules import port_intervals, uncovered

    assert uncovered([(1, 10), (5, 20), (30, 40)], 1, 50) == [(21, 29), (41, 50)]
    assert uncovered([(0, 65535)], 1, 65535) == []
    assert port_intervals(["22", "8000-9000"]) == [(22, 22), (8000, 9000)]
    assert isinstance(port_intervals(["ssh"]), Unknown)
