"""Finding the parts no flag names (when no flag names any part, as with `live --vpc-id`
alone on AWS): the project's service accounts, workload identity providers, buckets,
Filestore and Memorystore instances named or labelled for anyscale (Filestore and
Memorystore attached to the VPC count too). Identification then picks the parts among them.
"""

from __future__ import annotations

from typing import Any

from anyscale_lint.sources.gcp_live.caller import Caller
from anyscale_lint.sources.gcp_live.names import last
from anyscale_lint.sources.gcp_live.targets import GcpTargets

# Every location at once: Filestore and Memorystore list instances of `locations/-`.
ALL_LOCATIONS = "-"


def _for_anyscale(*texts: Any, labels: Any = None) -> bool:
    """Named for anyscale, or carrying a label that says anyscale (`anyscale-cloud-id`)."""
    spelled = [str(t or "") for t in texts]
    spelled += [f"{k}={v}" for k, v in (labels or {}).items()]
    return any("anyscale" in text.lower() for text in spelled)


class Discovery:
    """Lists one kind of resource of the project and keeps those that look like Anyscale's."""

    def __init__(self, caller: Caller, targets: GcpTargets) -> None:
        self.caller = caller
        self.targets = targets
        self.project = targets.project

    def _list(self, method: str, key: str, subject: str, /, **params: Any) -> list[dict[str, Any]]:
        listed = self.caller.pages(method, key, subject, **params)
        # A failed list is a collection error (CORE-003); nothing is found through it.
        return listed if isinstance(listed, list) else []

    def service_accounts(self) -> list[str]:
        found = self._list(
            "iam.projects.serviceAccounts.list",
            "accounts",
            f"projects/{self.project}/serviceAccounts",
            project=self.project,
        )
        return [
            str(a["email"]) for a in found if _for_anyscale(a.get("email"), a.get("displayName"))
        ]

    def providers(self) -> list[str]:
        """AWS providers (the kind Anyscale's control plane uses) of the project's pools."""
        pools = self._list(
            "iam.projects.locations.workloadIdentityPools.list",
            "workloadIdentityPools",
            f"projects/{self.project}/locations/global/workloadIdentityPools",
            project=self.project,
        )
        chosen: list[str] = []
        for pool in pools:
            if pool.get("state") == "DELETED":
                continue
            providers = self._list(
                "iam.projects.locations.workloadIdentityPools.providers.list",
                "workloadIdentityPoolProviders",
                str(pool["name"]),
                pool=str(pool["name"]),
            )
            chosen += [
                str(p["name"])
                for p in providers
                if p.get("state") != "DELETED"
                and ("aws" in p or _for_anyscale(p.get("name"), p.get("displayName")))
            ]
        return chosen

    def buckets(self) -> list[str]:
        found = self._list(
            "storage.buckets.list",
            "items",
            f"projects/{self.project}/buckets",
            project=self.project,
        )
        return [
            str(b["name"]) for b in found if _for_anyscale(b.get("name"), labels=b.get("labels"))
        ]

    def _instances(self, service: str, attached: Any) -> list[str]:
        parent = f"projects/{self.project}/locations/{ALL_LOCATIONS}"
        found = self._list(
            f"{service}.projects.locations.instances.list", "instances", parent, parent=parent
        )
        return [
            str(i["name"])
            for i in found
            if attached(i) or _for_anyscale(i.get("name"), labels=i.get("labels"))
        ]

    def filestores(self) -> list[str]:
        vpc = self.targets.one("vpc-name")
        return self._instances(
            "file",
            lambda i: (
                bool(vpc)
                and any(last(str(n.get("network", ""))) == vpc for n in i.get("networks", []))
            ),
        )

    def memorystores(self) -> list[str]:
        vpc = self.targets.one("vpc-name")
        return self._instances(
            "redis", lambda i: bool(vpc) and last(str(i.get("authorizedNetwork", ""))) == vpc
        )
