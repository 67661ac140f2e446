# Secret Manager secrets: the containers only. Their values are NOT in Terraform (they would be stored in the
# state); an operator adds them out of band, for example
#   gcloud secrets versions add db-app-password --data-file=-   (value on stdin)
# The functions read version "latest" at runtime by secret name (shared/secrets.ts, cached 10 minutes), so a
# rotation is a new version (for the database passwords, together with ALTER ROLE ... PASSWORD).
# Which function may read which secret is in iam.tf (local.function_access).
#
# FCM: there is no fcm-service-account secret. The function that sends push notifications uses its own service
# account (Application Default Credentials) with the FCM role, so no key is ever exported.
locals {
  secrets = {
    "db-app-password"        = "Password of the rmtools_app database role, which the functions connect as."
    "db-owner-password"      = "Password of the rmtools_owner database role (migrations); read by operators only."
    "jwt-signing-keys"       = "Key set the auth function signs access tokens with."
    "pii-encryption-keys"    = "Keys for application-level encryption of personal data."
    "bib-client-credentials" = "Client credentials for the BIB API."
    "bib-webhook-secret"     = "Shared secret that authenticates BIB webhook calls."
    "smtp-url"               = "SMTP connection URL (with credentials) for outgoing e-mail."
    "sms-api-key"            = "API key of the SMS provider (OTP)."
  }
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  secret_id = each.key

  annotations = {
    purpose = each.value
  }

  # Replicated only in the home region: the data stays in Indonesia.
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.enabled]
}
