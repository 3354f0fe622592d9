"""Cloud Storage buckets (CORS, access settings, location), Filestore instances and
Memorystore for Redis instances."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import GcpFilestore, GcpRedis, GcsBucket, GcsCors, Resource, Unknown
from anyscale_lint.sources.terraform.coerce import (
    flag,
    literal,
    optional_text,
    text,
    text_map,
    texts,
)

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder_gcp import GcpResources
    from anyscale_lint.sources.terraform.items import Item

_NETWORK = "google_compute_network"


def _cors(item: Item) -> tuple[tuple[GcsCors, ...] | Unknown, Any]:
    """The bucket's CORS entries, each at its block, and where CORS is written."""
    blocks = item.nested("cors")
    if isinstance(blocks, Unknown):
        return blocks, item.span()
    entries = tuple(
        GcsCors(
            texts(item.block_value(block, "origin")),
            texts(item.block_value(block, "method")),
            texts(item.block_value(block, "response_header")),
            block.span,
        )
        for block in blocks
    )
    return entries, entries[0].origin if entries else item.span()


def _location(value: Any) -> str | Unknown | None:
    """The API reports locations in capitals (`US-CENTRAL1`); the provider accepts any case."""
    known = literal(value)
    return known.upper() if known else optional_text(value)


def resource_handlers(gcp: GcpResources) -> dict[str, Callable[[Item], Resource]]:
    """Builders of the bucket, Filestore and Memorystore resources."""

    def bucket(item: Item) -> Resource:
        cors, cors_origin = _cors(item)
        prevention = item.get("public_access_prevention")
        common = gcp.common(item)
        return GcsBucket(
            **common,
            bucket_name=text(item.get("name")),
            location=_location(item.get("location")),
            cors=cors,
            cors_origin=cors_origin,
            uniform_access=flag(item.get("uniform_bucket_level_access")),
            # Unset, the bucket inherits the organization's setting (the API says `inherited`).
            public_access_prevention="inherited" if prevention is None else text(prevention),
            labels=dict(common["tags"]),
            project=gcp.project(item),
        )

    def filestore(item: Item) -> Resource:
        blocks = item.nested("networks")
        networks: tuple[str | Unknown, ...] | Unknown
        if isinstance(blocks, Unknown):
            networks = blocks
        else:
            linked = (gcp.link(item.block_value(block, "network"), _NETWORK) for block in blocks)
            networks = tuple(link for link in linked if link is not None)
        # `zone` is the provider's older spelling of `location`.
        location = item.get("location") if item.get("location") is not None else item.get("zone")
        return GcpFilestore(
            **gcp.common(item),
            instance_name=text(item.get("name")),
            location=optional_text(location),
            tier=optional_text(item.get("tier")),
            networks=networks,
        )

    def redis(item: Item) -> Resource:
        def setting(name: str, default: str) -> str | Unknown:
            value = item.get(name)
            return default if value is None else text(value)

        network = item.get("authorized_network")
        return GcpRedis(
            **gcp.common(item),
            instance_name=text(item.get("name")),
            region=gcp.region(item),
            # The API's defaults when unset.
            tier=setting("tier", "BASIC"),
            transit_encryption_mode=setting("transit_encryption_mode", "DISABLED"),
            read_replicas_mode=setting("read_replicas_mode", "READ_REPLICAS_DISABLED"),
            # Unset, the instance is authorized on the project's `default` network.
            authorized_network=gcp.link("default" if network is None else network, _NETWORK),
            redis_configs=text_map(item.get("redis_configs")),
        )

    return {
        "google_storage_bucket": bucket,
        "google_filestore_instance": filestore,
        "google_redis_instance": redis,
    }
