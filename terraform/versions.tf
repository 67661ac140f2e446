terraform {
  # check blocks (database.tf) need Terraform 1.5.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    # Only for resources that exist in the beta provider alone: API Gateway and the Pub/Sub service identity.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.0"
    }
    # 2.5 added glob patterns to archive_file's excludes (functions.tf).
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.5"
    }
  }

  # State lives in a versioned GCS bucket created by hand once per environment. The bucket and prefix are
  # given at init time so the same code serves every environment:
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=rmtools/<environment>"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = local.labels
}

provider "google-beta" {
  project = var.project_id
  region  = var.region

  default_labels = local.labels
}
