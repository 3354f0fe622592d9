project_id      = "acme-anyscale-dev"
project_number  = "210987654321"
host_project_id = "acme-network-host"
region          = "us-central1"
cloud_name      = "acme-dev"
cloud_id        = "cld_abc123"

# Mistake (GCP-WIF-001): the example account ID from a tutorial, not Anyscale's 525325868955.
anyscale_aws_account_id = "123456789012"

# Mistake (GCP-NET-001): a /26 holds 60 nodes at most; Anyscale requires /24 and warns below /20.
node_subnet_cidr = "10.10.0.0/26"

# Mistake (GCP-GCS-001, GCP-GCS-002): any site may read the bucket, and Anyscale's console
# origin https://*.anyscale.com is not listed by name.
cors_origins = ["*"]
