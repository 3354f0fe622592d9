"""Google Cloud console URLs of live resources, so a finding links to the page of the fix."""

from __future__ import annotations

from urllib.parse import quote

CONSOLE = "https://console.cloud.google.com"


def console_url(kind: str, project: str, *parts: str) -> str:
    """The console page of a resource of one project (`parts` are its location and name)."""
    q = f"?project={quote(project)}"
    path = "/".join(quote(part, safe="@") for part in parts)
    pages = {
        "project": "/home/dashboard",
        "iam": "/iam-admin/iam",
        "network": f"/networking/networks/details/{path}",
        "subnetwork": f"/networking/subnetworks/details/{path}",
        "firewall-policy": f"/net-security/firewall-manager/firewall-policies/details/{path}",
        "firewall": f"/networking/firewalls/details/{path}",
        "bucket": f"/storage/browser/_details/{path}",
        "service-account": f"/iam-admin/serviceaccounts/details/{path}",
        "pool": f"/iam-admin/workload-identity-pools/pool/{path}",
        "filestore": f"/filestore/instances/locations/{path}",
        "redis": f"/memorystore/redis/locations/{path}/details/overview",
    }
    return f"{CONSOLE}{pages[kind]}{q}"
