# Firestore, native mode, default database: the crm function's cache. It holds copies that can be rebuilt from
# Cloud SQL, so point-in-time recovery is off; deletion protection is on, and Terraform abandons rather than
# deletes it.
resource "google_firestore_database" "default" {
  name                              = "(default)"
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_DISABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"

  depends_on = [google_project_service.enabled]
}

# The cache's refresh-lease markers (shared/cache/refresh-lease.ts) carry expireAt: Firestore deletes them
# once it has passed. The field is not indexed (nothing queries it).
resource "google_firestore_field" "cache_lease_ttl" {
  project    = var.project_id
  database   = google_firestore_database.default.name
  collection = "bibCacheLeases"
  field      = "expireAt"

  ttl_config {}

  index_config {}
}
