# Workload identity federation: Anyscale's control plane signs in as its AWS role
# gcp_if_<org_id> in Anyscale's AWS account.

resource "google_iam_workload_identity_pool" "anyscale" {
  workload_identity_pool_id = "anyscale-pool"
  display_name              = "Anyscale provider pool"
}

resource "google_iam_workload_identity_pool_provider" "anyscale" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.anyscale.workload_identity_pool_id
  workload_identity_pool_provider_id = "anyscale-access"
  display_name                       = "Anyscale Access"
  description                        = "provider for Anyscale access"

  aws {
    account_id = var.anyscale_aws_account_id
  }

  attribute_mapping = {
    "google.subject"     = "assertion.arn"
    "attribute.arn"      = "assertion.arn"
    "attribute.aws_role" = "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
  }

  attribute_condition = "google.subject.startsWith('arn:aws:sts::${var.anyscale_aws_account_id}:assumed-role/gcp_if_${var.anyscale_org_id}')"
}
