locals {
  # The database and its two roles (shared/db/bootstrap.ts): rmtools_owner owns every object and runs the
  # migrations; rmtools_app is what the functions connect as (no ownership, no BYPASSRLS).
  db_name     = "rmtools"
  db_app_role = "rmtools_app"

  # Connection budget. Serverless instances multiply, and every function instance keeps its own pool of up to
  # DB_POOL_MAX connections (shared/db/pool.ts), so the rule is
  #
  #   sum over functions of (max_instances × DB_POOL_MAX) + reserved ≤ max_connections
  #
  # where reserved covers the migrations and admin sessions, Cloud SQL's own maintenance connections and the
  # superuser_reserved_connections slots. The sum is computed from the definitions in functions.tf. The check
  # block below reports a breach on every plan and the precondition on the instance fails the plan, so raising
  # max_instances cannot quietly exhaust the database. (During a deploy the old and new revisions overlap for
  # a short while; a request that cannot get a connection fails after DB_CONNECTION_TIMEOUT_MS.)
  db_pool_max_default = 5
  # Per-function DB_POOL_MAX where the default does not fit, e.g. { crm = 8 }.
  db_pool_max_overrides   = {}
  db_reserved_connections = 10

  db_pool_max                = { for name, _ in local.all_functions : name => try(local.db_pool_max_overrides[name], local.db_pool_max_default) }
  db_connections_by_function = { for name, f in local.all_functions : name => f.max_instances * local.db_pool_max[name] }
  db_connections_required    = sum(concat([0], values(local.db_connections_by_function))) + local.db_reserved_connections

  # Flags. IAM database authentication is off: the roles log in with passwords kept in Secret Manager.
  # Connection, disconnection and lock-wait logging serve the audit trail and contain no statement text.
  db_flags = {
    "max_connections"             = tostring(var.db_max_connections)
    "cloudsql.iam_authentication" = "off"
    "log_min_duration_statement"  = tostring(var.db_log_min_duration_statement_ms)
    "log_connections"             = "on"
    "log_disconnections"          = "on"
    "log_lock_waits"              = "on"
    "log_temp_files"              = "0"
  }
}

check "db_connection_budget" {
  assert {
    condition     = local.db_connections_required <= var.db_max_connections
    error_message = "Database connection budget exceeded: the functions may open ${local.db_connections_required - local.db_reserved_connections} connections, plus ${local.db_reserved_connections} reserved, but max_connections is ${var.db_max_connections}. Lower max_instances or DB_POOL_MAX, or raise db_max_connections (and the tier)."
  }
}

# PostgreSQL 17 on a private IP only (private services access, network.tf), highly available, with daily
# backups and point-in-time recovery.
#
# Not managed here, on purpose:
#   - google_sql_user: users created through the Cloud SQL API are members of cloudsqlsuperuser (CREATEROLE,
#     CREATEDB and more), which the app role must not be, and their passwords would sit in the Terraform state.
#     The two roles are created by `npm run db:bootstrap` with the passwords from Secret Manager.
#   - google_sql_database: the bootstrap creates it owned by rmtools_owner; created here it would be owned by
#     the API's admin user instead.
# The built-in admin user "postgres" exists without a password; an operator sets one only to run the
# bootstrap (README.md).
resource "google_sql_database_instance" "main" {
  name                = "rmtools-${var.environment}"
  region              = var.region
  database_version    = "POSTGRES_17"
  deletion_protection = var.db_deletion_protection

  settings {
    tier                        = var.db_tier
    edition                     = var.db_edition
    availability_type           = var.db_availability_type
    disk_type                   = "PD_SSD"
    disk_size                   = var.db_disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = var.db_deletion_protection
    user_labels                 = local.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      # DATABASE_URL has no sslmode, so the server accepts unencrypted connections. Traffic between the
      # connector and the instance stays on Google's network (VPC and peering traffic is encrypted by Google).
      # To enforce TLS: give the pg client the server CA (server_ca_cert) and switch to ENCRYPTED_ONLY.
      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    }

    # Backups start at 18:00 UTC = 01:00 in Jakarta; 30 daily backups and 7 days of transaction logs for
    # point-in-time recovery.
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      location                       = var.region
      start_time                     = "18:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 30
        retention_unit   = "COUNT"
      }
    }

    # Sunday 19:00 UTC = Monday 02:00 in Jakarta.
    maintenance_window {
      day          = 7
      hour         = 19
      update_track = "stable"
    }

    # Query Insights records normalized statements (no parameter values) with their latency.
    insights_config {
      query_insights_enabled  = true
      query_string_length     = 1024
      record_application_tags = false
      record_client_address   = false
    }

    dynamic "database_flags" {
      for_each = local.db_flags

      content {
        name  = database_flags.key
        value = database_flags.value
      }
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_service_networking_connection.private_services,
  ]

  lifecycle {
    # A check block only warns; this stops the plan.
    precondition {
      condition     = local.db_connections_required <= var.db_max_connections
      error_message = "Database connection budget exceeded: ${local.db_connections_required} connections needed (see database.tf), max_connections is ${var.db_max_connections}."
    }
  }
}
