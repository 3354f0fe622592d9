"""The normalized cloud model every source produces and every rule reads."""

from __future__ import annotations

from anyscale_lint.model.aws import (
    CorsRule,
    EfsFileSystem,
    EfsMountTarget,
    IamRole,
    InstanceProfile,
    InternetGateway,
    MemoryDbCluster,
    NatGateway,
    PolicyAttachment,
    PublicAccessBlock,
    Route,
    RouteTable,
    S3Bucket,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from anyscale_lint.model.cloud import (
    CloudModel,
    InlineIgnore,
    OutputValue,
    ParseError,
    RegisterCommand,
    Resource,
)
from anyscale_lint.model.deployment import Deployment, Identification, NetworkMode, RoleTrust
from anyscale_lint.model.origin import CloudRef, Origin, SourceSpan
from anyscale_lint.model.policy import Condition, PolicyDocument, Principal, Statement
from anyscale_lint.model.values import COMPUTED, Unknown, is_known, unknown_parts, unresolved_parts

__all__ = [
    "COMPUTED",
    "CloudModel",
    "CloudRef",
    "Condition",
    "CorsRule",
    "Deployment",
    "EfsFileSystem",
    "EfsMountTarget",
    "IamRole",
    "Identification",
    "InlineIgnore",
    "InstanceProfile",
    "InternetGateway",
    "MemoryDbCluster",
    "NatGateway",
    "NetworkMode",
    "Origin",
    "OutputValue",
    "ParseError",
    "PolicyAttachment",
    "PolicyDocument",
    "Principal",
    "PublicAccessBlock",
    "RegisterCommand",
    "Resource",
    "RoleTrust",
    "Route",
    "RouteTable",
    "S3Bucket",
    "SecurityGroup",
    "SgRule",
    "SourceSpan",
    "Statement",
    "Subnet",
    "Unknown",
    "Vpc",
    "VpcEndpoint",
    "is_known",
    "unknown_parts",
    "unresolved_parts",
]
