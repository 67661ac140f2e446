# KYC documents (identity cards, forms): private, in the home region, versioned. The browser uploads with a
# signed PUT URL issued by the crm function (hence the CORS rule) and never gets public access.
#
# No bucket retention policy (no 10-year lock): retention is decided per document, with object holds set by
# the application; lifecycle rules never delete an object under a hold.
resource "google_storage_bucket" "kyc_documents" {
  name                        = "${var.project_id}-kyc-documents"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # Deleted objects can be restored for 30 days.
  soft_delete_policy {
    retention_duration_seconds = 2592000
  }

  # Versions that were replaced or deleted are removed after var.kyc_noncurrent_version_days.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.kyc_noncurrent_version_days
    }
    action {
      type = "Delete"
    }
  }

  # Uploads abandoned halfway are cleaned up after a day.
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # response_header also lists the request headers a preflight may ask for: the upload URL signs Content-Type
  # and x-goog-content-length-range (shared/storage/gcs-storage.ts), which the browser must be allowed to send.
  cors {
    origin          = var.cors_origins
    method          = ["PUT", "GET", "HEAD"]
    response_header = ["Content-Type", "Content-MD5", "ETag", "x-goog-content-length-range"]
    max_age_seconds = 3600
  }

  depends_on = [google_project_service.enabled]

  lifecycle {
    prevent_destroy = true
  }
}

# Zipped function sources (functions.tf). Private; old archives stay for audit and rollback.
resource "google_storage_bucket" "function_source" {
  name                        = "${var.project_id}-function-source"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  depends_on = [google_project_service.enabled]
}
