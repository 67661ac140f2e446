# Cloud Functions (2nd gen). Every function is defined in the ONE locals block below, which the repo's test
# parses (with @cdktf/hcl2json) and compares with the function registry in the code:
#   - the map key is the Cloud Function's name; entry_point is the name the code registers;
#   - http_functions are served through API Gateway (gateway.tf);
#   - event_functions consume an event topic (pubsub.tf);
#   - scheduled_functions consume their own topic, which Cloud Scheduler publishes to (scheduler.tf).
# Event and scheduled functions are invoked by a Pub/Sub push subscription rather than an event_trigger; the
# reason is in pubsub.tf. Derived values are in locals.tf; keep this block to the definitions.
locals {
  http_functions = {
    auth = { entry_point = "auth", memory = "512Mi", max_instances = 20, min_instances = 0 }
    crm  = { entry_point = "crm", memory = "512Mi", max_instances = 20, min_instances = 0 }
  }

  event_functions = {
    "send-otp"   = { entry_point = "sendOtp", topic = "otp.requested", memory = "256Mi", max_instances = 10 }
    "send-email" = { entry_point = "sendEmail", topic = "email.requested", memory = "256Mi", max_instances = 10 }
    "send-push"  = { entry_point = "sendPush", topic = "push.requested", memory = "256Mi", max_instances = 10 }
    # Runs overlap safely (leases, idempotency keys); a few at once are enough for admins' "sync now".
    "bib-sync" = { entry_point = "bibSync", topic = "bib.sync.requested", memory = "512Mi", max_instances = 3 }
  }

  scheduled_functions = {
    "sweep-outbox"             = { entry_point = "sweepOutbox", schedule = "* * * * *", topic = "schedule.sweep-outbox", memory = "256Mi", max_instances = 2 }
    "purge-auth-records"       = { entry_point = "purgeAuthRecords", schedule = "17 * * * *", topic = "schedule.purge-auth-records", memory = "256Mi", max_instances = 1 }
    "expire-instruction-links" = { entry_point = "expireInstructionLinks", schedule = "*/5 * * * *", topic = "schedule.expire-instruction-links", memory = "256Mi", max_instances = 1 }
    "bib-sync-scheduled"       = { entry_point = "bibSyncScheduled", schedule = "*/5 * * * *", topic = "schedule.bib-sync-scheduled", memory = "512Mi", max_instances = 1 }
  }
}

# Deployment source: the whole repository, built beforehand with `npm ci && npm run build` (dist/, and
# package.json "main" = dist/functions/index.js), zipped without dependencies, local data, tests and tooling.
# Cloud Build installs the production dependencies from package-lock.json (see local.build_env). The object is
# named by the zip's MD5, so any change to the source uploads a new object and redeploys the functions.
data "archive_file" "source" {
  type             = "zip"
  source_dir       = "${path.module}/.."
  output_path      = "${path.module}/.build/rmtools-source.zip"
  output_file_mode = "0644"
  excludes = [
    ".ci",
    ".data",
    ".git",
    ".github",
    ".terraform",
    "coverage",
    "node_modules",
    "scripts",
    "terraform",
    "test",
    "tools",
    "**/.env",
    "**/.env.*",
    "**/*.log",
    "**/*.test.ts",
    "**/*.test.js",
    "**/*.test.js.map",
    "**/*.test.d.ts",
  ]
}

resource "google_storage_bucket_object" "source" {
  name         = "rmtools-${data.archive_file.source.output_md5}.zip"
  bucket       = google_storage_bucket.function_source.name
  source       = data.archive_file.source.output_path
  content_type = "application/zip"

  lifecycle {
    precondition {
      condition     = fileexists("${path.module}/../dist/functions/index.js")
      error_message = "dist/functions/index.js is missing: run `npm ci && npm run build` before planning."
    }
    # merge() in locals.tf would silently keep only one of two functions with the same name.
    precondition {
      condition     = length(keys(local.all_functions)) == local.declared_function_count
      error_message = "A function name appears in more than one of http_functions, event_functions and scheduled_functions (functions.tf)."
    }
  }
}

# Every function, whatever its kind, from local.function_specs (locals.tf), which decides what the kind
# changes: ingress, instances, concurrency and timeout.
#   - HTTP functions have no trigger; only the API Gateway service account may invoke them (iam.tf), which is
#     what makes the gateway's authentication binding.
#   - Event and scheduled functions have no event_trigger either: a Pub/Sub push subscription (pubsub.tf)
#     delivers each message as a CloudEvent, and only the push service account may invoke them.
resource "google_cloudfunctions2_function" "function" {
  for_each = local.function_specs

  name        = each.key
  location    = var.region
  description = "RMTools ${each.key} (${each.value.kind})"

  build_config {
    runtime               = local.runtime
    entry_point           = each.value.entry_point
    service_account       = google_service_account.build.id
    environment_variables = local.build_env

    source {
      storage_source {
        bucket = google_storage_bucket.function_source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = each.value.memory
    available_cpu                    = "1"
    max_instance_request_concurrency = local.request_concurrency[each.value.kind]
    min_instance_count               = each.value.min_instances
    max_instance_count               = each.value.max_instances
    timeout_seconds                  = local.function_timeout_seconds[each.value.kind]
    service_account_email            = google_service_account.function[each.key].email
    ingress_settings                 = each.value.ingress
    all_traffic_on_latest_revision   = true
    # Cloud SQL's private IP is reached through the connector; everything else leaves directly.
    vpc_connector                 = google_vpc_access_connector.functions.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    environment_variables = merge(local.function_env, {
      DB_POOL_MAX = tostring(local.db_pool_max[each.key])
    })
  }

  depends_on = [
    google_project_service.enabled,
    google_project_iam_member.build,
  ]
}
