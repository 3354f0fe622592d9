"""Attributes the google provider computes from the configuration alone.

A service account's email is `<account_id>@<project>.iam.gserviceaccount.com`, its `member`
is `serviceAccount:<email>` and its `name`/`id` `projects/<project>/serviceAccounts/<email>`.
Resolving them when the account ID and project are known makes IAM members and register
flags the same literal text a live scan reads, instead of references to the account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anyscale_lint.sources.terraform.markers import is_known

SA_DOMAIN = ".iam.gserviceaccount.com"
_SERVICE_ACCOUNT = "google_service_account"


def service_account_email(account_id: Any, project: Any) -> str | None:
    """The email of an account, when its ID and project are known."""
    known = all(isinstance(v, str) and v and is_known(v) for v in (account_id, project))
    return f"{account_id}@{project}{SA_DOMAIN}" if known else None


def derived(
    kind: str, name: str, attribute: Callable[[str], Any], provider_project: Callable[[], Any]
) -> str | None:
    """The value of a computed attribute the configuration determines, else None (the
    provider's project is read only for the attributes that need it)."""
    if kind != _SERVICE_ACCOUNT or name not in ("email", "member", "name", "id"):
        return None
    project = attribute("project")
    if project is None:
        project = provider_project()
    email = service_account_email(attribute("account_id"), project)
    if email is None:
        return None
    if name == "email":
        return email
    if name == "member":
        return f"serviceAccount:{email}"
    return f"projects/{project}/serviceAccounts/{email}"


def provider_project(settings: dict[str, Any], provider: str | None) -> Any:
    """The project of the google provider configuration a resource uses (its `provider`
    attribute as written, else the default configuration)."""
    projects = settings.get("provider_projects") or {}
    if provider is not None and provider in projects:
        return projects[provider]
    return projects.get("google")
