# The cloud's bucket: private, uniform access, CORS for Anyscale's console only.

resource "google_storage_bucket" "anyscale" {
  name                        = "${var.project_id}-storage"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  labels = {
    anyscale-cloud-id = var.cloud_id
  }

  cors {
    origin          = ["https://*.anyscale.com"]
    method          = ["GET", "PUT", "POST", "HEAD", "DELETE"]
    response_header = ["*"]
    max_age_seconds = 3600
  }
}

# Both service accounts need the bucket (Anyscale's verifier reads bucket-level IAM only).
resource "google_storage_bucket_iam_binding" "anyscale_admins" {
  bucket = google_storage_bucket.anyscale.name
  role   = "roles/storage.admin"
  members = [
    google_service_account.anyscale_access.member,
    google_service_account.anyscale_cluster.member,
  ]
}
