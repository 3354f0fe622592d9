"""The storage part of a live GCP model: the Cloud Storage bucket (and its IAM policy),
Filestore and Memorystore instances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    GcpFilestore,
    GcpRedis,
    GcsBucket,
    GcsCors,
)
from anyscale_lint.sources.gcp_live import names
from anyscale_lint.sources.gcp_live.builder_network import Ref, network_link
from anyscale_lint.sources.gcp_live.collected import Read
from anyscale_lint.sources.live.faults import Fault, failed_read

Grants = Callable[[str, str, Any, CloudRef], None]


class ServicesBuilder:
    """Adds the bucket, Filestore and Memorystore instances to the model."""

    def __init__(self, model: CloudModel, ref: Ref, grants: Grants) -> None:
        self.model = model
        self.ref = ref
        self.grants = grants

    def bucket(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        key = names.bucket_key(read.name)
        origin = self.ref(key, "bucket", (read.name,))
        if isinstance(read.data, Fault):
            unknown = failed_read(read.data, f"bucket {read.name}")
            bucket = GcsBucket(
                key,
                key,
                origin,
                name=read.name,
                bucket_name=read.name,
                location=unknown,
                cors=unknown,
                cors_origin=origin,
                uniform_access=unknown,
                public_access_prevention=unknown,
            )
        else:
            found = read.data
            access = found.get("iamConfiguration", {})
            labels = {str(k): str(v) for k, v in (found.get("labels") or {}).items()}
            bucket = GcsBucket(
                key,
                key,
                origin,
                name=read.name,
                tags=labels,
                bucket_name=read.name,
                location=found.get("location"),
                cors=tuple(
                    GcsCors(
                        tuple(c.get("origin", [])),
                        tuple(c.get("method", [])),
                        tuple(c.get("responseHeader", [])),
                        origin,
                    )
                    for c in found.get("cors", [])
                ),
                cors_origin=origin,
                uniform_access=bool(access.get("uniformBucketLevelAccess", {}).get("enabled")),
                public_access_prevention=_prevention(access.get("publicAccessPrevention")),
                labels=labels,
            )
        self.model.add(bucket)
        self.grants("bucket", key, read.policy, origin)

    def filestore(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        location, instance = names.segment(read.name, 3), names.last(read.name)
        origin = self.ref(read.name, "filestore", (location, "id", instance))
        unknown = (
            failed_read(read.data, f"Filestore {instance}")
            if isinstance(read.data, Fault)
            else None
        )
        found = read.data if isinstance(read.data, dict) else {}
        networks = tuple(
            network_link(self.model, str(n.get("network", ""))) for n in found.get("networks", [])
        )
        self.model.add(
            GcpFilestore(
                read.name,
                read.name,
                origin,
                name=instance,
                tags=dict(found.get("labels", {})),
                instance_name=instance,
                location=location,
                tier=unknown or found.get("tier"),
                networks=unknown or networks,
            )
        )

    def redis(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        region, instance = names.segment(read.name, 3), names.last(read.name)
        origin = self.ref(read.name, "redis", (region, "instances", instance))
        if isinstance(read.data, Fault):
            unknown = failed_read(read.data, f"Memorystore {instance}")
            redis = GcpRedis(
                read.name,
                read.name,
                origin,
                name=instance,
                instance_name=instance,
                region=region,
                tier=unknown,
                transit_encryption_mode=unknown,
                read_replicas_mode=unknown,
                authorized_network=unknown,
                redis_configs=unknown,
            )
        else:
            found = read.data
            network = found.get("authorizedNetwork")
            # Enum fields the API leaves at their defaults are absent from its JSON.
            redis = GcpRedis(
                read.name,
                read.name,
                origin,
                name=instance,
                tags=dict(found.get("labels", {})),
                instance_name=instance,
                region=region,
                tier=str(found.get("tier", "BASIC")),
                transit_encryption_mode=str(found.get("transitEncryptionMode", "DISABLED")),
                read_replicas_mode=str(found.get("readReplicasMode", "READ_REPLICAS_DISABLED")),
                authorized_network=network_link(self.model, str(network)) if network else None,
                redis_configs={str(k): str(v) for k, v in found.get("redisConfigs", {}).items()},
            )
        self.model.add(redis)


def _prevention(value: Any) -> str:
    """`enforced` or `inherited` (older buckets say `unspecified`, which means inherited)."""
    return "enforced" if str(value).lower() == "enforced" else "inherited"
