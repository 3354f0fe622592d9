"""Each part of a GCP deployment: named by the register command (or the config), else
inferred from what the root holds. Every finder returns what it chose, how, and what else
fit equally (engine/identify_common.py `Found`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from anyscale_lint.engine.evidence import mentions_anyscale
from anyscale_lint.engine.gcp_values import grants_to, matches, member_pool, names_network
from anyscale_lint.engine.identify_common import Found, IdentifyOptions, R, not_found, ranked
from anyscale_lint.engine.register_values import items, read_value
from anyscale_lint.model import (
    CloudModel,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpIamGrant,
    GcpNetwork,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcsBucket,
    RegisterCommand,
    Resource,
    Unknown,
    is_known,
)
from anyscale_lint.providers.gcp import INPUTS_BY_KEY, PROXY_ONLY_PURPOSE

WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
ANYSCALE_LABEL = "anyscale-cloud-id"


@dataclass(frozen=True)
class GcpEvidence:
    """What GCP identification reads: the model, the options and the register command."""

    model: CloudModel
    options: IdentifyOptions
    command: RegisterCommand | None

    def flag_values(self, key: str) -> list[str] | None:
        """The values the register command gives the input's flag (a list's items); None
        when the flag is not given or its value is not known."""
        spec = INPUTS_BY_KEY[key]
        written = self.command.flags.get(spec.flag) if self.command else None
        if written is None or isinstance(written, Unknown):
            return None
        values = items(read_value(self.model, written).value)
        return values or None

    def flag(self, key: str) -> str:
        """The flag as the command spells it, for messages."""
        spec = INPUTS_BY_KEY[key]
        return self.command.written(spec.flag) if self.command else spec.flag


def _mapped(ev: GcpEvidence, key: str) -> Found[Any] | None:
    """The resource the config's deployments mapping names for this part."""
    spec = INPUTS_BY_KEY[key]
    address = ev.options.mapping.get(key.replace("-", "_"))
    if not isinstance(address, str) or spec.cls is None:
        return None
    found = ev.model.get(address) or next(
        (r for r in ev.model.of_kind(spec.cls) if r.address == address), None
    )
    if isinstance(found, spec.cls):
        return Found(spec.part, (found,), "mapped in the config file")
    return not_found(spec.part, f"the config maps it to {address}, which is not a {spec.cls.kind}")


def given(ev: GcpEvidence, key: str) -> Found[Any] | None:
    """The part the config maps or the register command names; a name that matches nothing
    in the root is a part not found (it lives elsewhere), never a reason to guess another.
    None when neither says (inference decides)."""
    mapped = _mapped(ev, key)
    if mapped is not None:
        return mapped
    values = ev.flag_values(key)
    spec = INPUTS_BY_KEY[key]
    if values is None or spec.cls is None:
        return None
    chosen: list[Resource] = []
    for value in values:
        fitting = [r for r in ev.model.of_kind(spec.cls) if matches(ev.model, r, value)]
        chosen += [r for r in fitting if r not in chosen][: None if spec.many else 1]
    flag = ev.flag(key)
    if chosen:
        where = ev.command.output_name if ev.command and ev.command.output_name else "input"
        method = f"named by --{flag} in the register command ({where})"
        if spec.many:
            method += ": " + ", ".join(r.address for r in chosen)
        return Found(spec.part, tuple(chosen if spec.many else chosen[:1]), method)
    if all(is_known(value) for value in values):
        shown = ", ".join(values)
        return not_found(spec.part, f"--{flag} names {shown}, which this root does not declare")
    return None


def _pick(
    part: str,
    candidates: Sequence[R],
    rank: Callable[[R], tuple[bool, ...]],
    method: str,
    tried: str,
) -> Found[R]:
    return ranked(part, candidates, rank, method) if candidates else not_found(part, tried)


def _anyscale_first(resource: Resource) -> tuple[bool, ...]:
    return (not mentions_anyscale(resource),)


# ---- network ----------------------------------------------------------------------------------


def network(ev: GcpEvidence, subnets: Found[GcpSubnetwork] | None) -> Found[GcpNetwork]:
    """The network --vpc-name names, else the one the named node subnet is on."""
    named = given(ev, "vpc")
    if named is not None:
        return named
    networks = list(ev.model.of_kind(GcpNetwork))
    if subnets is not None and subnets.one is not None:
        linked = [n for n in networks if names_network(subnets.one.network, n)]
        if linked:
            return Found("network", (linked[0],), f"the network of {subnets.one.address}")
    anyscale = [n for n in networks if mentions_anyscale(n)]
    if anyscale:
        return ranked("network", anyscale, _anyscale_first, "inferred: named for anyscale")
    if len(networks) == 1:
        return Found("network", (networks[0],), "inferred: the only network in this root")
    if not networks:
        return not_found("network", "no google_compute_network in this root")
    return not_found(
        "network", f"none of the {len(networks)} networks in this root is named for anyscale"
    )


