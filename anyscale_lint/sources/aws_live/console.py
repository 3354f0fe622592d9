"""Console URLs of live resources, so a finding links to the page where the fix goes."""

from __future__ import annotations

from urllib.parse import quote

_VPC_PAGES = {
    "vpc": "VpcDetails:VpcId",
    "subnet": "SubnetDetails:subnetId",
    "rtb": "RouteTableDetails:RouteTableId",
    "nat": "NatGatewayDetails:natGatewayId",
    "igw": "InternetGateway:internetGatewayId",
    "vpce": "EndpointDetails:vpcEndpointId",
}


def console_url(kind: str, identifier: str, region: str) -> str | None:
    """The AWS console page of a resource (`kind` is an ID prefix or a service name)."""
    home = f"https://{region}.console.aws.amazon.com"
    if kind in _VPC_PAGES:
        return f"{home}/vpcconsole/home?region={region}#{_VPC_PAGES[kind]}={identifier}"
    if kind == "sg":
        return f"{home}/ec2/home?region={region}#SecurityGroup:groupId={identifier}"
    if kind == "role":
        return f"https://console.aws.amazon.com/iam/home#/roles/details/{quote(identifier)}"
    if kind == "policy":
        policy = quote(identifier, safe="")
        return f"https://console.aws.amazon.com/iam/home#/policies/details/{policy}"
    if kind == "bucket":
        return f"https://s3.console.aws.amazon.com/s3/buckets/{identifier}?region={region}"
    if kind == "efs":
        return f"{home}/efs/home?region={region}#/file-systems/{identifier}"
    if kind == "memorydb":
        return f"{home}/memorydb/home?region={region}#/clusters/{identifier}"
    return None
