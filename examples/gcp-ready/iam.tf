# The access service account Anyscale's control plane acts as, and the node service account
# every Ray node runs as.

resource "google_service_account" "anyscale_access" {
  account_id   = "anyscale-access"
  display_name = "Anyscale control plane (${var.cloud_name})"
}

resource "google_service_account" "anyscale_cluster" {
  account_id   = "anyscale-cluster"
  display_name = "Anyscale cluster nodes (${var.cloud_name})"
}

# Anyscale's CLI-managed setup makes the access account project owner, and its verifier asks
# for owner or editor.
resource "google_project_iam_member" "access_owner" {
  project = var.project_id
  role    = "roles/owner"
  member  = google_service_account.anyscale_access.member
}

# Nodes pull images and write logs; nothing broader.
resource "google_project_iam_member" "cluster" {
  for_each = toset(["roles/artifactregistry.reader", "roles/logging.logWriter"])
  project  = var.project_id
  role     = each.value
  member   = google_service_account.anyscale_cluster.member
}

# The access account signs blobs as itself (log downloads).
resource "google_service_account_iam_member" "access_token_creator" {
  service_account_id = google_service_account.anyscale_access.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.anyscale_access.member
}

# Only Anyscale's role for this organization may impersonate the access account.
resource "google_service_account_iam_member" "access_workload_identity" {
  service_account_id = google_service_account.anyscale_access.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/${var.project_number}/locations/global/workloadIdentityPools/${google_iam_workload_identity_pool.anyscale.workload_identity_pool_id}/attribute.aws_role/arn:aws:sts::${var.anyscale_aws_account_id}:assumed-role/gcp_if_${var.anyscale_org_id}"
}
