# Values derived from the definitions in functions.tf (the function maps) and pubsub.tf (event_topics). They
# live in this file so that those two files hold exactly the definitions the repo's test reads and compares
# with the code's registries.
locals {
  labels = {
    app         = "rmtools"
    environment = var.environment
    managed-by  = "terraform"
  }

  # Node.js 20 as the code is built for it (package.json engines); move to nodejs22 before Google's
  # deprecation date for nodejs20.
  runtime = "nodejs20"

  # Event and scheduled functions are invoked the same way, by a Pub/Sub push subscription (pubsub.tf).
  triggered_functions = merge(
    {
      for name, f in local.event_functions : name => {
        entry_point   = f.entry_point
        topic         = f.topic
        memory        = f.memory
        max_instances = f.max_instances
        kind          = "event"
      }
    },
    {
      for name, f in local.scheduled_functions : name => {
        entry_point   = f.entry_point
        topic         = f.topic
        memory        = f.memory
        max_instances = f.max_instances
        kind          = "scheduled"
      }
    },
  )

  # Every function, whatever its kind: service accounts, IAM and the database connection budget use this.
  all_functions = merge(
    { for name, f in local.http_functions : name => { max_instances = f.max_instances, kind = "http" } },
    { for name, f in local.triggered_functions : name => { max_instances = f.max_instances, kind = f.kind } },
  )

  # What each function's kind decides for its Cloud Function (functions.tf). HTTP functions are reached by
  # API Gateway over the internet (IAM keeps everyone else out); Pub/Sub push from this project counts as
  # internal traffic, so the triggered ones accept internal traffic only.
  function_specs = merge(
    {
      for name, f in local.http_functions : name => {
        entry_point   = f.entry_point
        memory        = f.memory
        min_instances = f.min_instances
        max_instances = f.max_instances
        kind          = "http"
        ingress       = "ALLOW_ALL"
      }
    },
    {
      for name, f in local.triggered_functions : name => {
        entry_point   = f.entry_point
        memory        = f.memory
        min_instances = 0
        max_instances = f.max_instances
        kind          = f.kind
        ingress       = "ALLOW_INTERNAL_ONLY"
      }
    },
  )

  # merge() would silently drop a function whose name is used in two of the maps; a precondition on the
  # source object (functions.tf) compares the counts.
  declared_function_count = length(keys(local.http_functions)) + length(keys(local.event_functions)) + length(keys(local.scheduled_functions))

  # Event topics plus the scheduled functions' own topics.
  topics = distinct(concat(local.event_topics, [for f in values(local.scheduled_functions) : f.topic]))

  # Per kind of function. A push subscription's ack deadline must outlast the function's timeout, or Pub/Sub
  # redelivers a message that is still being handled. The scheduled sweep must finish before the next tick.
  function_timeout_seconds = {
    http      = 60
    event     = 120
    scheduled = 50
  }
  push_ack_deadline_seconds = { for kind, timeout in local.function_timeout_seconds : kind => min(timeout + 30, 600) }

  # Concurrent requests per instance (needs 1 vCPU, set on every function). The database pool stays capped at
  # DB_POOL_MAX per instance whatever this is; requests beyond it wait for a connection.
  request_concurrency = {
    http      = 20
    event     = 10
    scheduled = 1
  }

  # Environment of every function (read by shared/config.ts). The database URL carries no password: the
  # function fetches it from the Secret Manager secret named in DB_PASSWORD_SECRET. DB_POOL_MAX is added per
  # function in functions.tf.
  function_env = {
    APP_ENV              = "cloud"
    GOOGLE_CLOUD_PROJECT = var.project_id
    LOG_LEVEL            = var.log_level
    DATABASE_URL         = "postgres://${local.db_app_role}@${google_sql_database_instance.main.private_ip_address}:5432/${local.db_name}"
    DB_PASSWORD_SECRET   = google_secret_manager_secret.secret["db-app-password"].secret_id
    CORS_ORIGINS         = join(",", var.cors_origins)

    # Access tokens: what the auth function signs and every function (and the gateway) checks.
    JWT_ISSUER   = var.jwt_issuer
    JWT_AUDIENCE = var.jwt_audience

    # Emailed links (set-password invitations) point at the public address.
    PUBLIC_BASE_URL = var.public_base_url

    # Notification providers (secrets: sms-api-key, smtp-url; FCM uses the function's service account).
    SMS_PROVIDER     = "infobip"
    SMS_API_BASE_URL = var.sms_api_base_url
    SMS_SENDER       = var.sms_sender
    PUSH_PROVIDER    = "fcm"
    MAIL_FROM        = var.mail_from

    # KYC documents (storage.tf): signed upload and download URLs of the bucket. Every function gets them, as
    # shared/config.ts refuses any other backend in the cloud; only those with kyc_documents in iam.tf may use it.
    STORAGE_BACKEND  = "gcs"
    DOCUMENTS_BUCKET = google_storage_bucket.kyc_documents.name

    # Bib (secrets: bib-client-credentials, bib-webhook-secret). The sync's run budget stays under the
    # scheduled function's timeout above, with room for the calls in flight.
    BIB_BASE_URL    = var.bib_base_url
    BIB_TIMEOUT_MS  = 5000
    BIB_SYNC_MAX_MS = 30000
  }

  # Build-time environment. Cloud Build must not rebuild: dist/ was built and tested before packaging, and the
  # Node.js buildpack would otherwise run `npm run build` (which needs the dev dependencies). Only the
  # production dependencies are installed from package-lock.json.
  build_env = {
    GOOGLE_NODE_RUN_SCRIPTS = ""
    NODE_ENV                = "production"
  }

  # Service agents, for the IAM grants that dead-lettering and authenticated push need.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

data "google_project" "current" {
  project_id = var.project_id
}
