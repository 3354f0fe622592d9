"""A decoy root built from Anyscale's official modules, the way their examples call them.

The root calls the official root module by its GitHub or registry source (nothing downloaded),
for public or private networking, with the inputs Anyscale's examples give it, and writes the
register command from the module's outputs. Everything the modules create by default is what
Anyscale documents as secure, so no rule may fail on it, except the one divergence Anyscale
documents for its own modules: the control-plane role lacks `ec2:DescribeCapacityReservations`
(AWS-IAM-005, low; Anyscale's verifier only warns).
"""

from __future__ import annotations

import random

from hcl_text import fill

SHAPE = "official_modules"
# Rules that may fail on the decoy: the documented divergence of Anyscale's own modules.
DIVERGENCES = ("AWS-IAM-005",)
_SOURCES = (
    "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules",
    "git::https://github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules.git",
    "anyscale/anyscale-cloudfoundation-modules/aws",
)
_ORG = "org_7c1Kalm9WcX2bNIjW53GUT"

_ROOT = """
module "anyscale_cloud" {
  source = "@{source}"

  anyscale_org_id      = "@{org}"
  anyscale_external_id = "@{name}"

  anyscale_vpc_cidr_block      = "172.@{octet}.0.0/16"
  anyscale_vpc_public_subnets  = ["172.@{octet}.21.0/24", "172.@{octet}.22.0/24"]@{private}

  security_group_ingress_allow_access_from_cidr_range = "@{ingress}"
}

output "anyscale_register_command" {
  description = "Registers the cloud with Anyscale."
  value       = <<-EOT
    anyscale cloud register --provider aws \\
      --name @{name} \\
      --region @{region} \\
      --vpc-id ${module.anyscale_cloud.anyscale_vpc_id} \\
      --subnet-ids ${join(",", module.anyscale_cloud.@{subnets})} \\
      --security-group-ids ${module.anyscale_cloud.anyscale_security_group_id} \\
      --s3-bucket-id ${module.anyscale_cloud.anyscale_s3_bucket_id} \\
      --anyscale-iam-role-id ${module.anyscale_cloud.anyscale_iam_role_arn} \\
      --instance-iam-role-id ${module.anyscale_cloud.anyscale_iam_role_cluster_node_arn} \\
      --efs-id ${module.anyscale_cloud.anyscale_efs_id} \\
      --external-id @{org}-@{name}@{flag}
  EOT
}
"""


def official_root(name: str, rng: random.Random, region: str) -> str:
    """The text of `main.tf` (after the provider block) of one official-modules decoy."""
    octet = rng.randrange(16, 32)
    private = rng.random() < 0.5
    return fill(
        _ROOT,
        source=rng.choice(_SOURCES),
        org=_ORG,
        name=name,
        octet=octet,
        private=(
            f'\n  anyscale_vpc_private_subnets = ["172.{octet}.101.0/24", "172.{octet}.102.0/24"]'
            if private
            else ""
        ),
        # HTTPS from the corporate range; SSH stays closed (the root's default).
        ingress=rng.choice(["10.60.0.0/16", f"172.{octet}.0.0/16"]),
        region=region,
        subnets=(
            "anyscale_vpc_private_subnet_ids" if private else "anyscale_vpc_public_subnet_ids"
        ),
        flag=" \\\n      --private-network" if private else "",
    )
