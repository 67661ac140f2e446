variable "project_id" {
  description = "Google Cloud project of this environment (one project per environment)."
  type        = string
}

variable "environment" {
  description = "Environment name, e.g. production or staging. Used in labels and in the Cloud SQL instance name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.environment))
    error_message = "environment must be 2 to 20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the functions, Cloud SQL, the connector, the scheduler jobs, secret replicas, Pub/Sub message storage and the buckets. Default: Jakarta."
  type        = string
  default     = "asia-southeast2"
}

variable "gateway_region" {
  description = "Region of the API Gateway gateway. API Gateway is offered in a short list of regions that does not include Jakarta; the default is the nearest Asian one. Requests (and their payloads) transit this region."
  type        = string
  default     = "asia-northeast1"
}

variable "firestore_location" {
  description = "Location of the default Firestore database (native mode; the CRM cache)."
  type        = string
  default     = "asia-southeast2"
}

variable "cors_origins" {
  description = "Browser origins of the apps, e.g. [\"https://app.example.co.id\"]. Passed to the functions as CORS_ORIGINS and allowed by the KYC bucket's CORS for signed uploads."
  type        = list(string)

  validation {
    condition     = alltrue([for origin in var.cors_origins : can(regex("^https?://[^/]+$", origin))])
    error_message = "Each origin is a scheme and host (with an optional port), without a path or a trailing slash."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "warn", "error", "fatal", "silent"], var.log_level)
    error_message = "log_level must be one of trace, debug, info, warn, error, fatal, silent."
  }
}

variable "jwt_issuer" {
  description = "Issuer (iss) of the access tokens the auth function signs; API Gateway accepts only tokens from this issuer."
  type        = string
}

variable "jwt_audience" {
  description = "Audience (aud) of the access tokens the auth function signs; API Gateway checks it."
  type        = string
}

variable "public_base_url" {
  description = "HTTPS address people reach the API at (the gateway's hostname or a custom domain in front of it). Emailed links, such as set-password invitations, point here."
  type        = string
  validation {
    condition     = can(regex("^https://[^/]+$", var.public_base_url))
    error_message = "Use https://host, without a path or trailing slash."
  }
}

variable "jwt_jwks_uri" {
  description = "URL where API Gateway fetches the token-signing public keys. Default (null): the auth function's URL + /auth/.well-known/jwks.json; see the note in gateway.tf and README.md."
  type        = string
  default     = null
}

variable "db_tier" {
  description = "Cloud SQL machine tier. db-custom-* tiers need the ENTERPRISE edition."
  type        = string
  default     = "db-custom-2-7680"
}

variable "db_edition" {
  description = "Cloud SQL edition. Set explicitly because new PostgreSQL 17 instances otherwise default to ENTERPRISE_PLUS, which only takes db-perf-optimized-* tiers."
  type        = string
  default     = "ENTERPRISE"

  validation {
    condition     = contains(["ENTERPRISE", "ENTERPRISE_PLUS"], var.db_edition)
    error_message = "db_edition must be ENTERPRISE or ENTERPRISE_PLUS."
  }
}

variable "db_availability_type" {
  description = "REGIONAL (high availability, standby in another zone) or ZONAL."
  type        = string
  default     = "REGIONAL"

  validation {
    condition     = contains(["REGIONAL", "ZONAL"], var.db_availability_type)
    error_message = "db_availability_type must be REGIONAL or ZONAL."
  }
}

variable "db_disk_size_gb" {
  description = "Initial disk size; the disk grows automatically."
  type        = number
  default     = 20
}

variable "db_max_connections" {
  description = "The max_connections flag. Must cover the connection budget computed in database.tf (the plan fails otherwise)."
  type        = number
  default     = 400
}

variable "db_log_min_duration_statement_ms" {
  description = "log_min_duration_statement in ms; -1 disables it. Statements logged this way carry their bind parameters, which here include personal data, so it is off by default (as the CIS benchmark recommends); Query Insights shows slow queries without parameter values. Turn it on temporarily when investigating."
  type        = number
  default     = -1
}

variable "db_deletion_protection" {
  description = "Protects the Cloud SQL instance against deletion, in Terraform and in the Cloud SQL API."
  type        = bool
  default     = true
}

variable "admin_subnet_cidr" {
  description = "Subnet for operator jobs inside the VPC (database bootstrap, migrations)."
  type        = string
  default     = "10.20.0.0/24"
}

variable "connector_cidr" {
  description = "Unused /28 range for the Serverless VPC Access connector."
  type        = string
  default     = "10.8.0.0/28"
}

variable "kyc_noncurrent_version_days" {
  description = "Days a replaced or deleted KYC document version is kept before lifecycle deletes it (objects under a hold are never deleted)."
  type        = number
  default     = 365
}

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channel IDs for the dead-letter alerts."
  type        = list(string)
  default     = []
}

variable "sms_api_base_url" {
  description = "Base URL of the Infobip account's API (each account has its own subdomain)."
  type        = string
  default     = "https://api.infobip.com"
}

variable "sms_sender" {
  description = "Sender id of OTP SMS, as registered with the provider."
  type        = string
  default     = "RMTools"
}

variable "mail_from" {
  description = "From address of every email."
  type        = string
  default     = "RMTools <no-reply@rmtools.example>"
}

variable "bib_base_url" {
  description = "Base URL of Bib's partner and internal API (https)."
  type        = string

  validation {
    condition     = startswith(var.bib_base_url, "https://")
    error_message = "bib_base_url must be an https URL."
  }
}
