resource "google_iam_workload_identity_pool" "anyscale" {
  workload_identity_pool_id = "anyscale-pool"
  display_name              = "Anyscale provider pool"
}

# Mistake (GCP-WIF-002): no attribute_condition, so any role of the trusted AWS account may
# exchange tokens through this provider.
resource "google_iam_workload_identity_pool_provider" "anyscale" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.anyscale.workload_identity_pool_id
  workload_identity_pool_provider_id = "anyscale-access"
  display_name                       = "Anyscale Access"

  aws {
    account_id = var.anyscale_aws_account_id
  }

  attribute_mapping = {
    "google.subject"     = "assertion.arn"
    "attribute.arn"      = "assertion.arn"
    "attribute.aws_role" = "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
  }
}
