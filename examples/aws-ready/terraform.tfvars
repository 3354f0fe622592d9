region     = "us-west-2"
cloud_name = "northwind-prod-usw2"

availability_zones   = ["us-west-2a", "us-west-2b", "us-west-2c"]
vpc_cidr             = "172.24.0.0/16"
public_subnet_cidrs  = ["172.24.101.0/24", "172.24.102.0/24", "172.24.103.0/24"]
private_subnet_cidrs = ["172.24.20.0/24", "172.24.21.0/24", "172.24.22.0/24"]

# Corporate VPN range: the only network that may open the Anyscale UI links to clusters.
customer_ingress_cidr_ranges = ["10.20.0.0/16"]

bucket_name = "northwind-anyscale-prod-usw2"

anyscale_org_id    = "org_7c1kalm9wcx2bnij53gut4qp"
external_id_suffix = "9f3e6a21d4"