def _in_region(subnet: GcpSubnetwork, region: object) -> bool:
    """Whether the subnet is in the cloud's region (yes when either is not known)."""
    known = isinstance(region, str) and is_known(region)
    own = subnet.region
    return not known or not (isinstance(own, str) and is_known(own)) or own == region


def node_subnets(
    ev: GcpEvidence, named: Found[GcpSubnetwork] | None, net: GcpNetwork | None, region: object
) -> Found[GcpSubnetwork]:
    """Subnets nodes run in: named by --subnet-names, else the network's PRIVATE subnets in
    the region (the one named for anyscale first: Anyscale uses only the first)."""
    if named is not None:
        return named
    if net is None:
        return not_found("subnets", "no network was identified to look for subnets in")
    private = [
        s
        for s in ev.model.of_kind(GcpSubnetwork)
        if names_network(s.network, net) and s.purpose == "PRIVATE" and _in_region(s, region)
    ]
    if not private:
        return not_found("subnets", f"no PRIVATE subnet of {net.address} in region {region}")
    private.sort(key=lambda s: (_anyscale_first(s), s.key))
    shown = ", ".join(s.address for s in private)
    return Found(
        "subnets", tuple(private), f"inferred: the PRIVATE subnets of {net.address}: {shown}"
    )


def proxy_subnets(ev: GcpEvidence, net: GcpNetwork | None, region: object) -> Found[GcpSubnetwork]:
    """The network's proxy-only subnets in the region."""
    if net is None:
        return Found("proxy subnets", (), "no network was identified")
    found = tuple(
        s
        for s in ev.model.of_kind(GcpSubnetwork)
        if names_network(s.network, net)
        and s.purpose == PROXY_ONLY_PURPOSE
        and _in_region(s, region)
    )
    where = f"{net.address} in region {region}"
    if not found:
        return Found("proxy subnets", (), f"no {PROXY_ONLY_PURPOSE} subnet of {where}")
    return Found("proxy subnets", found, f"the {PROXY_ONLY_PURPOSE} subnets of {where}")


def firewall_policies(ev: GcpEvidence, net: GcpNetwork | None) -> Found[GcpFirewallPolicy]:
    """Policies --firewall-policy-names names, else those associated with the network."""
    named = given(ev, "firewall_policies")
    if named is not None:
        return named
    if net is None:
        return not_found("firewall policies", "no network was identified")
    associated = tuple(
        p
        for p in ev.model.of_kind(GcpFirewallPolicy)
        if any(names_network(target, net) for target in p.networks)
    )
    if not associated:
        return not_found(
            "firewall policies", f"no firewall policy is associated with {net.address}"
        )
    return Found("firewall policies", associated, f"associated with {net.address}")


def firewalls(ev: GcpEvidence, net: GcpNetwork | None) -> Found[GcpFirewall]:
    """Classic firewalls on the network (Anyscale's verifier never reads them)."""
    found = tuple(
        f
        for f in ev.model.of_kind(GcpFirewall)
        if net is not None and names_network(f.network, net)
    )
    how = f"classic firewalls on {net.address}" if net else "no network was identified"
    return Found("firewalls", found, how if found or net is None else f"none on {net.address}")


# ---- identities -------------------------------------------------------------------------------


def pool_grants(model: CloudModel) -> list[tuple[GcpIamGrant, str]]:
    """Service-account grants of roles/iam.workloadIdentityUser to a pool's principals, with
    the member naming the pool."""
    found = []
    for grant in model.of_kind(GcpIamGrant):
        if grant.target_kind != "service_account" or grant.role != WORKLOAD_IDENTITY_USER:
            continue
        members = () if isinstance(grant.members, Unknown) else grant.members
        found += [(grant, str(m)) for m in members if member_pool(model, m) is not None]
    return found


def access_account(ev: GcpEvidence) -> Found[GcpServiceAccount]:
    """The account Anyscale's control plane impersonates: named, else the one whose own IAM
    lets a workload identity pool's principals act as it."""
    named = given(ev, "anyscale_service_account")
    if named is not None:
        return named
    accounts = list(ev.model.of_kind(GcpServiceAccount))
    trusted = {grant.target: member for grant, member in pool_grants(ev.model)}
    federated = [a for a in accounts if a.key in trusted]
    if federated:
        member = trusted[federated[0].key]
        how = f"its IAM grants {WORKLOAD_IDENTITY_USER} to {member}"
        return ranked("access service account", federated, _anyscale_first, how)
    named_access = [a for a in accounts if mentions_anyscale(a) and _says(a, _ACCESS_WORDS)]
    return _pick(
        "access service account",
        named_access,
        _anyscale_first,
        "inferred: named for anyscale access",
        f"no service account grants {WORKLOAD_IDENTITY_USER} to a workload identity pool or "
        "is named for anyscale access",
    )


# Words naming the access account (CLI: anyscale-access-<hex>; TF-GCP: anyscale-crossacct-)
# and the node account (CLI: the cloud ID; TF-GCP: anyscale-cluster-).
_ACCESS_WORDS = ("access", "crossacct", "cross-acct")
_NODE_WORDS = ("cluster", "node", "instance")


