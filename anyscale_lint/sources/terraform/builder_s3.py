"""S3 buckets in both provider styles: inline `policy`/`cors_rule`, and the split
resources (bucket policy, CORS configuration, public access block)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from anyscale_lint.model import BucketPolicy, CorsRule, PublicAccessBlock, S3Bucket, Unknown
from anyscale_lint.sources.terraform.coerce import flag, texts

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.blocks import NestedBlock
    from anyscale_lint.sources.terraform.builder import Builder
    from anyscale_lint.sources.terraform.items import Item


def _nested_texts(item: Item, block: NestedBlock, name: str) -> tuple[str, ...] | Unknown:
    return texts(item.block_value(block, name))


class Buckets:
    """Builds S3 buckets for a Builder, collecting the parts declared apart from them."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder

    def _region(self, item: Item) -> str | Unknown | None:
        """The bucket's own region: its `region` argument, or its aliased provider's region."""
        region = item.get("region")
        if region is None:
            region = item.provider_region()
        return region if isinstance(region, (str, Unknown)) else None

    def split_handlers(self) -> dict[str, Callable[[Item], None]]:
        """Resources that add a part to a bucket declared elsewhere."""
        return {
            "aws_s3_bucket_policy": self._bucket_policy,
            "aws_s3_bucket_cors_configuration": self._bucket_cors,
            "aws_s3_bucket_public_access_block": self._bucket_public_access_block,
        }

    def _bucket_key(self, item: Item) -> str | None:
        key = self.builder.link(item.get("bucket"))
        return key if isinstance(key, str) else None

    def _bucket_policy(self, item: Item) -> None:
        key = self._bucket_key(item)
        document = self.builder.document_at(item.get("policy"), item, f"{item.address}")
        declared = {i.address for i in self.builder.items if i.kind == "aws_s3_bucket"}
        if key in declared:
            self.builder.drafts.bucket_parts[key]["policy"] = document
            return
        # The bucket lives in another root: the policy is still judged under `--scope all`.
        written = item.get("bucket")
        self.builder.model.add(
            BucketPolicy(
                **self.builder.common(item),
                bucket=written if isinstance(written, (str, Unknown)) else str(written),
                policy=document,
            )
        )

    def _cors_rules(self, item: Item) -> tuple[CorsRule, ...] | Unknown:
        blocks = item.nested("cors_rule")
        if isinstance(blocks, Unknown):
            return blocks
        rules = []
        for block in blocks:
            get = partial(_nested_texts, item, block)
            rules.append(
                CorsRule(
                    get("allowed_origins"),
                    get("allowed_methods"),
                    get("allowed_headers"),
                    get("expose_headers"),
                    block.span,
                )
            )
        return tuple(rules)

    def _bucket_cors(self, item: Item) -> None:
        key = self._bucket_key(item)
        if key:
            self.builder.drafts.bucket_parts[key]["cors"] = (self._cors_rules(item), item.span())

    def _bucket_public_access_block(self, item: Item) -> None:
        key = self._bucket_key(item)
        if key:
            names = (
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            )
            settings = {name: flag(item.get(name)) for name in names}
            self.builder.drafts.bucket_parts[key]["pab"] = PublicAccessBlock(settings, item.span())

    def bucket(self, item: Item) -> S3Bucket:
        """The bucket with its policy, CORS rules and public access block, inline or split."""
        parts = self.builder.drafts.bucket_parts.get(item.address, {})
        common = self.builder.common(item)
        bucket = item.get("bucket")
        if bucket is None:
            how = "from bucket_prefix" if item.get("bucket_prefix") else "(no bucket name set)"
            bucket = self.builder.generated(item, "bucket", how)
        common["name"] = bucket if isinstance(bucket, (str, Unknown)) else str(bucket)
        policy = parts.get("policy")
        if policy is None and item.get("policy") is not None:
            policy = self.builder.document_at(item.get("policy"), item, f"policy of {item.address}")
        cors, cors_origin = parts.get("cors", (None, None))
        if cors is None:
            inline = self._cors_rules(item)
            if isinstance(inline, Unknown) or inline:
                cors, cors_origin = inline, item.span()
        arn = (
            f"arn:aws:s3:::{bucket}"
            if isinstance(bucket, str) and "${" not in bucket
            else f"${{{item.address}.arn}}"
        )
        return S3Bucket(
            **common,
            arn=arn,
            region=self._region(item),
            policy=policy,
            cors_rules=cors,
            cors_origin=cors_origin,
            public_access_block=parts.get("pab"),
        )
