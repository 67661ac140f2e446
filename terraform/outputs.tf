output "gateway_hostname" {
  description = "Public hostname of the API (API Gateway)."
  value       = google_api_gateway_gateway.main.default_hostname
}

output "jwks_uri" {
  description = "JWKS URL the gateway is configured with."
  value       = local.jwt_jwks_uri
}

output "function_urls" {
  description = "Cloud Run URL of each function (reachable only by its invoker: the gateway or the push subscriptions)."
  value       = { for name, f in google_cloudfunctions2_function.function : name => f.service_config[0].uri }
}

output "sql_connection_name" {
  description = "Cloud SQL instance connection name (project:region:instance)."
  value       = google_sql_database_instance.main.connection_name
}

output "sql_private_ip" {
  description = "Private IP of the Cloud SQL instance (used in DATABASE_URL, and for the bootstrap and migrations)."
  value       = google_sql_database_instance.main.private_ip_address
}

output "kyc_documents_bucket" {
  description = "Bucket of the KYC documents."
  value       = google_storage_bucket.kyc_documents.name
}

output "function_source_bucket" {
  description = "Bucket of the zipped function sources."
  value       = google_storage_bucket.function_source.name
}

output "function_service_accounts" {
  description = "Runtime service account of each function."
  value       = { for name, sa in google_service_account.function : name => sa.email }
}

output "service_accounts" {
  description = "Other service accounts: API Gateway backend, Pub/Sub push, function builds."
  value = {
    gateway     = google_service_account.gateway.email
    pubsub_push = google_service_account.pubsub_push.email
    build       = google_service_account.build.email
  }
}

output "dead_letter_subscriptions" {
  description = "Pull subscriptions holding dead-lettered messages, per source topic."
  value       = { for topic, sub in google_pubsub_subscription.dead_letter : topic => sub.name }
}

output "secrets" {
  description = "Secret Manager secrets whose values must be added out of band."
  value       = [for secret in google_secret_manager_secret.secret : secret.secret_id]
}
