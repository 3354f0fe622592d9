resource "google_service_account" "anyscale_access" {
  account_id   = "anyscale-access"
  display_name = "Anyscale access"
}

resource "google_service_account" "anyscale_cluster" {
  account_id   = "anyscale-cluster"
  display_name = "Anyscale cluster nodes"
}

resource "google_project_iam_member" "access_owner" {
  project = var.project_id
  role    = "roles/owner"
  member  = google_service_account.anyscale_access.member
}

resource "google_project_iam_member" "cluster" {
  for_each = toset(["roles/artifactregistry.reader", "roles/logging.logWriter"])
  project  = var.project_id
  role     = each.value
  member   = google_service_account.anyscale_cluster.member
}

# Mistake (GCP-IAM-001): "to get the demo working": every Ray node, and any job run on a
# cluster, may now change or delete anything in the project.
resource "google_project_iam_member" "cluster_editor" {
  project = var.project_id
  role    = "roles/editor"
  member  = google_service_account.anyscale_cluster.member
}

resource "google_service_account_iam_member" "access_token_creator" {
  service_account_id = google_service_account.anyscale_access.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.anyscale_access.member
}

# Mistake (GCP-WIF-003): the whole pool may impersonate the project owner, not only
# Anyscale's role gcp_if_<org_id>.
resource "google_service_account_iam_member" "access_workload_identity" {
  service_account_id = google_service_account.anyscale_access.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/${var.project_number}/locations/global/workloadIdentityPools/${google_iam_workload_identity_pool.anyscale.workload_identity_pool_id}/*"
}
