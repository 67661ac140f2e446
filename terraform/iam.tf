# Identities and grants. Every function runs as its own service account with only what it needs.
#
# local.function_access decides, per function name:
#   secrets       - Secret Manager secrets it may read (roles/secretmanager.secretAccessor on each secret)
#   publishes     - whether it produces events (roles/pubsub.publisher on each event topic)
#   project_roles - project roles beyond the common ones (local.common_function_roles)
#   kyc_documents - read/write on the KYC documents bucket, and signing of upload/download URLs
# A deployed function without an entry here fails the plan (precondition below), so nothing gets access by
# default. Entries for functions that are not deployed yet are ignored.
locals {
  function_access = {
    auth = {
      secrets       = ["db-app-password", "jwt-signing-keys", "pii-encryption-keys"]
      publishes     = true
      project_roles = []
      kyc_documents = false
    }
    # crm only verifies tokens, so it needs the public part of jwt-signing-keys; Secret Manager grants a whole
    # secret, so crm can read the private keys too. Splitting the public keys into their own secret would fix it.
    crm = {
      secrets       = ["db-app-password", "jwt-signing-keys", "pii-encryption-keys", "bib-client-credentials", "bib-webhook-secret"]
      publishes     = true
      project_roles = ["roles/datastore.user"]
      kyc_documents = true
    }
    "sweep-outbox" = {
      secrets       = ["db-app-password"]
      publishes     = true
      project_roles = []
      kyc_documents = false
    }
    # Hourly clean-up of expired codes, tokens, sessions and rate-limit windows (a database function does it all).
    "purge-auth-records" = {
      secrets       = ["db-app-password"]
      publishes     = false
      project_roles = []
      kyc_documents = false
    }
    # Every 5 minutes: pending instructions whose signature link ran out become EXPIRED. It publishes: the RM's
    # push is an outbox row, sent right after the commit (shared/events/outbox.ts), like sweep-outbox does.
    "expire-instruction-links" = {
      secrets       = ["db-app-password"]
      publishes     = true
      project_roles = []
      kyc_documents = false
    }
    # Notification functions: OTP codes and secure links are decrypted with the PII keys.
    "send-otp" = {
      secrets       = ["db-app-password", "pii-encryption-keys", "smtp-url", "sms-api-key"]
      publishes     = false
      project_roles = []
      kyc_documents = false
    }
    "send-email" = {
      secrets       = ["db-app-password", "pii-encryption-keys", "smtp-url"]
      publishes     = false
      project_roles = []
      kyc_documents = false
    }
    "send-push" = {
      secrets       = ["db-app-password"]
      publishes     = false
      project_roles = ["roles/firebasecloudmessaging.admin"]
      kyc_documents = false
    }
    # The Bib sync: decrypts NIK/NPWP and account numbers for Bib, calls Bib with its client credentials,
    # pushes the RM through the outbox (so it publishes), and the scheduled run refreshes the product cache in
    # Firestore.
    "bib-sync" = {
      secrets       = ["db-app-password", "pii-encryption-keys", "bib-client-credentials"]
      publishes     = true
      project_roles = ["roles/datastore.user"]
      kyc_documents = false
    }
    "bib-sync-scheduled" = {
      secrets       = ["db-app-password", "pii-encryption-keys", "bib-client-credentials"]
      publishes     = true
      project_roles = ["roles/datastore.user"]
      kyc_documents = false
    }
  }

  # Every function writes logs and connects to Cloud SQL.
  common_function_roles = ["roles/logging.logWriter", "roles/cloudsql.client"]

  function_secret_grants = {
    for grant in flatten([
      for name, _ in local.all_functions : [
        for secret in try(local.function_access[name].secrets, []) : { function = name, secret = secret }
      ]
    ]) : "${grant.function}/${grant.secret}" => grant
  }

  function_role_grants = {
    for grant in flatten([
      for name, _ in local.all_functions : [
        for role in concat(local.common_function_roles, try(local.function_access[name].project_roles, [])) : { function = name, role = role }
      ]
    ]) : "${grant.function}/${grant.role}" => grant
  }

  publisher_grants = {
    for grant in setproduct([for name, _ in local.all_functions : name if try(local.function_access[name].publishes, false)], local.event_topics) :
    "${grant[0]}/${grant[1]}" => { function = grant[0], topic = grant[1] }
  }

  kyc_functions = toset([for name, _ in local.all_functions : name if try(local.function_access[name].kyc_documents, false)])
}

