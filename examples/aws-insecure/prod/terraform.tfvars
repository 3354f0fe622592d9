region     = "us-west-2"
cloud_name = "northwind-prod-usw2"
vpc_cidr   = "172.24.0.0/16"

bucket_name = "northwind-anyscale-prod"

# Mistake (AWS-IAM-003, AWS-REG-002): not org-prefixed. `anyscale cloud register --external-id`
# only accepts org_<id>-<suffix> (it aborts before registering anything), and the trust policy
# must hold exactly that value.
anyscale_external_id = "northwind-prod-anyscale"

audit_account_id = "444455556666"