def _says(account: GcpServiceAccount, words: tuple[str, ...]) -> bool:
    text = f"{account.address} {account.name}".lower()
    return any(word in text for word in words)


def node_account(ev: GcpEvidence, access: GcpServiceAccount | None) -> Found[GcpServiceAccount]:
    """The account cluster nodes run as: named, else the other account named for anyscale
    (one saying cluster, node or instance first), else the only other account."""
    named = given(ev, "instance_service_account")
    if named is not None:
        return named
    # An account named for access is the access account even when nothing else says so.
    others = [
        a
        for a in ev.model.of_kind(GcpServiceAccount)
        if a is not access and not _says(a, _ACCESS_WORDS)
    ]
    anyscale = [a for a in others if mentions_anyscale(a)]
    if not anyscale and len(others) == 1 and access is not None:
        return Found("node service account", (others[0],), "the only other service account")

    def rank(account: GcpServiceAccount) -> tuple[bool, ...]:
        return (not _says(account, _NODE_WORDS),)

    return _pick(
        "node service account",
        anyscale,
        rank,
        "inferred: the other service account named for anyscale",
        "no other service account is named for anyscale",
    )


def identity_provider(ev: GcpEvidence) -> Found[GcpWorkloadIdentityProvider]:
    """The provider --provider-name names, else the AWS provider (of Anyscale's account
    first), else the only one."""
    named = given(ev, "provider_name")
    if named is not None:
        return named
    providers = list(ev.model.of_kind(GcpWorkloadIdentityProvider))
    account = ev.options.anyscale_account_id

    def rank(provider: GcpWorkloadIdentityProvider) -> tuple[bool, ...]:
        return (
            provider.provider_type != "aws",
            provider.aws_account_id != account,
            not mentions_anyscale(provider),
        )

    return _pick(
        "identity provider",
        providers,
        rank,
        "inferred: the workload identity pool provider in this root (AWS ones first)",
        "no google_iam_workload_identity_pool_provider in this root",
    )


def pool(
    ev: GcpEvidence, provider: GcpWorkloadIdentityProvider | None
) -> Found[GcpWorkloadIdentityPool]:
    """The provider's pool, else the pool the access account's grant names, else the only
    pool."""
    linked = ev.model.get(provider.pool) if provider is not None else None
    if isinstance(linked, GcpWorkloadIdentityPool):
        return Found("pool", (linked,), f"the pool of {provider.address if provider else ''}")
    granted = [member_pool(ev.model, member) for _, member in pool_grants(ev.model)]
    pools = [p for p in granted if isinstance(p, GcpWorkloadIdentityPool)]
    if pools:
        return Found("pool", (pools[0],), f"{WORKLOAD_IDENTITY_USER} is granted to its principals")
    return _pick(
        "pool",
        list(ev.model.of_kind(GcpWorkloadIdentityPool)),
        _anyscale_first,
        "inferred: the workload identity pool in this root",
        "no google_iam_workload_identity_pool in this root",
    )


# ---- storage and services ---------------------------------------------------------------------


def bucket(ev: GcpEvidence, accounts: Sequence[GcpServiceAccount]) -> Found[GcsBucket]:
    """The bucket named, else the one labelled for an Anyscale cloud, granted to the
    deployment's accounts, or named for anyscale; else the only bucket."""
    named = given(ev, "bucket")
    if named is not None:
        return named
    buckets = list(ev.model.of_kind(GcsBucket))
    granted = {
        grant.target
        for account in accounts
        for grant in grants_to(ev.model, account)
        if grant.target_kind == "bucket"
    }
    fitting = [
        b for b in buckets if ANYSCALE_LABEL in b.tags or b.key in granted or mentions_anyscale(b)
    ] or (buckets if len(buckets) == 1 else [])

    def rank(candidate: GcsBucket) -> tuple[bool, ...]:
        return (
            ANYSCALE_LABEL not in candidate.tags,
            candidate.key not in granted,
            not mentions_anyscale(candidate),
        )

    if not fitting:
        return not_found(
            "bucket",
            "no bucket is labelled or named for anyscale, granted to the accounts, or alone",
        )
    top = min(fitting, key=lambda b: (rank(b), b.key))
    how = (
        f"inferred: labelled {ANYSCALE_LABEL}"
        if ANYSCALE_LABEL in top.tags
        else "inferred: the service accounts are granted roles on it"
        if top.key in granted
        else "inferred: named for anyscale"
        if mentions_anyscale(top)
        else "inferred: the only bucket in this root"
    )
    return ranked("bucket", fitting, rank, how)


def service(ev: GcpEvidence, key: str) -> Found[Any]:
    """The optional Filestore or Memorystore instance: named, else the one in the root."""
    spec = INPUTS_BY_KEY[key]
    assert spec.cls is not None
    named = given(ev, key)
    if named is not None:
        return named
    candidates = list(ev.model.of_kind(spec.cls))
    if not candidates:
        return Found(spec.part, (), f"no {spec.cls.kind} in this root")
    return ranked(spec.part, candidates, _anyscale_first, f"the {spec.cls.kind} in this root")