# --- Service accounts ---

resource "google_service_account" "function" {
  for_each = local.all_functions

  account_id   = "fn-${each.key}"
  display_name = "RMTools function ${each.key}"
  description  = "Runtime identity of the ${each.key} Cloud Function (${each.value.kind})."

  depends_on = [google_project_service.enabled]

  lifecycle {
    precondition {
      condition     = contains(keys(local.function_access), each.key)
      error_message = "Function ${each.key} has no entry in local.function_access (iam.tf): decide which secrets and roles it gets."
    }
    precondition {
      condition     = length(each.key) <= 27
      error_message = "Function name ${each.key} is too long for its service account id fn-<name> (at most 30 characters)."
    }
  }
}

# API Gateway calls the HTTP functions as this account (gateway.tf); it is their only invoker.
resource "google_service_account" "gateway" {
  account_id   = "rmtools-gateway"
  display_name = "RMTools API Gateway backend"
  description  = "Identity API Gateway uses to call the HTTP functions."

  depends_on = [google_project_service.enabled]
}

# Pub/Sub push subscriptions sign their requests with this account's OIDC token; it is the only invoker of the
# event and scheduled functions.
resource "google_service_account" "pubsub_push" {
  account_id   = "rmtools-pubsub-push"
  display_name = "RMTools Pub/Sub push"
  description  = "Identity of the push subscriptions that invoke the event and scheduled functions."

  depends_on = [google_project_service.enabled]
}

# Cloud Build builds the functions' images as this account instead of a default service account.
resource "google_service_account" "build" {
  account_id   = "rmtools-build"
  display_name = "RMTools function builds"
  description  = "Cloud Build identity for building the Cloud Functions."

  depends_on = [google_project_service.enabled]
}

# --- Function grants ---

resource "google_secret_manager_secret_iam_member" "function_accessor" {
  for_each = local.function_secret_grants

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_project_iam_member" "function" {
  for_each = local.function_role_grants

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# Producers publish to the event topics (not to the schedule topics or the dead-letter topics).
resource "google_pubsub_topic_iam_member" "producer" {
  for_each = local.publisher_grants

  topic  = google_pubsub_topic.topic[each.value.topic].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_storage_bucket_iam_member" "kyc_object_admin" {
  for_each = local.kyc_functions

  bucket = google_storage_bucket.kyc_documents.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Signed URLs: a function has no private key, so the storage client signs through the IAM Credentials API
# (signBlob) as itself, which needs Token Creator on its own account.
resource "google_service_account_iam_member" "kyc_url_signer" {
  for_each = local.kyc_functions

  service_account_id = google_service_account.function[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}

# --- Invokers (Cloud Functions 2nd gen are Cloud Run services: run.invoker on the service) ---

resource "google_cloud_run_service_iam_member" "gateway_invoker" {
  for_each = { for name, f in google_cloudfunctions2_function.function : name => f if local.function_specs[name].kind == "http" }

  location = each.value.location
  service  = each.value.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

resource "google_cloud_run_service_iam_member" "push_invoker" {
  for_each = { for name, f in google_cloudfunctions2_function.function : name => f if local.function_specs[name].kind != "http" }

  location = each.value.location
  service  = each.value.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

# The Pub/Sub service agent mints the push OIDC tokens as the push account.
resource "google_service_account_iam_member" "pubsub_push_token_creator" {
  service_account_id = google_service_account.pubsub_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent

  depends_on = [google_project_service_identity.pubsub]
}

# --- Builds ---

resource "google_project_iam_member" "build" {
  for_each = toset([
    "roles/cloudbuild.builds.builder",
    "roles/logging.logWriter",
    "roles/artifactregistry.writer",
  ])

  project = var.project_id
  role    = each.key
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_storage_bucket_iam_member" "build_source_reader" {
  bucket = google_storage_bucket.function_source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

# --- Audit ---

# Data Access audit logs for who read or wrote KYC documents and who read secrets. (Authoritative for these two
# services' audit configuration in this project.)
resource "google_project_iam_audit_config" "data_access" {
  for_each = toset(["storage.googleapis.com", "secretmanager.googleapis.com"])

  project = var.project_id
  service = each.key

  audit_log_config {
    log_type = "DATA_READ"
  }

  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
