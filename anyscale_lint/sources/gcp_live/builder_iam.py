"""The IAM part of a live GCP model: IAM policies as grants, service accounts, workload
identity pools and providers."""

from __future__ import annotations

from typing import Any

from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    GcpIamGrant,
    GcpServiceAccount,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    Unknown,
)
from anyscale_lint.sources.gcp_live import names
from anyscale_lint.sources.gcp_live.builder_network import Ref
from anyscale_lint.sources.gcp_live.collected import Read
from anyscale_lint.sources.live.faults import Fault, failed_read

_PROVIDER_TYPES = ("aws", "oidc", "saml")


class IamBuilder:
    """Adds grants, service accounts and workload identity to the model."""

    def __init__(self, model: CloudModel, ref: Ref) -> None:
        self.model = model
        self.ref = ref

    def grants(self, kind: str, target: str, policy: Any, origin: CloudRef) -> None:
        """One grant per binding of an IAM policy; one unknown grant when it was not read."""
        if policy is None or (isinstance(policy, Fault) and policy.missing):
            return
        if isinstance(policy, Fault):
            unknown = failed_read(policy, f"the IAM policy of {target}")
            key = f"{target}#iam-policy"
            self.model.add(
                GcpIamGrant(
                    key,
                    key,
                    origin,
                    target_kind=kind,
                    target=target,
                    role=unknown,
                    members=unknown,
                    authoritative=True,
                )
            )
            return
        seen: dict[str, int] = {}
        for binding in policy.get("bindings", []):
            role = str(binding.get("role", ""))
            seen[role] = seen.get(role, 0) + 1
            key = f"{target}#{role}" + (f"#{seen[role]}" if seen[role] > 1 else "")
            condition = binding.get("condition")
            self.model.add(
                GcpIamGrant(
                    key,
                    key,
                    origin,
                    target_kind=kind,
                    target=target,
                    role=role,
                    members=tuple(str(m) for m in binding.get("members", [])),
                    # A live policy's binding lists every member the role has.
                    authoritative=True,
                    condition=str(condition.get("expression", "")) if condition else None,
                )
            )

    def service_account(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        email = read.name
        found = read.data if isinstance(read.data, dict) else {}
        key = str(found.get("name") or names.service_account_key(email))
        project = str(found.get("projectId") or names.segment(key, 1))
        origin = self.ref(key, "service-account", (email,), project if project != "-" else None)
        self.model.add(
            GcpServiceAccount(
                key,
                key,
                origin,
                name=email.split("@", 1)[0],
                account_id=email.split("@", 1)[0],
                email=email,
                project=(
                    failed_read(read.data, f"service account {email}")
                    if isinstance(read.data, Fault) and project == "-"
                    else project
                ),
            )
        )
        self.grants("service_account", key, read.policy, origin)

    def pool(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        pool_id = names.last(read.name)
        disabled: bool | Unknown = (
            failed_read(read.data, f"workload identity pool {pool_id}")
            if isinstance(read.data, Fault)
            else bool(read.data.get("disabled", False))
        )
        self.model.add(
            GcpWorkloadIdentityPool(
                read.name,
                read.name,
                self.ref(read.name, "pool", (pool_id,)),
                name=pool_id,
                pool_id=pool_id,
                project=names.segment(read.name, 1),
                disabled=disabled,
            )
        )

    def provider(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        provider_id = names.last(read.name)
        pool = names.pool_of(read.name)
        origin = self.ref(read.name, "pool", (names.last(pool), "provider", provider_id))
        kind = "aws"
        aws: str | Unknown | None
        mapping: dict[str, str | Unknown] | Unknown
        condition: str | Unknown | None
        disabled: bool | Unknown
        if isinstance(read.data, Fault):
            aws = mapping = condition = disabled = failed_read(
                read.data, f"workload identity provider {provider_id}"
            )
        else:
            found = read.data
            kind = next((t for t in _PROVIDER_TYPES if t in found), kind)
            aws = str(found["aws"].get("accountId", "")) if "aws" in found else None
            mapping = {str(k): str(v) for k, v in found.get("attributeMapping", {}).items()}
            condition = (
                str(found["attributeCondition"]) if found.get("attributeCondition") else None
            )
            disabled = bool(found.get("disabled", False))
        self.model.add(
            GcpWorkloadIdentityProvider(
                read.name,
                read.name,
                origin,
                name=provider_id,
                pool=pool,
                provider_id=provider_id,
                aws_account_id=aws,
                provider_type=kind,
                attribute_mapping=mapping,
                attribute_condition=condition,
                disabled=disabled,
                project=names.segment(read.name, 1),
            )
        )
