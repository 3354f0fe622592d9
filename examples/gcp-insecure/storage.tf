# Mistake (GCP-GCS-004): no uniform bucket-level access: object ACLs may grant what bucket IAM
# does not show.
resource "google_storage_bucket" "anyscale" {
  name                        = "${var.project_id}-storage"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = false
  public_access_prevention    = "inherited"

  labels = {
    anyscale-cloud-id = var.cloud_id
  }

  cors {
    origin          = var.cors_origins
    method          = ["GET"]
    response_header = ["*"]
    max_age_seconds = 3600
  }
}

# Mistake (GCP-GCS-005): only the access account is on the bucket; the node service account
# holds no role there, so nodes cannot write logs or checkpoints.
resource "google_storage_bucket_iam_member" "access_admin" {
  bucket = google_storage_bucket.anyscale.name
  role   = "roles/storage.admin"
  member = google_service_account.anyscale_access.member
}

# Mistake (GCP-GCS-003): "so the dashboards can load images": anyone on the internet may now
# read every log, checkpoint and workspace file.
resource "google_storage_bucket_iam_member" "public_read" {
  bucket = google_storage_bucket.anyscale.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
