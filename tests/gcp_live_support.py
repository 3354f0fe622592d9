"""What the live GCP tests share: the fake's names, a 403 answer, an audit of the fake."""

from __future__ import annotations

from typing import Any

from anyscale_lint.model import (
    CloudModel,
    Resource,
)
from anyscale_lint.sources.gcp_live import GcpConnection, audit
from anyscale_lint.sources.live.audit import Audit
from tests.gcp_fake import FakeGoogle

REGION = "us-central1"
READY = "projects/acme-anyscale-prod"
POOL = "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool"
ACCESS = "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com"
CLUSTER = "anyscale-cluster@acme-anyscale-prod.iam.gserviceaccount.com"
BUCKET = "projects/_/buckets/acme-anyscale-prod-storage"
BUCKET_IAM = "GET /storage/v1/b/acme-anyscale-prod-storage/iam"
DENIED = {
    "$error": {
        "code": 403,
        "status": "PERMISSION_DENIED",
        "message": "anyscale-audit@acme.iam.gserviceaccount.com does not have "
        "storage.buckets.getIamPolicy access (token ya29.a0AfB_fake-token-0042)",
    }
}


def audit_fake(fake: FakeGoogle, given: dict[str, str], **connection: Any) -> Audit:
    scoped = {k: v for k, v in given.items() if k != "region"}
    settings = {"endpoint": fake.base, "max_attempts": 1, **connection}
    (found,) = audit(GcpConnection(**settings), scoped, [REGION])
    return found


def resource_of(model: CloudModel, cls: type[Any], key: str) -> Any:
    resource = model.resources[key]
    assert isinstance(resource, cls), (key, resource)
    return resource


def keys_of(model: CloudModel, cls: type[Resource]) -> set[str]:
    return {r.key for r in model.of_kind(cls)}
